/** The shapes of a parsed template and of what evaluating it needs. */

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

/**
 * `value` is what DescribeStacks shows as ParameterValue (for SSM-backed types: the SSM parameter
 * name); `resolvedValue` is what it shows as ResolvedValue (the SSM parameter's value). `type` is
 * the declared type, so that `Ref` of an SSM-backed list type can split the resolved value.
 */
export interface ResolvedParameter {
  value: string | string[];
  noEcho: boolean;
  resolvedValue?: string;
  type?: string;
}

export type ResolvedParameters = ReadonlyMap<string, ResolvedParameter>;

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

export interface CapabilityRequirement {
  capability?: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM';
  /** GetTemplateSummary's CapabilitiesReason */
  reason?: string;
  /** logical ids of the resources that need the capability */
  resources: string[];
}

export interface TemplateSummary {
  parameters: Array<{
    ParameterKey: string;
    DefaultValue?: string;
    ParameterType: string;
    NoEcho: boolean;
    Description?: string;
    ParameterConstraints: { AllowedValues?: string[] };
  }>;
  description?: string;
  capabilities: string[];
  capabilitiesReason?: string;
  resourceTypes: string[];
  declaredTransforms: string[];
  version?: string;
}

export interface OutputValue {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}
