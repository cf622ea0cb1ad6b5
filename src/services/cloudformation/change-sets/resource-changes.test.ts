import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StackEvaluation } from '../runner/evaluation.js';
import { contextFor } from '../template/fixtures.js';
import { parseTemplate, resourceDependencies, type ParameterValueInput, type Template } from '../template/index.js';
import type { StackParameter, StackResourceRecord } from '../types.js';
import { resourceChanges, type ChangeSetInputs } from './resource-changes.js';

const template = (tier: string, extra = ''): string => `
Parameters:
  Cidr: {Type: String, Default: 10.0.0.0/16}
  Port: {Type: Number, Default: 80}
Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !Ref Cidr, Tags: [{Key: Tier, Value: ${tier}}]}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Network
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 0.0.0.0/0}]
${extra}`;

const OLD_SETTING = `  Setting:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !GetAtt Network.CidrBlock}
`;

const BEFORE = template('web', OLD_SETTING);

function record(logicalId: string, type: string, physicalId: string, properties: Record<string, unknown>, attributes: Record<string, string> = {}): StackResourceRecord {
  return { logicalId, type, physicalId, status: 'CREATE_COMPLETE', timestamp: '2026-01-01T00:00:00.000Z', properties, attributes, dependsOn: [] };
}

/** The stack as V1 left it: what each resource was provisioned with. */
const RESOURCES: Record<string, StackResourceRecord> = {
  Network: record('Network', 'AWS::EC2::VPC', 'vpc-1', { CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Tier', Value: 'web' }] }, { CidrBlock: '10.0.0.0/16' }),
  Web: record('Web', 'AWS::EC2::SecurityGroup', 'sg-1', {
    GroupDescription: 'web', VpcId: 'vpc-1', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: '80', ToPort: '80', CidrIp: '0.0.0.0/0' }],
  }),
  Setting: record('Setting', 'AWS::SSM::Parameter', 'CFN-Setting-ABC', { Type: 'String', Value: '10.0.0.0/16' }),
};

const stackParameters = (cidr: string, port: string): StackParameter[] => [
  { key: 'Cidr', value: cidr, noEcho: false }, { key: 'Port', value: port, noEcho: false },
];

function changesFor(body: string, given: ParameterValueInput[] = [], resources = RESOURCES, previous = BEFORE): ReturnType<typeof resourceChanges> {
  const next: Template = parseTemplate(body);
  const base = contextFor(next, { parameters: given });
  const context = {
    ...base,
    resourceRef: (logicalId: string) => resources[logicalId]!.physicalId!,
    resourceAttribute: (logicalId: string, attribute: string) => resources[logicalId]!.attributes[attribute],
  };
  const evaluation: StackEvaluation = { template: next, parameters: base.parameters, conditions: base.conditions, dependencies: resourceDependencies(next, base.conditions) };
  const value = (key: string): string => String(base.parameters.get(key)!.value);
  const inputs: ChangeSetInputs = {
    resources, previousTemplate: parseTemplate(previous), previousParameters: stackParameters('10.0.0.0/16', '80'),
    next: evaluation, nextParameters: stackParameters(value('Cidr'), value('Port')), context, placeholders: false,
  };
  return resourceChanges(inputs);
}

describe('resourceChanges', () => {
  it('finds nothing to change when the template and parameters are the ones the stack has', () => {
    assert.deepEqual(changesFor(template('web', OLD_SETTING)), []);
  });

  it('lists a new resource as Add and one the template dropped as Remove (with its physical id)', () => {
    const added = `  Extra:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: hello}\n`;
    assert.deepEqual(changesFor(template('web', added)), [
      { action: 'Add', logicalId: 'Extra', type: 'AWS::SSM::Parameter' },
      { action: 'Remove', logicalId: 'Setting', type: 'AWS::SSM::Parameter', physicalId: 'CFN-Setting-ABC' },
    ]);
  });

  it('a parameter change that updates in place: Modify, Replacement False, caused by the parameter', () => {
    const [web, ...rest] = changesFor(template('web', OLD_SETTING), [{ key: 'Port', value: '443' }]);
    assert.deepEqual(rest, []);
    assert.deepEqual(web, {
      action: 'Modify', logicalId: 'Web', physicalId: 'sg-1', type: 'AWS::EC2::SecurityGroup', replacement: 'False', scope: ['Properties'],
      details: [{
        target: { attribute: 'Properties', name: 'SecurityGroupIngress', requiresRecreation: 'Never' },
        evaluation: 'Static', changeSource: 'ParameterReference', causingEntity: 'Port',
      }],
    });
  });

  it('a replacement spreads: the resource Ref-ing it is replaced too, one reading its attribute may change', () => {
    const changes = changesFor(template('web', OLD_SETTING), [{ key: 'Cidr', value: '10.9.0.0/16' }]);
    const byId = new Map(changes.map((change) => [change.logicalId, change]));
    const network = byId.get('Network');
    assert.ok(network?.action === 'Modify');
    assert.equal(network.replacement, 'True');
    assert.deepEqual(network.details, [{
      target: { attribute: 'Properties', name: 'CidrBlock', requiresRecreation: 'Always' }, evaluation: 'Static', changeSource: 'ParameterReference', causingEntity: 'Cidr',
    }]);
    const web = byId.get('Web');
    assert.ok(web?.action === 'Modify');
    assert.equal(web.replacement, 'True');
    assert.deepEqual(web.details, [{
      target: { attribute: 'Properties', name: 'VpcId', requiresRecreation: 'Always' }, evaluation: 'Static', changeSource: 'ResourceReference', causingEntity: 'Network',
    }]);
    const setting = byId.get('Setting');
    assert.ok(setting?.action === 'Modify');
    assert.equal(setting.replacement, 'False', 'an SSM parameter\'s Value updates in place');
    assert.deepEqual(setting.details, [{
      target: { attribute: 'Properties', name: 'Value', requiresRecreation: 'Never' }, evaluation: 'Dynamic', changeSource: 'ResourceAttribute', causingEntity: 'Network.CidrBlock',
    }]);
  });

  it('a direct edit of Tags is in the Tags scope as well as the property', () => {
    const [network] = changesFor(template('frontend', OLD_SETTING));
    assert.ok(network?.action === 'Modify');
    assert.deepEqual(network.scope, ['Tags', 'Properties']);
    assert.deepEqual(network.details.map((detail) => `${detail.target.attribute}/${detail.target.name ?? ''} ${detail.evaluation} ${detail.changeSource}`), [
      'Tags/ Dynamic DirectModification', 'Properties/Tags Static DirectModification',
    ]);
    assert.equal(network.replacement, 'False');
  });

  it('a property that needs replacing and is known only when the change set runs makes the replacement Conditional', () => {
    const named = OLD_SETTING.replace('{Type: String,', '{Name: !Sub "/net/${Network.CidrBlock}", Type: String,');
    const resources = { ...RESOURCES, Setting: record('Setting', 'AWS::SSM::Parameter', '/net/10.0.0.0/16', { ...RESOURCES.Setting!.properties, Name: '/net/10.0.0.0/16' }) };
    const setting = changesFor(template('web', named), [{ key: 'Cidr', value: '10.9.0.0/16' }], resources, template('web', named)).find((change) => change.logicalId === 'Setting');
    assert.ok(setting?.action === 'Modify');
    assert.equal(setting.replacement, 'Conditional');
    assert.deepEqual(setting.details.map((detail) => `${detail.target.name} ${detail.target.requiresRecreation} ${detail.evaluation} ${detail.causingEntity}`), [
      'Name Always Dynamic Network.CidrBlock', 'Value Never Dynamic Network.CidrBlock',
    ]);
  });
});
