/**
 * The CloudFormation template engine: parse (JSON or YAML with short-form tags), validate,
 * resolve parameters, evaluate conditions and intrinsic functions, order resources by their
 * dependencies, detect required capabilities, summarise.
 *
 * Everything here is pure: no I/O, no clock. What the engine needs from the outside world
 * (resources' physical ids and attributes, exports, SSM parameters, availability zones) comes
 * through `EvaluationContext` / the `lookups` argument.
 *
 * Errors are `TemplateError`; its message is exactly the ValidationError message AWS returns,
 * so the API layer can wrap it as `ValidationError` (400) unchanged.
 *
 * Interface changes (for the API/stack engineer): none yet.
 */

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export interface Template {
  formatVersion?: string;
  description?: string;
  parameters: Record<string, ParameterDeclaration>;
  mappings: Record<string, Record<string, Record<string, unknown>>>;
  conditions: Record<string, unknown>;
  resources: Record<string, ResourceDeclaration>;
  outputs: Record<string, OutputDeclaration>;
  metadata?: unknown;
  transform?: unknown;
}

export interface ParameterDeclaration {
  type: string;
  default?: string;
  description?: string;
  allowedValues?: string[];
  allowedPattern?: string;
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  noEcho: boolean;
  constraintDescription?: string;
}

export interface ResourceDeclaration {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  dependsOn: string[];
  condition?: string;
  deletionPolicy: 'Delete' | 'Retain' | 'Snapshot';
  updateReplacePolicy?: string;
  creationPolicy?: { resourceSignal?: { count: number; timeoutSeconds: number } };
  metadata?: unknown;
}

export interface OutputDeclaration {
  value: unknown;
  description?: string;
  condition?: string;
  exportName?: unknown;
}

export interface ParameterValueInput {
  key: string;
  value?: string;
  usePreviousValue?: boolean;
}

export type ResolvedParameters = ReadonlyMap<string, { value: string | string[]; noEcho: boolean; resolvedValue?: string }>;

export interface PseudoParameters {
  region: string;
  accountId: string;
  stackName: string;
  stackId: string;
  partition: string;
  urlSuffix: string;
  notificationArns: string[];
}

export interface EvaluationContext {
  parameters: ResolvedParameters;
  pseudo: PseudoParameters;
  conditions: ReadonlyMap<string, boolean>;
  mappings: Template['mappings'];
  resourceRef(logicalId: string): string;
  resourceAttribute(logicalId: string, attribute: string): unknown;
  importValue(exportName: string): string;
  ssmParameter(name: string, version?: string): string;
  availabilityZones(region: string): string[];
}

const notImplemented = (): never => {
  throw new Error('not implemented');
};

export function parseTemplate(_body: string): Template { return notImplemented(); }
export function validateTemplate(_template: Template): void { notImplemented(); }
export function resolveParameters(
  _template: Template,
  _given: readonly ParameterValueInput[],
  _lookups: { ssmParameter(name: string): string | undefined; previous?: ReadonlyMap<string, string> },
): ResolvedParameters { return notImplemented(); }
export function evaluateConditions(_template: Template, _ctx: Omit<EvaluationContext, 'conditions'>): Map<string, boolean> { return notImplemented(); }
export function resolveValue(_value: unknown, _ctx: EvaluationContext): unknown { return notImplemented(); }
export function resourceDependencies(_template: Template, _conditions: ReadonlyMap<string, boolean>): Map<string, Set<string>> { return notImplemented(); }
export function creationOrder(_dependencies: ReadonlyMap<string, ReadonlySet<string>>): string[][] { return notImplemented(); }
export function requiredCapabilities(_template: Template): { capability?: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM'; reason?: string; resources: string[] } { return notImplemented(); }
export interface TemplateSummary {
  parameters: Array<{ ParameterKey: string; DefaultValue?: string; ParameterType: string; NoEcho: boolean; Description?: string; ParameterConstraints: { AllowedValues?: string[] } }>;
  description?: string;
  capabilities: string[];
  capabilitiesReason?: string;
  resourceTypes: string[];
  declaredTransforms: string[];
  version?: string;
}
export function templateSummary(_template: Template): TemplateSummary { return notImplemented(); }
export interface OutputValue { key: string; value: string; description?: string; exportName?: string }
export function outputValues(_template: Template, _ctx: EvaluationContext): OutputValue[] { return notImplemented(); }
