/**
 * One resource's part in a stack operation, with the events AWS emits for it:
 *
 *   create:  CREATE_IN_PROGRESS, CREATE_IN_PROGRESS "Resource creation Initiated",
 *            ["Received SUCCESS signal with UniqueId ..."], CREATE_COMPLETE | CREATE_FAILED
 *   update:  UPDATE_IN_PROGRESS ["Requested update requires the creation of a new physical
 *            resource; hence creating one."], UPDATE_COMPLETE | UPDATE_FAILED
 *   delete:  DELETE_IN_PROGRESS, DELETE_COMPLETE | DELETE_FAILED, or DELETE_SKIPPED (Retain)
 *
 * A type iamd does not implement fails with a reason naming it, unless the stack records such
 * resources as placeholders.
 */
import { changedProperties, validateProperties, type Properties } from '../providers/properties.js';
import { changeReplaces, type ProvisionedResource, type ResourceProvider } from '../providers/provider.js';
import { implementedTypes, placeholderProvider, providerFor, recordsPlaceholders } from '../providers/registry.js';
import type { ResourceDeclaration } from '../template/index.js';
import type { StackResourceRecord } from '../types.js';
import { failureReason } from './failure-reason.js';
import type { StackRun } from './stack-run.js';

export const NEEDS_REPLACEMENT = 'Requested update requires the creation of a new physical resource; hence creating one.';

/** A failure whose message is the event's reason as it stands. */
class PlainFailure extends Error {}

function providerOf(run: StackRun, type: string): { provider: ResourceProvider; placeholder: boolean } {
  const provider = providerFor(type);
  if (provider) return { provider, placeholder: false };
  if (recordsPlaceholders(run.op.stack.tags)) return { provider: placeholderProvider(type), placeholder: true };
  throw new PlainFailure(
    `iamd does not implement resource type ${type}. Implemented types: ${implementedTypes().join(', ')}. ` +
    'Create the stack with the tag iamd:placeholders=true to record such resources as placeholders.',
  );
}

function provisioned(record: StackResourceRecord): ProvisionedResource {
  return { logicalId: record.logicalId, physicalId: record.physicalId ?? '', attributes: record.attributes, properties: record.properties };
}

/** Waits for the resource's CreationPolicy signals, signalling a running instance when iamd is set to. */
async function awaitSignals(run: StackRun, declaration: ResourceDeclaration, physicalId: string, statusWhileWaiting: 'CREATE_IN_PROGRESS' | 'UPDATE_IN_PROGRESS'): Promise<void> {
  const policy = declaration.creationPolicy?.resourceSignal;
  if (!policy) return;
  const { app, op } = run;
  const state = app.cloudformation;
  const logicalId = declaration.logicalId;
  const waiting = state.signals.expect(op.stack.stackId, logicalId, policy.count, policy.timeoutSeconds, (status, uniqueId) => {
    op.resourceEvent(logicalId, declaration.type, { status: statusWhileWaiting, reason: `Received ${status} signal with UniqueId ${uniqueId}` });
  });
  if (run.cancelled) state.signals.cancel(op.stack.stackId, logicalId);
  if (declaration.type === 'AWS::EC2::Instance' && state.settings.signalInstancesWhenRunning) {
    for (let n = 1; n <= policy.count; n++) state.signals.signal(op.stack.stackId, logicalId, n === 1 ? physicalId : `${physicalId}-${n}`, 'SUCCESS');
  }
  const outcome = await waiting;
  if (outcome.kind === 'failure') throw new PlainFailure(`Received FAILURE signal with UniqueId ${outcome.uniqueId}`);
  if (outcome.kind === 'timeout') throw new PlainFailure(`Failed to receive ${outcome.missing} resource signal(s) within the specified duration`);
  if (outcome.kind === 'cancelled') throw new PlainFailure('Resource creation cancelled');
}

function reasonOf(run: StackRun, error: unknown, requestToken: string): string {
  if (error instanceof PlainFailure) return error.message;
  return failureReason(run.app, error, requestToken);
}

/** Creates one resource of the template; false when it failed. */
export async function createResource(run: StackRun, logicalId: string): Promise<boolean> {
  const { op } = run;
  const declaration = run.template.template.resources[logicalId]!;
  const type = declaration.type;
  const base: Pick<StackResourceRecord, 'dependsOn' | 'retain' | 'metadata'> = {
    dependsOn: [...(run.template.dependencies.get(logicalId) ?? [])],
    ...(declaration.deletionPolicy === 'Retain' ? { retain: true } : {}),
    ...(declaration.metadata !== undefined ? { metadata: declaration.metadata } : {}),
  };
  op.putResource({ logicalId, type, status: 'CREATE_IN_PROGRESS', timestamp: run.app.clock.now().toISOString(), properties: {}, attributes: {}, ...base });
  op.resourceEvent(logicalId, type, { status: 'CREATE_IN_PROGRESS', ...shown(run, declaration) });
  const requestToken = run.app.ids.requestId();
  try {
    const { provider, placeholder } = providerOf(run, type);
    const properties = run.resolveProperties(declaration);
    if (!placeholder) validateProperties(logicalId, provider.schema, properties);
    const created = await provider.create(run.providerContext(logicalId), properties);
    op.putResource({ ...op.resource(logicalId)!, physicalId: created.physicalId, attributes: created.attributes, properties, ...(placeholder ? { placeholder: true } : {}) });
    op.resourceEvent(logicalId, type, { status: 'CREATE_IN_PROGRESS', reason: 'Resource creation Initiated', physicalId: created.physicalId });
    await awaitSignals(run, declaration, created.physicalId, 'CREATE_IN_PROGRESS');
    op.resourceEvent(logicalId, type, { status: 'CREATE_COMPLETE' });
    return true;
  } catch (error) {
    op.resourceEvent(logicalId, type, { status: 'CREATE_FAILED', reason: reasonOf(run, error, requestToken) });
    return false;
  }
}

function shown(run: StackRun, declaration: ResourceDeclaration): { properties?: string } {
  const properties = run.shownProperties(declaration);
  return properties === undefined ? {} : { properties };
}

/** What updating a resource left to clean up: the old physical resource of a replacement. */
export interface UpdateOutcome {
  ok: boolean;
  /** the resource before the update (to roll back to) when it changed */
  before?: StackResourceRecord;
  /** the old physical resource, replaced by a new one */
  replaced?: StackResourceRecord;
}

/** Applies the template's resource to the one the stack has: nothing, in place, or replaced. */
export async function updateResource(run: StackRun, logicalId: string): Promise<UpdateOutcome> {
  const { op } = run;
  const before = op.resource(logicalId)!;
  const declaration = run.template.template.resources[logicalId]!;
  const requestToken = run.app.ids.requestId();
  let properties: Properties;
  let provider: ResourceProvider;
  let placeholder: boolean;
  try {
    ({ provider, placeholder } = providerOf(run, declaration.type));
    properties = run.resolveProperties(declaration);
    if (!placeholder) validateProperties(logicalId, provider.schema, properties);
  } catch (error) {
    op.resourceEvent(logicalId, declaration.type, { status: 'UPDATE_FAILED', reason: reasonOf(run, error, requestToken) });
    return { ok: false };
  }
  const dependsOn = [...(run.template.dependencies.get(logicalId) ?? [])];
  const retain = declaration.deletionPolicy === 'Retain';
  const changed = changedProperties(before.properties, properties);
  if (changed.size === 0) {
    op.putResource({ ...before, dependsOn, ...(retain ? { retain: true } : { retain: undefined }) });
    return { ok: true };
  }
  const replace = declaration.type !== before.type || [...changed].some((name) => changeReplaces(provider, name));
  const type = declaration.type;
  try {
    if (!replace) {
      op.resourceEvent(logicalId, type, { status: 'UPDATE_IN_PROGRESS', ...shown(run, declaration) });
      const updated = await provider.update!(run.providerContext(logicalId), provisioned(before), properties, changed);
      op.putResource({ ...op.resource(logicalId)!, physicalId: updated.physicalId, attributes: updated.attributes, properties, dependsOn });
      op.resourceEvent(logicalId, type, { status: 'UPDATE_COMPLETE' });
      return { ok: true, before };
    }
    const name = provider.nameProperty;
    if (name !== undefined && properties[name] !== undefined && properties[name] === before.properties[name]) {
      throw new PlainFailure(`CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${String(properties[name])} and update the stack again.`);
    }
    op.resourceEvent(logicalId, type, { status: 'UPDATE_IN_PROGRESS', reason: NEEDS_REPLACEMENT, ...shown(run, declaration) });
    const created = await provider.create(run.providerContext(logicalId), properties);
    op.putResource({ ...op.resource(logicalId)!, type, physicalId: created.physicalId, attributes: created.attributes, properties, dependsOn });
    op.resourceEvent(logicalId, type, { status: 'UPDATE_IN_PROGRESS', reason: 'Resource creation Initiated', physicalId: created.physicalId });
    await awaitSignals(run, declaration, created.physicalId, 'UPDATE_IN_PROGRESS');
    op.resourceEvent(logicalId, type, { status: 'UPDATE_COMPLETE' });
    return { ok: true, before, replaced: before };
  } catch (error) {
    op.resourceEvent(logicalId, type, { status: 'UPDATE_FAILED', reason: reasonOf(run, error, requestToken) });
    return { ok: false, before };
  }
}

/** Puts a resource updated in place back as it was (update rollback); false when that failed. */
export async function revertResource(run: StackRun, before: StackResourceRecord): Promise<boolean> {
  const { op } = run;
  const current = op.resource(before.logicalId);
  if (!current) return true;
  const requestToken = run.app.ids.requestId();
  op.resourceEvent(before.logicalId, before.type, { status: 'UPDATE_IN_PROGRESS' });
  try {
    const { provider } = providerOf(run, before.type);
    if (provider.update && current.physicalId === before.physicalId) {
      const changed = changedProperties(current.properties, before.properties);
      if (changed.size > 0) await provider.update(run.providerContext(before.logicalId), provisioned(current), before.properties, changed);
    }
    op.putResource({ ...before, status: 'UPDATE_IN_PROGRESS', timestamp: op.resource(before.logicalId)!.timestamp });
    op.resourceEvent(before.logicalId, before.type, { status: 'UPDATE_COMPLETE' });
    return true;
  } catch (error) {
    op.resourceEvent(before.logicalId, before.type, { status: 'UPDATE_FAILED', reason: reasonOf(run, error, requestToken) });
    return false;
  }
}

/**
 * Deletes one resource of the stack (or, with `replaced`, the old physical resource of a replaced
 * one, which leaves the resource's record alone); false when it failed.
 */
export async function deleteResource(run: StackRun, record: StackResourceRecord, options: { replaced?: boolean; retain?: boolean } = {}): Promise<boolean> {
  const { op } = run;
  const { logicalId, type } = record;
  const updateRecord = !options.replaced;
  const event = { physicalId: record.physicalId };
  if (record.retain || options.retain) {
    op.resourceEvent(logicalId, type, { status: 'DELETE_SKIPPED', ...event }, { updateRecord });
    return true;
  }
  if (record.physicalId === undefined || record.status === 'DELETE_COMPLETE') {
    if (record.status !== 'DELETE_COMPLETE') op.resourceEvent(logicalId, type, { status: 'DELETE_COMPLETE' }, { updateRecord });
    return true;
  }
  op.resourceEvent(logicalId, type, { status: 'DELETE_IN_PROGRESS', ...event }, { updateRecord });
  const requestToken = run.app.ids.requestId();
  try {
    const provider = record.placeholder ? placeholderProvider(type) : providerFor(type);
    if (provider) await provider.delete(run.providerContext(logicalId), provisioned(record));
    op.resourceEvent(logicalId, type, { status: 'DELETE_COMPLETE', ...event }, { updateRecord });
    return true;
  } catch (error) {
    op.resourceEvent(logicalId, type, { status: 'DELETE_FAILED', reason: reasonOf(run, error, requestToken), ...event }, { updateRecord });
    return false;
  }
}
