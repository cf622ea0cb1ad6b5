/**
 * Instance fixtures for the metadata service and network identity tests: an instance role with its
 * instance profile (through the IAM API), a VPC with a subnet and a security group, and instance
 * records put straight into EC2's instance table; raw HTTP helpers for the metadata service.
 */
import {
  AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { InstanceRecord } from '../../src/services/ec2/types.js';
import { iamClient, type TestServer } from './server.js';

export const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export interface InstanceProfile {
  roleName: string;
  roleArn: string;
  profileArn: string;
  profileId: string;
}

/** Role `name` (trusting ec2.amazonaws.com unless told otherwise) in an instance profile of the same name. */
export async function createInstanceRole(server: TestServer, name: string, options: { trust?: string; policy?: string } = {}): Promise<InstanceProfile> {
  const iam = iamClient(server);
  try {
    const role = (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: options.trust ?? EC2_TRUST }))).Role!;
    if (options.policy) await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'instance', PolicyDocument: options.policy }));
    const profile = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }))).InstanceProfile!;
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
    return { roleName: name, roleArn: role.Arn!, profileArn: profile.Arn!, profileId: profile.InstanceProfileId! };
  } finally {
    iam.destroy();
  }
}

export const VPC_ID = 'vpc-0a1b2c3d4e5f60718';
export const SUBNET_ID = 'subnet-0a1b2c3d4e5f60718';
export const GROUP_ID = 'sg-0a1b2c3d4e5f60718';

/** A VPC 172.31.0.0/16 with one subnet and a security group named "web". */
export function putNetwork(server: TestServer, vpcId = VPC_ID): void {
  const { ec2, accountId } = server.app;
  if (ec2.vpcs.get(vpcId)) return;
  ec2.vpcs.put({
    vpcId, cidrBlock: '172.31.0.0/16', additionalCidrBlocks: [], isDefault: false, state: 'available', dhcpOptionsId: 'dopt-0123456789abcdef0',
    instanceTenancy: 'default', enableDnsSupport: true, enableDnsHostnames: true, tags: [],
  });
  ec2.subnets.put({
    subnetId: SUBNET_ID, vpcId, cidrBlock: '172.31.0.0/16', availabilityZone: 'us-east-1a', availabilityZoneId: 'use1-az4',
    defaultForAz: false, mapPublicIpOnLaunch: false, state: 'available', tags: [],
  });
  ec2.securityGroups.put({ groupId: GROUP_ID, groupName: 'web', description: 'web', vpcId, ownerId: accountId, ipPermissions: [], ipPermissionsEgress: [], tags: [] });
}

// A third octet of its own per test process, so that instance addresses of parallel runs do not meet.
const thirdOctet = 64 + (process.pid % 180);
let lastOctet = 3;

/** A private IP in 172.31.0.0/16 whose loopback twin 127.31.x.y no other instance of this run has. */
export function nextPrivateIp(): string {
  lastOctet = lastOctet >= 254 ? 4 : lastOctet + 1;
  return `172.31.${thirdOctet}.${lastOctet}`;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Puts a running instance (with `profile`, when given) into EC2's table, as RunInstances would, and waits for its listeners. */
export async function putInstance(server: TestServer, profile: InstanceProfile | undefined, overrides: Partial<InstanceRecord> = {}): Promise<InstanceRecord> {
  putNetwork(server);
  const privateIp = overrides.privateIpAddress ?? nextPrivateIp();
  const now = server.app.clock.now().toISOString();
  const record: InstanceRecord = {
    instanceId: `i-0${hex(8)}`,
    imageId: 'ami-0c02fb55956c7d316',
    instanceType: 't3.micro',
    state: 'running',
    stateTransitionReason: '',
    launchTime: now,
    pendingTime: now,
    availabilityZone: 'us-east-1a',
    vpcId: VPC_ID,
    subnetId: SUBNET_ID,
    privateIpAddress: privateIp,
    privateDnsName: `ip-${privateIp.replace(/\./g, '-')}.ec2.internal`,
    macAddress: `0e:${hex(5).match(/../g)!.join(':')}`,
    networkInterfaceId: `eni-0${hex(8)}`,
    securityGroupIds: [GROUP_ID],
    architecture: 'x86_64',
    amiLaunchIndex: 0,
    reservationId: `r-0${hex(8)}`,
    ownerId: server.app.accountId,
    tags: [],
    metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', instanceMetadataTags: 'disabled' },
    ...(profile ? {
      profileAssociation: {
        associationId: `iip-assoc-0${hex(8)}`, instanceProfileArn: profile.profileArn, instanceProfileId: profile.profileId, state: 'associated', generation: 1,
      },
    } : {}),
    bootCount: 1,
    ...overrides,
  };
  server.app.ec2.instances.put(record);
  await server.instances.settled();
  return record;
}

/** Changes an instance record (state, options, credential...) and waits for its listeners to follow. */
export async function updateInstance(server: TestServer, instanceId: string, change: (record: InstanceRecord) => InstanceRecord): Promise<InstanceRecord> {
  const updated = change(server.app.ec2.instances.get(instanceId)!);
  server.app.ec2.instances.put(updated);
  await server.instances.settled();
  return updated;
}

export interface Endpoints {
  imdsUrl: string;
  apiUrl: string;
}

export function endpointsOf(server: TestServer, instanceId: string): Endpoints {
  const endpoints = server.instances.endpoints(instanceId);
  if (!endpoints) throw new Error(`${instanceId} has no listeners`);
  return endpoints;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers (fetch would add its own), on a fresh connection. */
export function raw(url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** PUT /latest/api/token (TTL 21600 unless told). */
export async function imdsToken(imdsUrl: string, ttl = '21600'): Promise<string> {
  const answer = await raw(new URL('/latest/api/token', imdsUrl).href, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl } });
  if (answer.status !== 200) throw new Error(`token PUT answered ${answer.status}`);
  return answer.body;
}

/** GET a metadata path, with `token` (IMDSv2) or without (IMDSv1). */
export function imdsGet(imdsUrl: string, path: string, token?: string): Promise<RawResponse> {
  return raw(new URL(path, imdsUrl).href, { headers: token === undefined ? {} : { 'x-aws-ec2-metadata-token': token } });
}

export interface CredentialDocument {
  Code: string;
  LastUpdated: string;
  Type: string;
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
}

/** The SDKs' fetch sequence: token, role name, credential document (v1 when `v1`). */
export async function fetchCredentials(imdsUrl: string, v1 = false): Promise<CredentialDocument> {
  const token = v1 ? undefined : await imdsToken(imdsUrl);
  const roleName = (await imdsGet(imdsUrl, '/latest/meta-data/iam/security-credentials/', token)).body;
  const answer = await imdsGet(imdsUrl, `/latest/meta-data/iam/security-credentials/${roleName}`, token);
  if (answer.status !== 200) throw new Error(`credential GET answered ${answer.status}`);
  return JSON.parse(answer.body) as CredentialDocument;
}

export const credentialsOf = (document: CredentialDocument) => ({
  accessKeyId: document.AccessKeyId, secretAccessKey: document.SecretAccessKey, sessionToken: document.Token,
});

/** Connecting to `url` is refused (nothing listens there). */
export async function refused(url: string): Promise<boolean> {
  try {
    await raw(url);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  }
}
