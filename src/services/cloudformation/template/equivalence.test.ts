import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { creationOrder, resourceDependencies } from './dependencies.js';
import { contextFor } from './fixtures.js';
import { resolveValue } from './intrinsics.js';
import { outputValues } from './outputs.js';
import { parseTemplate } from './parse.js';
import { validateTemplate } from './validate.js';

const YAML_TEMPLATE = `
AWSTemplateFormatVersion: "2010-09-09"
Description: Web server with an instance profile
Parameters:
  EnvType: {Type: String, Default: test, AllowedValues: [prod, test]}
  KeyName: {Type: "AWS::EC2::KeyPair::KeyName", Default: ops}
Mappings:
  RegionMap:
    us-east-1: {HVM64: ami-0ff8a91507f77f867}
Conditions:
  IsProd: !Equals [!Ref EnvType, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: [ec2.amazonaws.com]}, Action: ["sts:AssumeRole"]}]
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [!Ref Role]}
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [RegionMap, !Ref "AWS::Region", HVM64]
      InstanceType: !If [IsProd, m5.large, t3.micro]
      KeyName: !Ref KeyName
      IamInstanceProfile: !Ref Profile
      AvailabilityZone: !Select [0, !GetAZs ""]
      UserData: !Base64
        Fn::Sub: |
          #!/bin/bash
          echo \${AWS::StackName} \${Role.Arn} \${!HOME}
      Tags:
        - {Key: Name, Value: !Join ["-", [!Ref "AWS::StackName", server]]}
Outputs:
  ServerId: {Value: !Ref Server, Export: {Name: !Sub "\${AWS::StackName}-server"}}
  RoleArn: {Value: !GetAtt Role.Arn}
`;

const JSON_TEMPLATE = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "Web server with an instance profile",
  "Parameters": {
    "EnvType": {"Type": "String", "Default": "test", "AllowedValues": ["prod", "test"]},
    "KeyName": {"Type": "AWS::EC2::KeyPair::KeyName", "Default": "ops"}
  },
  "Mappings": {"RegionMap": {"us-east-1": {"HVM64": "ami-0ff8a91507f77f867"}}},
  "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "EnvType"}, "prod"]}},
  "Resources": {
    "Role": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]
        }
      }
    },
    "Profile": {"Type": "AWS::IAM::InstanceProfile", "Properties": {"Roles": [{"Ref": "Role"}]}},
    "Server": {
      "Type": "AWS::EC2::Instance",
      "Properties": {
        "ImageId": {"Fn::FindInMap": ["RegionMap", {"Ref": "AWS::Region"}, "HVM64"]},
        "InstanceType": {"Fn::If": ["IsProd", "m5.large", "t3.micro"]},
        "KeyName": {"Ref": "KeyName"},
        "IamInstanceProfile": {"Ref": "Profile"},
        "AvailabilityZone": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        "UserData": {"Fn::Base64": {"Fn::Sub": "#!/bin/bash\\necho \${AWS::StackName} \${Role.Arn} \${!HOME}\\n"}},
        "Tags": [{"Key": "Name", "Value": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "server"]]}}]
      }
    }
  },
  "Outputs": {
    "ServerId": {"Value": {"Ref": "Server"}, "Export": {"Name": {"Fn::Sub": "\${AWS::StackName}-server"}}},
    "RoleArn": {"Value": {"Fn::GetAtt": ["Role", "Arn"]}}
  }
}`;

describe('one template written in YAML and in JSON', () => {
  const fromYaml = parseTemplate(YAML_TEMPLATE);
  const fromJson = parseTemplate(JSON_TEMPLATE);

  it('parses to the same model', () => {
    assert.deepEqual(fromYaml, fromJson);
  });

  it('validates, orders and evaluates the same way', () => {
    for (const template of [fromYaml, fromJson]) {
      validateTemplate(template);
      const context = contextFor(template, { attributes: { 'Role.Arn': 'arn:aws:iam::123456789012:role/demo-Role' } });
      assert.deepEqual(creationOrder(resourceDependencies(template, context.conditions)), [['Role'], ['Profile'], ['Server']]);
      const server = resolveValue(template.resources.Server!.properties, context) as Record<string, unknown>;
      assert.deepEqual({ ...server, UserData: Buffer.from(String(server.UserData), 'base64').toString('utf8') }, {
        ImageId: 'ami-0ff8a91507f77f867',
        InstanceType: 't3.micro',
        KeyName: 'ops',
        IamInstanceProfile: 'Profile-physical-id',
        AvailabilityZone: 'us-east-1a',
        UserData: '#!/bin/bash\necho demo arn:aws:iam::123456789012:role/demo-Role ${HOME}\n',
        Tags: [{ Key: 'Name', Value: 'demo-server' }],
      });
      assert.deepEqual(outputValues(template, context), [
        { key: 'ServerId', value: 'Server-physical-id', exportName: 'demo-server' },
        { key: 'RoleArn', value: 'arn:aws:iam::123456789012:role/demo-Role' },
      ]);
    }
  });
});
