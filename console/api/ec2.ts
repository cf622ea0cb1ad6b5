/** The EC2 calls of the console: instances, their state changes and metadata options. */
import { callQuery, EC2, everyPage } from '../lib/api.js';
import { list, number, optionalText, text, type XmlValue } from '../lib/xml.js';

export interface Instance {
  instanceId: string;
  name?: string;
  state: string;
  instanceType: string;
  privateIpAddress?: string;
  vpcId?: string;
  subnetId?: string;
  availabilityZone?: string;
  launchTime?: string;
  instanceProfileArn?: string;
  metadata: { httpTokens: string; httpEndpoint: string; hopLimit?: number };
}

function instance(value: XmlValue): Instance {
  const tags = list(value, 'tagSet').map((tag) => ({ key: text(tag, 'key'), value: text(tag, 'value') }));
  const name = tags.find((tag) => tag.key === 'Name')?.value;
  const optional = {
    name, privateIpAddress: optionalText(value, 'privateIpAddress'), vpcId: optionalText(value, 'vpcId'), subnetId: optionalText(value, 'subnetId'),
    availabilityZone: optionalText(value, 'placement', 'availabilityZone'), launchTime: optionalText(value, 'launchTime'),
    instanceProfileArn: optionalText(value, 'iamInstanceProfile', 'arn'),
  };
  const hopLimit = number(value, 'metadataOptions', 'httpPutResponseHopLimit');
  return {
    instanceId: text(value, 'instanceId'),
    state: text(value, 'instanceState', 'name'),
    instanceType: text(value, 'instanceType'),
    ...Object.fromEntries(Object.entries(optional).filter(([, field]) => field !== undefined)),
    metadata: { httpTokens: text(value, 'metadataOptions', 'httpTokens'), httpEndpoint: text(value, 'metadataOptions', 'httpEndpoint'), ...(hopLimit !== undefined ? { hopLimit } : {}) },
  };
}

export function describeInstances(): Promise<Instance[]> {
  return everyPage(EC2, 'DescribeInstances', { MaxResults: '1000' }, { token: 'nextToken' },
    (result) => list(result, 'reservationSet').flatMap((reservation) => list(reservation, 'instancesSet').map(instance)), 50);
}

export async function startInstance(instanceId: string): Promise<void> {
  await callQuery(EC2, 'StartInstances', { 'InstanceId.1': instanceId });
}

export async function stopInstance(instanceId: string): Promise<void> {
  await callQuery(EC2, 'StopInstances', { 'InstanceId.1': instanceId });
}
