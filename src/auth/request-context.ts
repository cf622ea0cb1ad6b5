/**
 * The request context of a call: the global condition keys AWS sets for it, built in one place
 * so that the policy engine, the simulator and the audit trail see the same values.
 * A key that does not apply is absent (a condition on an absent key is false; see the policy engine).
 *
 * The keys come in two halves: those that depend only on the caller (its ARN, type, tags, session),
 * which the authorizer builds once per caller and keeps with the caller's policies, and those that
 * change with every request (time, source address, transport, user agent, region).
 *
 * Where a request comes from: through a running instance's own address (src/network) it comes from
 * inside that instance's VPC and carries aws:SourceVpc and aws:VpcSourceIp, as a request through a
 * VPC endpoint does on AWS; through any other address it comes from the internet: aws:SourceIp.
 * Instance credentials (a session with `ec2` claims) carry the VPC and private IP they were delivered
 * to on every request: aws:Ec2InstanceSourceVpc, aws:Ec2InstanceSourcePrivateIPv4,
 * ec2:SourceInstanceARN and ec2:RoleDelivery.
 */
import { isoSeconds } from '../domain/clock.js';
import type { Tag } from '../directory/types.js';
import type { ContextValue } from '../policy/index.js';
import { principalArn, type Caller } from './caller.js';

/** What the transport knows about a request. */
export interface RequestInfo {
  sourceIp: string;
  secure: boolean;
  userAgent: string;
  region: string;
  /** the local address the client dialed (instances have addresses of their own) */
  localAddress: string;
  time: Date;
}

/** The VPC a request reached iamd from (an instance's address), with the sender's private IP. */
export interface VpcSource {
  vpcId: string;
  privateIp: string;
}

const PRINCIPAL_TYPE: Record<Caller['kind'], string> = {
  root: 'Account',
  'root-session': 'Account',
  user: 'User',
  'user-session': 'User',
  'role-session': 'AssumedRole',
  'federated-user': 'FederatedUser',
};

/** Sets a key under its lower-cased name (keys are case-insensitive), unless the value is absent. */
function setKey(keys: Map<string, ContextValue>, name: string, value: ContextValue | undefined): void {
  if (value !== undefined) keys.set(name.toLowerCase(), value);
}

/** The keys that depend only on the caller and its principal's tags. */
export function callerConditionKeys(caller: Caller, principalTags: readonly Tag[]): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>();
  setKey(keys, 'aws:PrincipalArn', principalArn(caller));
  setKey(keys, 'aws:PrincipalAccount', caller.accountId);
  setKey(keys, 'aws:PrincipalType', PRINCIPAL_TYPE[caller.kind]);
  setKey(keys, 'aws:userid', caller.userId);
  if (caller.kind === 'user' || caller.kind === 'user-session') setKey(keys, 'aws:username', caller.userName);
  setKey(keys, 'aws:ViaAWSService', 'false');
  for (const tag of principalTags) setKey(keys, `aws:PrincipalTag/${tag.Key}`, tag.Value);
  const session = caller.session;
  if (session) {
    setKey(keys, 'aws:TokenIssueTime', new Date(session.issuedAt).toISOString());
    setKey(keys, 'aws:MultiFactorAuthPresent', session.mfaAuthenticated ? 'true' : 'false');
    setKey(keys, 'aws:SourceIdentity', session.sourceIdentity);
    const delivery = session.ec2;
    if (delivery) {
      setKey(keys, 'aws:Ec2InstanceSourceVpc', delivery.vpcId);
      setKey(keys, 'aws:Ec2InstanceSourcePrivateIPv4', delivery.privateIp);
      setKey(keys, 'ec2:SourceInstanceARN', delivery.instanceArn);
      setKey(keys, 'ec2:RoleDelivery', delivery.roleDelivery);
    }
  }
  return keys;
}

/**
 * aws:CurrentTime and aws:EpochTime of the last second seen. Both have whole-second precision, and a
 * busy server sees thousands of requests in the same second: formatting the time for each of them
 * cost more than the rest of the context.
 */
let timeKeys = { second: NaN, currentTime: '', epochTime: '' };

function timeKeysAt(time: Date): typeof timeKeys {
  const second = Math.floor(time.getTime() / 1000);
  // NaN (an invalid date) never equals itself, so it falls through to isoSeconds and its RangeError.
  if (second !== timeKeys.second) timeKeys = { second, currentTime: isoSeconds(time), epochTime: String(second) };
  return timeKeys;
}

/** setKey for a name written lower-case already: no need to lower-case it on every request. */
function setLowerCaseKey(keys: Map<string, ContextValue>, name: string, value: ContextValue | undefined): void {
  if (value !== undefined) keys.set(name, value);
}

/** Adds the keys that change with every request; `vpc` when it came through an instance's address. */
export function addRequestConditionKeys(keys: Map<string, ContextValue>, request: RequestInfo, vpc?: VpcSource): void {
  const time = timeKeysAt(request.time);
  setLowerCaseKey(keys, 'aws:currenttime', time.currentTime);
  setLowerCaseKey(keys, 'aws:epochtime', time.epochTime);
  if (vpc === undefined) setLowerCaseKey(keys, 'aws:sourceip', request.sourceIp);
  else {
    setLowerCaseKey(keys, 'aws:sourcevpc', vpc.vpcId);
    setLowerCaseKey(keys, 'aws:vpcsourceip', vpc.privateIp);
  }
  setLowerCaseKey(keys, 'aws:securetransport', request.secure ? 'true' : 'false');
  setLowerCaseKey(keys, 'aws:useragent', request.userAgent);
  setLowerCaseKey(keys, 'aws:requestedregion', request.region);
}

/** Every global condition key of one request, in a map of its own. */
export function globalConditionKeys(caller: Caller, request: RequestInfo, principalTags: readonly Tag[], vpc?: VpcSource): Map<string, ContextValue> {
  const keys = callerConditionKeys(caller, principalTags);
  addRequestConditionKeys(keys, request, vpc);
  return keys;
}
