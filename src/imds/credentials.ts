/**
 * Instance role credentials, as EC2 delivers them through the metadata service: a session of the
 * instance profile's role whose RoleSessionName is the instance id
 * (arn:aws:sts::ACCOUNT:assumed-role/ROLE/i-...), sealed with the instance's VPC, private IP and ARN
 * and the IMDS version that fetched it (ec2:RoleDelivery), so that every request signed with it
 * carries aws:Ec2InstanceSourceVpc and friends.
 *
 * The credential served is kept on the instance record (`credential` for IMDSv2, `credentialV1` for
 * tokenless fetches: AWS hands the two deliveries distinct credentials) and served unchanged until
 * it is due for rotation, `refreshBeforeSeconds` before it expires (AWS: new credentials are
 * available at least five minutes before the old ones expire). A credential also stops being served
 * when the instance was started again (bootCount) or its profile association replaced (association
 * id and generation);
 * the EC2 API clears `credential` in those cases too. Revoking the role's older sessions does not
 * make IMDS issue a new one: the revoked credential is served until rotation or stop/start, as on AWS.
 *
 * EC2 itself assumes the role, so the role's trust policy must let the service principal
 * ec2.amazonaws.com call sts:AssumeRole; when it does not, the credential document says
 * AssumeRoleUnauthorizedAccess, as AWS's does (IAM user guide, "Troubleshoot Amazon EC2 and IAM").
 */
import type { InstanceDelivery } from '../auth/session-token.js';
import type { InstanceProfileRecord, RoleRecord } from '../directory/types.js';
import { isoSeconds } from '../domain/clock.js';
import { evaluate, type ContextValue } from '../policy/index.js';
import type { App } from '../server/app.js';
import type { InstanceCredential, InstanceRecord } from '../services/ec2/types.js';
import { issueCredentials } from '../services/sts/credentials.js';
import { imdsJson } from './json.js';

export interface CredentialTiming {
  /** how long an instance credential is valid (AWS: about 6 hours) */
  lifetimeSeconds: number;
  /** how long before expiry a new one is issued (at least 5 minutes, as AWS documents) */
  refreshBeforeSeconds: number;
}

export const DEFAULT_CREDENTIAL_TIMING: Readonly<CredentialTiming> = Object.freeze({ lifetimeSeconds: 6 * 3600, refreshBeforeSeconds: 3600 });
export const MIN_REFRESH_BEFORE_SECONDS = 300;

export type RoleDelivery = InstanceDelivery['roleDelivery'];

/** What the instance's profile association leads to, as the iam/ tree shows it. */
export type ProfileState =
  | { kind: 'none' }
  | { kind: 'profile-not-found'; arn: string; id: string }
  | { kind: 'no-role'; profile: InstanceProfileRecord }
  | { kind: 'role'; profile: InstanceProfileRecord; role: RoleRecord };

const TROUBLESHOOTING = 'Please see documentation at http://docs.amazonwebservices.com/IAM/latest/UserGuide/RolesTroubleshooting.html.';

export function profileState(app: App, instance: InstanceRecord): ProfileState {
  const association = instance.profileAssociation;
  if (!association || (association.state !== 'associated' && association.state !== 'associating')) return { kind: 'none' };
  const name = association.instanceProfileArn.slice(association.instanceProfileArn.lastIndexOf('/') + 1);
  const profile = app.directory.get('instance-profile', name);
  // A profile deleted and created again under the same name is another profile (another id).
  if (!profile || profile.instanceProfileId !== association.instanceProfileId) {
    return { kind: 'profile-not-found', arn: association.instanceProfileArn, id: association.instanceProfileId };
  }
  const role = profile.roleName === undefined ? undefined : app.directory.get('role', profile.roleName);
  return role ? { kind: 'role', profile, role } : { kind: 'no-role', profile };
}

/** The iam/info document. */
export function infoDocument(app: App, instance: InstanceRecord, state: Exclude<ProfileState, { kind: 'none' }>): string {
  const lastUpdated = instance.credential?.lastUpdated ?? instance.credentialV1?.lastUpdated ?? isoSeconds(app.clock.now());
  if (state.kind === 'profile-not-found') {
    return imdsJson({
      Code: 'InstanceProfileNotFound',
      Message: `Instance Profile with Arn ${state.arn} and Id ${state.id} cannot be found. ${TROUBLESHOOTING}`,
      LastUpdated: lastUpdated,
    });
  }
  return imdsJson({
    Code: 'Success',
    Message: state.kind === 'no-role' ? `Instance Profile does not contain a role. ${TROUBLESHOOTING}` : undefined,
    LastUpdated: lastUpdated,
    InstanceProfileArn: state.profile.arn,
    InstanceProfileId: state.profile.instanceProfileId,
  });
}

/** Documents of credentials already served, by the (immutable) credential record. */
const documents = new WeakMap<InstanceCredential, string>();

/**
 * The credential document of `role` for this delivery: the credential held when it is still good,
 * else a new one, issued and stored on the instance record.
 */
export function credentialDocument(app: App, instance: InstanceRecord, role: RoleRecord, delivery: RoleDelivery, timing: CredentialTiming): string {
  const now = app.clock.now();
  const held = delivery === '2.0' ? instance.credential : instance.credentialV1;
  // A credential iamd revoked (targeted revoke, src/sessions) is replaced: the instance is never locked out by it.
  if (held && servable(held, instance, role, now.getTime(), timing) && !app.sessions.isRevoked(held.accessKeyId)) {
    const document = documents.get(held) ?? documentOf(app, held);
    if (document !== undefined) return document;
  }
  if (!ec2MayAssume(app, role, now)) {
    return imdsJson({
      Code: 'AssumeRoleUnauthorizedAccess',
      Message: `EC2 cannot assume the role ${role.roleName}.  ${TROUBLESHOOTING}`,
      LastUpdated: isoSeconds(now),
    });
  }
  return issue(app, instance, role, delivery, timing, now);
}

function servable(held: InstanceCredential, instance: InstanceRecord, role: RoleRecord, now: number, timing: CredentialTiming): boolean {
  return held.roleName === role.roleName
    && held.associationGeneration === instance.profileAssociation?.generation
    && held.associationId === instance.profileAssociation?.associationId
    && held.bootCount === instance.bootCount
    && now < Date.parse(held.expiration) - timing.refreshBeforeSeconds * 1000;
}

function issue(app: App, instance: InstanceRecord, role: RoleRecord, delivery: RoleDelivery, timing: CredentialTiming, now: Date): string {
  const instanceArn = `arn:aws:ec2:${app.region}:${app.accountId}:instance/${instance.instanceId}`;
  const issued = issueCredentials(app, now, {
    principal: { type: 'AssumedRole', accountId: app.accountId, roleId: role.roleId, roleName: role.roleName, rolePath: role.path, sessionName: instance.instanceId },
    issuedTo: instanceArn,
    ec2: { instanceId: instance.instanceId, instanceArn, vpcId: instance.vpcId, privateIp: instance.privateIpAddress, roleDelivery: delivery },
  }, timing.lifetimeSeconds);
  const credential: InstanceCredential = {
    roleName: role.roleName,
    accessKeyId: issued.claims.accessKeyId,
    sessionToken: issued.sessionToken,
    lastUpdated: isoSeconds(now),
    expiration: isoSeconds(new Date(issued.claims.expiresAt)),
    associationGeneration: instance.profileAssociation?.generation ?? 0,
    bootCount: instance.bootCount,
    ...(instance.profileAssociation ? { associationId: instance.profileAssociation.associationId } : {}),
  };
  // Written onto the record as it is now (this runs synchronously, so nothing changed it meanwhile).
  const current = app.ec2.instances.get(instance.instanceId) ?? instance;
  app.ec2.instances.put(delivery === '2.0' ? { ...current, credential } : { ...current, credentialV1: credential });
  app.usage.touchRole(role.roleId, { time: now.toISOString(), service: 'ec2', region: app.region });
  app.logger.log('info', 'instance credential issued', {
    instanceId: instance.instanceId, roleName: role.roleName, accessKeyId: credential.accessKeyId, roleDelivery: delivery, expiration: credential.expiration,
  });
  const document = successDocument(credential, issued.claims.secretAccessKey);
  documents.set(credential, document);
  return document;
}

/** The document of a stored credential; its secret is sealed in its session token. */
function documentOf(app: App, credential: InstanceCredential): string | undefined {
  const claims = app.tokens.open(credential.sessionToken);
  if (!claims || claims.accessKeyId !== credential.accessKeyId) return undefined;
  const document = successDocument(credential, claims.secretAccessKey);
  documents.set(credential, document);
  return document;
}

function successDocument(credential: InstanceCredential, secretAccessKey: string): string {
  return imdsJson({
    Code: 'Success',
    LastUpdated: credential.lastUpdated,
    Type: 'AWS-HMAC',
    AccessKeyId: credential.accessKeyId,
    SecretAccessKey: secretAccessKey,
    Token: credential.sessionToken,
    Expiration: credential.expiration,
  });
}

/** Whether the role's trust policy lets ec2.amazonaws.com assume it. */
function ec2MayAssume(app: App, role: RoleRecord, now: Date): boolean {
  try {
    const trust = app.library.compile(role.assumeRolePolicyDocument, 'trust', { kind: 'trust', name: role.roleName, arn: role.arn });
    const keys = new Map<string, ContextValue>([
      ['aws:currenttime', isoSeconds(now)],
      ['aws:epochtime', String(Math.floor(now.getTime() / 1000))],
    ]);
    const decision = evaluate(
      { action: 'sts:AssumeRole', resource: role.arn, principal: { type: 'Service', arn: 'ec2.amazonaws.com', accountId: app.accountId }, keys },
      { identity: [], resource: trust },
      { resourcePolicyRequired: true },
    );
    return decision.effect === 'allowed';
  } catch {
    return false;
  }
}
