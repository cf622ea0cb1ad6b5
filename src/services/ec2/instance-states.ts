/**
 * An instance's lifecycle (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html):
 * Start/Stop/Reboot/TerminateInstances with AWS's transitions and state codes, DescribeInstanceStatus,
 * and ModifyInstanceMetadataOptions.
 *
 * StartInstances on a stopped instance counts a new boot and clears the instance's cached
 * credential (the metadata service then issues a fresh one, as a stop/start does on AWS); a reboot
 * keeps it; terminating leaves issued credentials valid. A stopped instance keeps its private IP;
 * a terminated one releases it.
 */
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type OperationContext, type OperationMap } from '../service.js';
import { byKey, describeAuthorization, requireAll, userInitiatedReason } from './common.js';
import { incorrectInstanceState } from './errors.js';
import { applyFilters, Ec2Input, filtersOf, instanceIdsOrPage, paginate, type FilterFields } from './input.js';
import { instanceAuthorization, metadataKeys } from './instance-auth.js';
import { metadataOptionsXml, stateXml } from './instance-xml.js';
import { metadataOptionsInput } from './instances.js';
import { findInstance, findInstances, visibleInstances } from './lookups.js';
import { tableWrite } from './state.js';
import { INSTANCE_STATE_CODES, type InstanceRecord, type InstanceStateName } from './types.js';

interface Transition {
  /** the state after the call, or an error naming what cannot be done */
  next(instance: InstanceRecord): InstanceStateName | 'refuse';
  verb: string;
  apply(instance: InstanceRecord, next: InstanceStateName, time: Date): InstanceRecord;
}

const START: Transition = {
  verb: 'started',
  next: (instance) => {
    if (instance.state === 'stopped') return 'pending';
    if (instance.state === 'pending' || instance.state === 'running') return instance.state;
    return 'refuse';
  },
  apply: (instance, _next, time) => instance.state !== 'stopped' ? instance : {
    ...instance,
    state: 'pending',
    stateTransitionReason: '',
    launchTime: time.toISOString(),
    pendingTime: time.toISOString(),
    bootCount: instance.bootCount + 1,
    credential: undefined,
    credentialV1: undefined,
  },
};

const STOP: Transition = {
  verb: 'stopped',
  next: (instance) => {
    if (instance.state === 'running' || instance.state === 'pending') return 'stopping';
    if (instance.state === 'stopping' || instance.state === 'stopped') return instance.state;
    return 'refuse';
  },
  apply: (instance, next, time) => next !== 'stopping' || instance.state === 'stopping' ? instance
    : { ...instance, state: 'stopping', stateTransitionReason: userInitiatedReason(time) },
};

const TERMINATE: Transition = {
  verb: 'terminated',
  next: (instance) => (instance.state === 'terminated' || instance.state === 'shutting-down' ? instance.state : 'shutting-down'),
  apply: (instance, next, time) => next !== 'shutting-down' || instance.state === 'shutting-down' ? instance
    : { ...instance, state: 'shutting-down', stateTransitionReason: userInitiatedReason(time) },
};

function refusal(verb: string, instanceId: string): Error {
  return verb === 'started'
    ? incorrectInstanceState(`The instance '${instanceId}' is not in a state from which it can be started.`)
    : incorrectInstanceState(`This instance '${instanceId}' is not in a state from which it can be ${verb}.`);
}

/** One of Start/Stop/TerminateInstances: all instances must exist and be able to make the transition. */
function transitionOperation(action: string, transition: Transition) {
  return operation<Ec2Input>({
    input: (query) => new Ec2Input(query),
    authorize: () => 'in-handler',
    handle(input, ctx) {
      const instances = findInstances(ctx, requiredIds(input));
      // DryRun checks permissions only, so the state is looked at after it.
      requireAll(ctx, input.dryRun, instances.map((instance) => instanceAuthorization(ctx, action, instance)));
      const changes = instances.map((instance) => {
        const next = transition.next(instance);
        if (next === 'refuse') throw refusal(transition.verb, instance.instanceId);
        return { instance, next };
      });
      const state = ctx.app.ec2;
      const updated = changes.map(({ instance, next }) => transition.apply(instance, next, ctx.request.time));
      state.commit([tableWrite(state.instances, updated.filter((row, index) => row !== changes[index]!.instance).map((row) => ({ put: row })))]);
      for (const { instance, next } of changes) if (next !== instance.state) state.settleLater(instance.instanceId);
      return {
        instancesSet: changes.map(({ instance, next }) => ({
          instanceId: instance.instanceId,
          currentState: stateXml(next),
          previousState: stateXml(instance.state),
        })),
      };
    },
  });
}

function requiredIds(input: Ec2Input): string[] {
  const ids = input.list('InstanceId');
  if (ids.length === 0) input.required('InstanceId');
  return ids;
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StartInstances.html */
const StartInstances = transitionOperation('StartInstances', START);
/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StopInstances.html */
const StopInstances = transitionOperation('StopInstances', STOP);
/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html */
const TerminateInstances = transitionOperation('TerminateInstances', TERMINATE);

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RebootInstances.html — the credential is kept. */
const RebootInstances = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const instances = findInstances(ctx, requiredIds(input));
    requireAll(ctx, input.dryRun, instances.map((instance) => instanceAuthorization(ctx, 'RebootInstances', instance)));
    for (const instance of instances) {
      if (instance.state !== 'running' && instance.state !== 'pending') throw refusal('rebooted', instance.instanceId);
    }
    return { return: true };
  },
});

function statusXml(instance: InstanceRecord, zoneId: string | undefined): XmlObject {
  const running = instance.state === 'running';
  const summary = running
    ? { status: 'ok', details: [{ name: 'reachability', status: 'passed' }] }
    : { status: 'not-applicable' };
  return {
    instanceId: instance.instanceId,
    availabilityZone: instance.availabilityZone,
    availabilityZoneId: zoneId,
    instanceState: stateXml(instance.state),
    systemStatus: summary,
    instanceStatus: summary,
    attachedEbsStatus: summary,
  };
}

const STATUS_FILTERS: FilterFields<InstanceRecord> = {
  'availability-zone': (instance) => instance.availabilityZone,
  'instance-state-name': (instance) => instance.state,
  'instance-state-code': (instance) => INSTANCE_STATE_CODES[instance.state],
  'instance-status.status': (instance) => (instance.state === 'running' ? 'ok' : 'not-applicable'),
  'instance-status.reachability': (instance) => (instance.state === 'running' ? 'passed' : undefined),
  'system-status.status': (instance) => (instance.state === 'running' ? 'ok' : 'not-applicable'),
  'system-status.reachability': (instance) => (instance.state === 'running' ? 'passed' : undefined),
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html — running instances only unless IncludeAllInstances. */
const DescribeInstanceStatus = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const { ids, page } = instanceIdsOrPage(input);
    const includeAll = input.boolean('IncludeAllInstances') ?? false;
    const filters = filtersOf(input);
    const chosen = ids.length > 0 ? findInstances(ctx, ids) : visibleInstances(ctx);
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeInstanceStatus')]);
    const visible = chosen.filter((instance) => includeAll || instance.state === 'running');
    const matching = applyFilters(visible, filters, STATUS_FILTERS).sort(byKey((instance) => instance.instanceId));
    const { items, nextToken } = paginate(matching, page);
    const zoneIdOf = (instance: InstanceRecord): string | undefined => ctx.app.ec2.subnets.get(instance.subnetId)?.availabilityZoneId;
    return { instanceStatusSet: items.map((instance) => statusXml(instance, zoneIdOf(instance))), nextToken };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceMetadataOptions.html */
const ModifyInstanceMetadataOptions = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx: OperationContext) {
    const instance = findInstance(ctx, input.required('InstanceId'));
    const requested = metadataOptionsInput(input, '');
    const options = { ...instance.metadataOptions, ...requested };
    requireAll(ctx, input.dryRun, [instanceAuthorization(ctx, 'ModifyInstanceMetadataOptions', instance, metadataKeys(options))]);
    if (instance.state === 'terminated' || instance.state === 'shutting-down') {
      throw incorrectInstanceState(`The instance '${instance.instanceId}' is not in a valid state for this operation.`);
    }
    ctx.app.ec2.instances.put({ ...instance, metadataOptions: options });
    return { instanceId: instance.instanceId, instanceMetadataOptions: metadataOptionsXml(options, 'pending') };
  },
});

export const instanceStateOperations: OperationMap = {
  StartInstances, StopInstances, RebootInstances, TerminateInstances, DescribeInstanceStatus, ModifyInstanceMetadataOptions,
};
