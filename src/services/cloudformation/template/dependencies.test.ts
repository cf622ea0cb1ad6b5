import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { creationOrder, resourceDependencies } from './dependencies.js';
import { contextForYaml, templateError } from './fixtures.js';

function dependenciesOf(body: string, parameters: Array<{ key: string; value: string }> = []): Record<string, string[]> {
  const { template, context } = contextForYaml(body, { parameters });
  const dependencies = resourceDependencies(template, context.conditions);
  return Object.fromEntries([...dependencies].map(([id, targets]) => [id, [...targets].sort()]));
}

const network = `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Gateway: {Type: AWS::EC2::InternetGateway}
  Attachment: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]]}}
  Route:
    Type: AWS::EC2::Route
    DependsOn: Attachment
    Properties: {GatewayId: !Ref Gateway}
  Instance:
    Type: AWS::EC2::Instance
    Metadata: {Note: !Sub "in \${Subnet} of \${AWS::Region}"}
    Properties: {UserData: !Base64 {"Fn::Sub": "echo \${Route}"}}
`;

describe('resource dependencies', () => {
  it('follows Ref, Fn::GetAtt, Fn::Sub (in properties and metadata) and DependsOn', () => {
    assert.deepEqual(dependenciesOf(network), {
      Vpc: [], Gateway: [], Attachment: ['Gateway', 'Vpc'], Subnet: ['Vpc'], Route: ['Attachment', 'Gateway'], Instance: ['Route', 'Subnet'],
    });
  });

  it('groups resources into waves that can be created concurrently', () => {
    const { template, context } = contextForYaml(network);
    assert.deepEqual(creationOrder(resourceDependencies(template, context.conditions)), [
      ['Vpc', 'Gateway'], ['Attachment', 'Subnet'], ['Route'], ['Instance'],
    ]);
  });

  const conditional = `
Parameters:
  WithQueue: {Type: String, Default: "no"}
Conditions:
  QueueWanted: !Equals [!Ref WithQueue, "yes"]
Resources:
  Queue: {Type: AWS::SQS::Queue, Condition: QueueWanted}
  Topic: {Type: AWS::SNS::Topic}
  Subscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Endpoint: !If [QueueWanted, !GetAtt Queue.Arn, !Ref "AWS::NoValue"]
`;

  it('leaves out resources whose condition is false, and Fn::If branches not taken', () => {
    assert.deepEqual(dependenciesOf(conditional), { Topic: [], Subscription: ['Topic'] });
    assert.deepEqual(dependenciesOf(conditional, [{ key: 'WithQueue', value: 'yes' }]), { Queue: [], Topic: [], Subscription: ['Queue', 'Topic'] });
  });

  it('rejects a created resource that names a resource left out by its condition (AWS\'s message)', () => {
    const body = conditional.replace('!If [QueueWanted, !GetAtt Queue.Arn, !Ref "AWS::NoValue"]', '!GetAtt Queue.Arn');
    assert.throws(() => dependenciesOf(body), templateError('Template format error: Unresolved resource dependencies [Queue] in the Resources block of the template'));
  });
});

describe('creation order', () => {
  const graph = (entries: Record<string, string[]>) => new Map(Object.entries(entries).map(([id, targets]) => [id, new Set(targets)]));

  it('puts independent resources in one wave, in the given order', () => {
    assert.deepEqual(creationOrder(graph({ C: [], A: [], B: [] })), [['C', 'A', 'B']]);
  });

  it('ignores dependencies on resources outside the graph', () => {
    assert.deepEqual(creationOrder(graph({ A: ['Gone'], B: ['A'] })), [['A'], ['B']]);
  });

  it('rejects a cycle with AWS\'s message, naming only the resources on it', () => {
    const cyclic = graph({ Bucket: [], Role: ['Function', 'Bucket'], Function: ['Role'], Alarm: ['Function'] });
    assert.throws(() => creationOrder(cyclic), templateError('Circular dependency between resources: [Role, Function]'));
  });

  it('rejects a resource that depends on itself', () => {
    assert.throws(() => creationOrder(graph({ A: ['A'] })), templateError('Circular dependency between resources: [A]'));
  });
});
