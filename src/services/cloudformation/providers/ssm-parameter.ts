/**
 * AWS::SSM::Parameter (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-parameter.html)
 * in iamd's parameter store (../parameter-store.ts). iamd has no SSM API, so the PutParameter /
 * DeleteParameter calls are the invoker's `perform`: authorized for the stack's caller through
 * CloudFormation and recorded in the trail (the value hidden) like its other calls. Ref is the
 * parameter's name; Fn::GetAtt Type and Value. A changed Value, Type, Description or
 * AllowedPattern is a new version; a new Name replaces it.
 */
import { ResourceFailure, requiredText, text, type Properties } from './properties.js';
import { provider, type ProviderContext, type Provisioned } from './provider.js';
import type { SsmParameterType } from '../parameter-store.js';

const TYPES: readonly string[] = ['String', 'StringList'];

function parameterArn(ctx: ProviderContext, name: string): string {
  return `arn:aws:ssm:${ctx.app.region}:${ctx.app.accountId}:parameter/${name.replace(/^\//, '')}`;
}

/** PutParameter as CloudFormation calls it (Overwrite on an update); the trail records the value as hidden. */
async function write(ctx: ProviderContext, name: string, properties: Properties, overwrite: boolean): Promise<Provisioned> {
  const type = requiredText(properties, 'Type');
  if (!TYPES.includes(type)) throw new ResourceFailure(`Properties validation failed for resource ${ctx.logicalId} with message:\n#/Type: #: only 1 subschema matches out of 2\n#/Type: ${type} is not a valid enum value`);
  const value = requiredText(properties, 'Value');
  const allowedPattern = text(properties, 'AllowedPattern');
  if (allowedPattern !== undefined && !new RegExp(`^(?:${allowedPattern})$`).test(value)) {
    // AWS names the value here; iamd does not, as it may come from a NoEcho parameter and the reason is shown in stack events.
    throw new ResourceFailure(`Parameter value failed to satisfy constraint specified in AllowedPattern: ${allowedPattern}`);
  }
  const description = text(properties, 'Description');
  const dataType = text(properties, 'DataType') ?? 'text';
  const tier = text(properties, 'Tier') ?? 'Standard';
  const request = {
    Name: name, ...(description !== undefined ? { Description: description } : {}), Value: value, Type: type, Overwrite: overwrite,
    ...(allowedPattern !== undefined ? { AllowedPattern: allowedPattern } : {}), Tier: tier, DataType: dataType,
  };
  await ctx.perform('ssm', 'PutParameter', { authorization: { action: 'ssm:PutParameter', resource: parameterArn(ctx, name) }, requestParameters: request }, () => {
    const record = ctx.app.cloudformation.parameters.put({
      name, type: type as SsmParameterType, value, dataType, tier, lastModifiedDate: ctx.app.clock.now().toISOString(),
      ...(description !== undefined ? { description } : {}),
      ...(allowedPattern !== undefined ? { allowedPattern } : {}),
    });
    return { Version: record.version, Tier: record.tier };
  });
  // Value is an attribute read from the store when asked for (secretAttribute): the resource's attributes keep no copy and events show ****.
  // (The resolved properties, Value included, are kept with the stack for its next update, never shown.)
  return { physicalId: name, attributes: { Type: type } };
}

export const ssmParameter = provider({
  type: 'AWS::SSM::Parameter',
  nameProperty: 'Name',
  schema: {
    AllowedPattern: { type: 'string' },
    DataType: { type: 'string' },
    Description: { type: 'string' },
    Name: { type: 'string', replaces: true },
    Policies: { type: 'string', ignored: 'iamd has no parameter policies (expiration, notifications)' },
    Tags: { type: 'object', ignored: 'iamd keeps parameters without tags' },
    Tier: { type: 'string' },
    Type: { type: 'string', required: true },
    Value: { type: 'string', required: true },
  },
  attributes: ['Type', 'Value'],
  async create(ctx, properties) {
    const name = text(properties, 'Name') ?? `CFN-${ctx.logicalId}-${ctx.uniqueSuffix()}`;
    if (ctx.app.cloudformation.parameters.get(name)) {
      throw new ResourceFailure(`${name} already exists in stack ${ctx.stack.stackId}`, 'AlreadyExists');
    }
    return write(ctx, name, properties, false);
  },
  async update(ctx, current, properties) {
    return write(ctx, current.physicalId, properties, true);
  },
  async delete(ctx, current) {
    const authorization = { action: 'ssm:DeleteParameter', resource: parameterArn(ctx, current.physicalId) };
    await ctx.perform('ssm', 'DeleteParameter', { authorization, requestParameters: { Name: current.physicalId } }, () => {
      ctx.app.cloudformation.parameters.delete(current.physicalId);
      return undefined;
    });
  },
  secretAttribute(app, current, name) {
    return name === 'Value' ? app.cloudformation.parameters.get(current.physicalId)?.value : undefined;
  },
});
