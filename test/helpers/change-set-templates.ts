/**
 * Templates for the change set tests: a small lab (a VPC, a web security group, an instance role
 * with an AWS-managed policy and its instance profile) in versions that change it the ways a
 * course's labs do: a new parameter value, an edited property, a resource removed.
 */
export interface LabVersion {
  /** the role's description (updated in place) */
  roleDescription: string;
  /** with the instance profile (removed when false) */
  withProfile: boolean;
}

export const LAB_V1: LabVersion = { roleDescription: 'lab instances', withProfile: true };

const TRUST = "{Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}";

export function labTemplate(version: LabVersion = LAB_V1): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Description: A lab deployed with aws cloudformation deploy
Parameters:
  Environment: {Type: String, Default: dev, AllowedValues: [dev, lab, prod]}
  WebPort: {Type: Number, Default: 80}
  VpcCidr: {Type: String, Default: 10.60.0.0/16}
Resources:
  LabVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref VpcCidr
      Tags: [{Key: Environment, Value: !Ref Environment}]
  WebSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web servers
      VpcId: !Ref LabVpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: !Ref WebPort, ToPort: !Ref WebPort, CidrIp: 0.0.0.0/0}
  InstanceRole:
    Type: AWS::IAM::Role
    Properties:
      Description: ${version.roleDescription}
      AssumeRolePolicyDocument: ${TRUST}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
${version.withProfile ? `  InstanceProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref InstanceRole]
` : ''}Outputs:
  SecurityGroupId: {Value: !GetAtt WebSecurityGroup.GroupId}
  RoleName: {Value: !Ref InstanceRole}
`;
}

/** `count` SSM parameters: a change set with more changes than one DescribeChangeSet page. */
export function manyParameters(count: number): string {
  let resources = '';
  for (let n = 1; n <= count; n++) resources += `  Setting${n}: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: v${n}}}\n`;
  return `Resources:\n${resources}`;
}
