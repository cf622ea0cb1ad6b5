/**
 * What the template engine asks of the world while it evaluates a stack's template: the physical
 * ids (Ref) and attributes (Fn::GetAtt) of the stack's resources, other stacks' exports
 * (Fn::ImportValue), the parameter store ({{resolve:ssm:...}}) and the region's zones (Fn::GetAZs).
 *
 * A masked context is for what is shown (events' ResourceProperties): NoEcho parameters read as
 * '****' and secret attributes (an access key's secret) as '****' too.
 */
import type { App } from '../../../server/app.js';
import { availabilityZones } from '../../ec2/regions.js';
import { providerFor } from '../providers/registry.js';
import type { StackRecord } from '../types.js';
import { TemplateError, type EvaluationContext, type PseudoParameters, type ResolvedParameters, type Template } from '../template/index.js';

export const MASK = '****';

export interface StackEvaluation {
  template: Template;
  parameters: ResolvedParameters;
  conditions: ReadonlyMap<string, boolean>;
  /** logical id -> the logical ids it depends on (resources whose condition holds) */
  dependencies: ReadonlyMap<string, ReadonlySet<string>>;
}

export function pseudoParameters(app: App, stack: Pick<StackRecord, 'stackName' | 'stackId' | 'notificationArns'>): PseudoParameters {
  return {
    region: app.region,
    accountId: app.accountId,
    stackName: stack.stackName,
    stackId: stack.stackId,
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    notificationArns: [...stack.notificationArns],
  };
}

/** The stacks whose outputs are exports other stacks may import now. */
export function exportingStacks(app: App): StackRecord[] {
  return app.cloudformation.stacks.list().filter((stack) => stack.status !== 'DELETE_COMPLETE' && stack.outputs.some((output) => output.exportName !== undefined));
}

export function findExport(app: App, name: string): { stack: StackRecord; value: string } | undefined {
  for (const stack of exportingStacks(app)) {
    const output = stack.outputs.find((candidate) => candidate.exportName === name);
    if (output) return { stack, value: output.value };
  }
  return undefined;
}

export function noExport(name: string): TemplateError {
  return new TemplateError(`No export named ${name} found`);
}

export function ssmValue(app: App, name: string, version?: string): string | undefined {
  return app.cloudformation.parameters.value(name, app.region, version === undefined ? undefined : Number(version));
}

export interface ContextOptions {
  /** show NoEcho parameters and secret attributes as '****' */
  masked?: boolean;
  /** hears every export name the template imports */
  onImport?: (name: string) => void;
}

export function evaluationContext(app: App, stack: () => StackRecord, evaluation: StackEvaluation, options: ContextOptions = {}): EvaluationContext {
  const parameters: ResolvedParameters = options.masked
    ? new Map([...evaluation.parameters].map(([key, parameter]) => [key, parameter.noEcho ? { ...parameter, value: MASK } : parameter]))
    : evaluation.parameters;
  return {
    parameters,
    pseudo: pseudoParameters(app, stack()),
    conditions: evaluation.conditions,
    mappings: evaluation.template.mappings,
    resourceRef(logicalId) {
      const physicalId = stack().resources[logicalId]?.physicalId;
      if (physicalId === undefined) throw new TemplateError(`Template error: resource ${logicalId} has no physical id yet`);
      return physicalId;
    },
    resourceAttribute(logicalId, attribute) {
      const record = stack().resources[logicalId];
      const type = record?.type ?? evaluation.template.resources[logicalId]?.type ?? '';
      const provider = providerFor(type);
      if (record?.placeholder && record.physicalId !== undefined) return record.physicalId;
      if (!record || record.physicalId === undefined) throw new TemplateError(`Template error: resource ${logicalId} has no attributes yet`);
      if (provider?.secretAttribute) {
        const secret = provider.secretAttribute(app, { physicalId: record.physicalId, attributes: record.attributes }, attribute);
        if (secret !== undefined) return options.masked ? MASK : secret;
      }
      const value = record.attributes[attribute];
      if (value === undefined) throw new TemplateError(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
      return value;
    },
    importValue(name) {
      const found = findExport(app, name);
      if (!found || found.stack.stackId === stack().stackId) throw noExport(name);
      options.onImport?.(name);
      return found.value;
    },
    ssmParameter(name, version) {
      const value = ssmValue(app, name, version);
      if (value === undefined) throw new TemplateError(`Parameters: [ssm:${name}${version !== undefined ? `:${version}` : ''}] cannot be found.`);
      return value;
    },
    availabilityZones(region) {
      return availabilityZones(region === '' ? app.region : region).map((zone) => zone.zoneName);
    },
  };
}
