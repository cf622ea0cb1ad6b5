/**
 * A stand-in for CloudFormation's read API (DescribeStacks, DescribeStackEvents,
 * DescribeStackResources answering one fixed stack, in the shapes of AWS's API reference), so the
 * console's Stacks page can be tested before iamd serves CloudFormation. Registered on one test
 * server's App only; authorized as cloudformation:* on "*" like any call.
 */
import { AwsError } from '../../src/protocol/aws-error.js';
import { queryProtocol } from '../../src/protocol/protocols.js';
import type { XmlObject } from '../../src/protocol/xml.js';
import { operation, type ServiceDefinition } from '../../src/services/service.js';
import type { App } from '../../src/server/app.js';

export const STUB_STACK = 'story-stack';
const STACK_ID = `arn:aws:cloudformation:us-east-1:000000000000:stack/${STUB_STACK}/6f0e3b40-7a51-11ef-9c5e-0affd1a2b3c4`;
const CREATED = '2026-01-15T10:00:00.000Z';

function read(action: string, result: (name: string | undefined) => XmlObject) {
  return operation<string | undefined>({
    input: (query) => query.optional('StackName'),
    authorize: () => ({ action: `cloudformation:${action}`, resource: '*' }),
    handle(name) {
      if (name !== undefined && name !== STUB_STACK && name !== STACK_ID) throw new AwsError('ValidationError', `Stack with id ${name} does not exist`, 400);
      return result(name);
    },
  });
}

const stack: XmlObject = {
  StackId: STACK_ID, StackName: STUB_STACK, Description: 'The story\'s two instances and their role', CreationTime: CREATED,
  LastUpdatedTime: '2026-01-15T10:02:00.000Z', StackStatus: 'CREATE_COMPLETE',
  Parameters: [{ ParameterKey: 'InstanceType', ParameterValue: 't3.micro' }],
  Outputs: [{ OutputKey: 'RoleArn', OutputValue: 'arn:aws:iam::000000000000:role/story-role', Description: 'The instance role' }],
};

const resources: XmlObject[] = [
  { LogicalResourceId: 'InstanceRole', PhysicalResourceId: 'story-role', ResourceType: 'AWS::IAM::Role', ResourceStatus: 'CREATE_COMPLETE', Timestamp: CREATED, StackName: STUB_STACK, StackId: STACK_ID },
  { LogicalResourceId: 'Instance1', PhysicalResourceId: 'i-0123456789abcdef0', ResourceType: 'AWS::EC2::Instance', ResourceStatus: 'CREATE_COMPLETE', Timestamp: CREATED, StackName: STUB_STACK, StackId: STACK_ID },
];

const events: XmlObject[] = [
  { EventId: 'e-3', StackId: STACK_ID, StackName: STUB_STACK, LogicalResourceId: STUB_STACK, ResourceType: 'AWS::CloudFormation::Stack', Timestamp: '2026-01-15T10:02:00.000Z', ResourceStatus: 'CREATE_COMPLETE' },
  { EventId: 'e-2', StackId: STACK_ID, StackName: STUB_STACK, LogicalResourceId: 'Instance2', ResourceType: 'AWS::EC2::Instance', Timestamp: '2026-01-15T10:01:00.000Z', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Instance limit exceeded' },
  { EventId: 'e-1', StackId: STACK_ID, StackName: STUB_STACK, LogicalResourceId: STUB_STACK, ResourceType: 'AWS::CloudFormation::Stack', Timestamp: CREATED, ResourceStatus: 'CREATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated' },
];

export const cloudFormationStub: ServiceDefinition = {
  name: 'cloudformation',
  protocol: queryProtocol,
  version: '2010-05-15',
  xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  operations: {
    DescribeStacks: read('DescribeStacks', () => ({ Stacks: [stack] })),
    DescribeStackEvents: read('DescribeStackEvents', () => ({ StackEvents: events })),
    DescribeStackResources: read('DescribeStackResources', () => ({ StackResources: resources })),
  },
};

/** Serves the stub on `app` (its service table is a Map behind a read-only type). */
export function serveCloudFormationStub(app: App): () => void {
  const services = app.services as Map<string, ServiceDefinition>;
  const previous = services.get('cloudformation');
  services.set('cloudformation', cloudFormationStub);
  return () => {
    if (previous) services.set('cloudformation', previous);
    else services.delete('cloudformation');
  };
}
