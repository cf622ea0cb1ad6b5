/**
 * Instance profiles on instances: resolving IamInstanceProfile.Arn|Name (RunInstances, Associate,
 * Replace), the iam:PassRole check that passing its role to EC2 needs, and the association
 * operations. Every new association (associate, replace) has a new id and generation and clears
 * the instance's cached credential, and so does a disassociation: the metadata service then
 * issues a fresh one (or none). Terminated instances have no associations to describe.
 */
import type { InstanceProfileRecord, RoleRecord } from '../../directory/types.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { describeAuthorization, requireAll } from './common.js';
import { associationNotFound, incorrectInstanceState, incorrectState, invalidParameterValue, missingParameter } from './errors.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, type FilterFields } from './input.js';
import { instanceArn, instanceAuthorization } from './instance-auth.js';
import { associationXml } from './instance-xml.js';
import { findInstance } from './lookups.js';
import type { InstanceRecord, ProfileAssociation } from './types.js';

export interface ResolvedProfile {
  profile: InstanceProfileRecord;
  role: RoleRecord;
}

/** IamInstanceProfile.Arn or .Name: the profile must exist and hold a role, or EC2 answers InvalidParameterValue. */
export function resolveInstanceProfile(ctx: OperationContext, spec: Ec2Input): ResolvedProfile | undefined {
  const arn = spec.string('Arn');
  const name = spec.string('Name');
  if (arn === undefined && name === undefined) return undefined;
  let profile: InstanceProfileRecord | undefined;
  if (arn !== undefined) {
    const match = /^arn:aws:iam::(\d{12}):instance-profile\/(?:.*\/)?([^/]+)$/.exec(arn);
    profile = match && match[1] === ctx.app.accountId ? ctx.app.directory.get('instance-profile', match[2]!) : undefined;
    if (!profile || profile.arn !== arn || (name !== undefined && profile.instanceProfileName !== name)) {
      throw invalidParameterValue(`Value (${arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
    }
  } else {
    profile = ctx.app.directory.get('instance-profile', name!);
    if (!profile) throw invalidParameterValue(`Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
  }
  const role = profile.roleName === undefined ? undefined : ctx.app.directory.get('role', profile.roleName);
  if (!role) throw invalidParameterValue(`IAM Instance Profile "${profile.arn}" has no associated IAM Roles`);
  return { profile, role };
}

/** Passing a role to EC2: iam:PassRole on the role, for the ec2.amazonaws.com service, naming the instance. */
export function passRoleAuthorization(role: RoleRecord, instanceArnText: string): Authorization {
  return {
    action: 'iam:PassRole',
    resource: role.arn,
    conditionKeys: { 'iam:PassedToService': 'ec2.amazonaws.com', 'iam:AssociatedResourceARN': instanceArnText },
  };
}

export function newAssociation(ctx: OperationContext, profile: InstanceProfileRecord, previous?: ProfileAssociation): ProfileAssociation {
  return {
    associationId: ctx.app.ec2.ids.id('iip-assoc'),
    instanceProfileArn: profile.arn,
    instanceProfileId: profile.instanceProfileId,
    state: 'associated',
    generation: (previous?.generation ?? 0) + 1,
    associatedAt: ctx.request.time.toISOString(),
  };
}

function requiredProfile(ctx: OperationContext, input: Ec2Input): ResolvedProfile {
  if (!input.hasStructure('IamInstanceProfile')) throw missingParameter('IamInstanceProfile');
  const resolved = resolveInstanceProfile(ctx, input.structure('IamInstanceProfile'));
  if (!resolved) throw missingParameter('IamInstanceProfile');
  return resolved;
}

function instanceOfAssociation(ctx: OperationContext, associationId: string): InstanceRecord {
  const instance = ctx.app.ec2.instances.list().find((candidate) => candidate.profileAssociation?.associationId === associationId && candidate.state !== 'terminated');
  if (!instance) throw associationNotFound(associationId);
  return instance;
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateIamInstanceProfile.html */
const AssociateIamInstanceProfile = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const instance = findInstance(ctx, input.required('InstanceId'));
    const { profile, role } = requiredProfile(ctx, input);
    requireAll(ctx, false, [
      instanceAuthorization(ctx, 'AssociateIamInstanceProfile', instance, { 'ec2:NewInstanceProfile': profile.arn }),
      passRoleAuthorization(role, instanceArn(ctx, instance.instanceId)),
    ]);
    if (instance.state === 'terminated' || instance.state === 'shutting-down') {
      throw incorrectInstanceState(`The instance '${instance.instanceId}' is not in a valid state for this operation.`);
    }
    if (instance.profileAssociation) throw incorrectState(`There is an existing association for instance ${instance.instanceId}`);
    const association = newAssociation(ctx, profile);
    ctx.app.ec2.instances.put({ ...instance, profileAssociation: association, credential: undefined, credentialV1: undefined });
    return { iamInstanceProfileAssociation: associationXml(instance.instanceId, association, 'associating') };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceIamInstanceProfileAssociation.html */
const ReplaceIamInstanceProfileAssociation = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const instance = instanceOfAssociation(ctx, input.required('AssociationId'));
    const { profile, role } = requiredProfile(ctx, input);
    requireAll(ctx, false, [
      instanceAuthorization(ctx, 'ReplaceIamInstanceProfileAssociation', instance, { 'ec2:NewInstanceProfile': profile.arn }),
      passRoleAuthorization(role, instanceArn(ctx, instance.instanceId)),
    ]);
    const association = newAssociation(ctx, profile, instance.profileAssociation);
    ctx.app.ec2.instances.put({ ...instance, profileAssociation: association, credential: undefined, credentialV1: undefined });
    return { iamInstanceProfileAssociation: associationXml(instance.instanceId, association, 'associating') };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateIamInstanceProfile.html */
const DisassociateIamInstanceProfile = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const instance = instanceOfAssociation(ctx, input.required('AssociationId'));
    const association = instance.profileAssociation!;
    requireAll(ctx, false, [instanceAuthorization(ctx, 'DisassociateIamInstanceProfile', instance)]);
    ctx.app.ec2.instances.put({ ...instance, profileAssociation: undefined, credential: undefined, credentialV1: undefined });
    return { iamInstanceProfileAssociation: associationXml(instance.instanceId, association, 'disassociating') };
  },
});

interface AssociationRow {
  instance: InstanceRecord;
  association: ProfileAssociation;
}

const ASSOCIATION_FILTERS: FilterFields<AssociationRow> = {
  'instance-id': (row) => row.instance.instanceId,
  state: (row) => row.association.state,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeIamInstanceProfileAssociations.html */
const DescribeIamInstanceProfileAssociations = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('AssociationId');
    const page = pageRequest(input);
    const filters = filtersOf(input);
    requireAll(ctx, false, [describeAuthorization('DescribeIamInstanceProfileAssociations')]);
    let rows: AssociationRow[] = ctx.app.ec2.instances.list()
      .filter((instance) => instance.state !== 'terminated' && instance.profileAssociation)
      .map((instance) => ({ instance, association: instance.profileAssociation! }))
      .sort((a, b) => a.association.associationId.localeCompare(b.association.associationId));
    if (ids.length > 0) {
      for (const id of ids) if (!rows.some((row) => row.association.associationId === id)) throw associationNotFound(id);
      rows = rows.filter((row) => ids.includes(row.association.associationId));
    }
    const { items, nextToken } = paginate(applyFilters(rows, filters, ASSOCIATION_FILTERS), page);
    const result: XmlObject = {
      iamInstanceProfileAssociationSet: items.map((row) => associationXml(row.instance.instanceId, row.association)),
      nextToken,
    };
    return result;
  },
});

export const instanceProfileOperations: OperationMap = {
  AssociateIamInstanceProfile, ReplaceIamInstanceProfileAssociation, DisassociateIamInstanceProfile, DescribeIamInstanceProfileAssociations,
};
