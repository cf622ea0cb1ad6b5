/**
 * Test fixtures: an evaluation context with fixed pseudo parameters and recorded lookups, so unit
 * tests can say what a resource's Ref or attribute is and see what the engine asked for.
 */
import { evaluateConditions } from './conditions.js';
import { TemplateError } from './errors.js';
import { parseTemplate } from './parse.js';
import { resolveParameters } from './parameters.js';
import type { EvaluationContext, ParameterValueInput, PseudoParameters, Template } from './types.js';

export const PSEUDO: PseudoParameters = {
  region: 'us-east-1',
  accountId: '123456789012',
  stackName: 'demo',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/demo/5b3ee1a0-0000-0000-0000-000000000000',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
  notificationArns: ['arn:aws:sns:us-east-1:123456789012:stack-events'],
};

export interface ContextOptions {
  parameters?: readonly ParameterValueInput[];
  ssm?: Record<string, string>;
  exports?: Record<string, string>;
  attributes?: Record<string, unknown>;
}

/** The template parsed, its parameters resolved and its conditions evaluated. */
export function contextFor(template: Template, options: ContextOptions = {}): EvaluationContext {
  const ssm = options.ssm ?? {};
  const parameters = resolveParameters(template, options.parameters ?? [], { ssmParameter: (name) => ssm[name] });
  const base: Omit<EvaluationContext, 'conditions'> = {
    parameters,
    pseudo: PSEUDO,
    mappings: template.mappings,
    resourceRef: (logicalId) => `${logicalId}-physical-id`,
    resourceAttribute: (logicalId, attribute) => options.attributes?.[`${logicalId}.${attribute}`] ?? `${logicalId}.${attribute}-value`,
    importValue: (name) => options.exports?.[name] ?? `imported(${name})`,
    ssmParameter: (name, version) => ssm[version === undefined ? name : `${name}:${version}`] ?? `ssm(${name})`,
    availabilityZones: (region) => [`${region}a`, `${region}b`, `${region}c`],
  };
  return { ...base, conditions: evaluateConditions(template, base) };
}

export function contextForYaml(body: string, options: ContextOptions = {}): { template: Template; context: EvaluationContext } {
  const template = parseTemplate(body);
  return { template, context: contextFor(template, options) };
}

/** A matcher for assert.throws: a TemplateError with exactly this message. */
export function templateError(message: string): (error: unknown) => boolean {
  return (error) => {
    if (!(error instanceof TemplateError)) return false;
    if (error.message !== message) throw new Error(`expected message\n  ${message}\nbut got\n  ${error.message}`);
    return true;
  };
}

/** A minimal valid YAML template around the given sections. */
export function yamlTemplate(sections: string, resources = 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n'): string {
  return `${sections}\n${resources}`;
}
