/**
 * Which capability a template needs before CloudFormation will create it: CAPABILITY_IAM for IAM
 * resources, CAPABILITY_NAMED_IAM when one of them has a custom name. Every declared resource
 * counts, whatever its Condition (CloudFormation decides from the template, not the stack).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/control-access-with-iam.html#using-iam-capabilities
 */
import type { CapabilityRequirement, Template } from './types.js';

/** IAM resource types, each with the property that gives it a custom name (if it has one). */
const IAM_RESOURCE_TYPES: ReadonlyMap<string, string | undefined> = new Map([
  ['AWS::IAM::AccessKey', undefined],
  ['AWS::IAM::Group', 'GroupName'],
  ['AWS::IAM::InstanceProfile', 'InstanceProfileName'],
  ['AWS::IAM::ManagedPolicy', 'ManagedPolicyName'],
  ['AWS::IAM::Policy', undefined],
  ['AWS::IAM::Role', 'RoleName'],
  ['AWS::IAM::User', 'UserName'],
  ['AWS::IAM::UserToGroupAddition', undefined],
]);

export function requiredCapabilities(template: Template): CapabilityRequirement {
  const iamResources = Object.values(template.resources).filter((resource) => IAM_RESOURCE_TYPES.has(resource.type));
  if (iamResources.length === 0) return { resources: [] };
  const named = iamResources.some((resource) => {
    const nameProperty = IAM_RESOURCE_TYPES.get(resource.type);
    return nameProperty !== undefined && resource.properties[nameProperty] !== undefined;
  });
  const types = [...new Set(iamResources.map((resource) => resource.type))];
  return {
    capability: named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM',
    reason: `The following resource(s) require capabilities: [${types.join(', ')}]`,
    resources: iamResources.map((resource) => resource.logicalId),
  };
}
