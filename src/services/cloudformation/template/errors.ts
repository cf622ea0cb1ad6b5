/**
 * The template engine's one error type, and the messages it carries. Each message is the text of
 * CloudFormation's ValidationError for the same mistake, as AWS returns it (observed in public bug
 * reports), so the API layer can return `ValidationError` with the message unchanged. Messages
 * marked "(form assumed)" follow AWS's wording for the neighbouring case; no AWS sample was found.
 */

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const list = (ids: Iterable<string>): string => `[${[...ids].join(', ')}]`;

export const messages = {
  jsonNotWellFormed: (line: number, column: number) => `Template format error: JSON not well-formed. (line ${line}, column ${column})`,
  yamlNotWellFormed: (line: number, column: number) => `Template format error: YAML not well-formed. (line ${line}, column ${column})`,
  /** a body that parses but is not a mapping (a bare string or list) */
  notAnObject: (format: 'JSON' | 'YAML') => `Template format error: ${format} not well-formed. (line 1, column 1)`,
  invalidTopLevel: (keys: string[]) => `Invalid template property or properties ${list(keys)}`,
  unsupportedVersion: () => 'Template format error: Unsupported value for AWSTemplateFormatVersion.',
  noResources: () => 'Template format error: At least one Resources member must be defined.',
  sectionNotObject: (section: string) => `Template format error: ${section} section must be a JSON object.`, // (form assumed)
  resourceNotObject: (id: string) => `Template format error: [/Resources/${id}] Every Resources object must be a JSON object.`, // (form assumed)
  resourceWithoutType: () => 'Template format error: Every Resources object must contain a Type member.',
  typeNotString: (id: string) => `Template format error: [/Resources/${id}] Every Type member must be a string.`,
  invalidResourceProperty: (key: string) => `Template format error: Invalid template resource property '${key}'`,
  resourceNameNotAlphanumeric: (id: string) => `Template format error: Resource name ${id} is non alphanumeric.`,
  parameterNameNotAlphanumeric: (id: string) => `Template format error: Parameter name ${id} is non alphanumeric.`, // (form assumed)
  dependsOnShape: () => 'Template format error: DependsOn must be a string or list of strings.',
  conditionNotString: () => 'Template format error: Every Condition member must be a string.',
  conditionNotDefined: (name: string) => `Template format error: Condition ${name} is not defined.`,
  deletionPolicy: (id: string, policy: string) => `Template format error: Unrecognized DeletionPolicy ${policy} for resource ${id}`, // (form assumed)
  propertiesNotObject: (id: string) => `Template format error: [/Resources/${id}/Properties] Every Properties member must be a JSON object.`, // (form assumed)
  parameterWithoutType: () => 'Template format error: Every Parameters object must contain a Type member.',
  unrecognizedParameterType: (type: string) => `Template format error: Unrecognized parameter type: ${type}`,
  invalidParameterProperty: (key: string) => `Invalid template parameter property '${key}'`,
  memberMustBeString: (key: string) => `Template format error: Every ${key} member must be a string.`,
  memberMustBeList: (key: string) => `Template format error: Every ${key} member must be a list.`,
  memberMustBeNumber: (key: string) => `Template format error: Every ${key} member must be a number.`,
  mappingMustBeMap: (path: string) => `Template format error: [/Mappings/${path}] Every Mappings attribute must be a map`,
  mappingValueShape: () => 'Template format error: Every Mappings attribute must be a String or a List.',
  outputWithoutValue: () => 'Template format error: Every Outputs member must contain a Value object',
  invalidOutputProperty: (key: string) => `Template format error: Invalid outputs property : [${key}]`,
  outputMalformed: (id: string) => `Template format error: Output ${id} is malformed.`, // (form assumed beyond this sentence)
  exportNameDependsOnResources: (id: string) =>
    `Template format error: Output ${id} is malformed.  The Name field of Export must not depend on any resources, imported values, or Fn::GetAZs.`,
  outputNotString: () => 'Template format error: The Value field of every Outputs member must evaluate to a String and not a List.', // (form assumed)

  unresolvedResources: (ids: Iterable<string>) => `Template format error: Unresolved resource dependencies ${list(ids)} in the Resources block of the template`,
  unresolvedInOutputs: (ids: Iterable<string>) => `Unresolved resource dependencies ${list(ids)} in the Outputs block of the template`,
  unresolvedInConditions: (ids: Iterable<string>) =>
    `Template format error: Unresolved dependencies ${list(ids)}. Cannot reference resources in the Conditions block of the template`,
  circularResources: (ids: Iterable<string>) => `Circular dependency between resources: ${list(ids)}`,
  circularConditions: (ids: Iterable<string>) => `Template format error: Circular dependency between conditions: ${list(ids)}`, // (form assumed)
  conditionsOnlyBoolean: () => 'Template format error: Conditions can only be boolean operations on parameters and other conditions',

  unsupportedFunction: (name: string) =>
    `Template Error: Encountered unsupported function: ${name} Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]`,
  refShape: () => 'Template error: every Ref object must have a single String value.',
  getAttShape: () => 'Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute',
  getAttUndefined: (id: string) => `Template error: instance of Fn::GetAtt references undefined resource ${id}`,
  joinShape: () =>
    'Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.',
  splitShape: () =>
    'Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.',
  selectShape: () =>
    'Template error: Fn::Select requires a list argument with two elements: an integer index and a list of values or a function that returns a list', // (form assumed)
  selectOutOfRange: (index: number | string) => `Template error: Fn::Select cannot select nonexistent value at index ${index}`,
  findInMapShape: () => 'Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value',
  mappingNotFound: (map: string, key: string, attribute: string) => `Template error: Unable to get mapping for ${map}::${key}::${attribute}`,
  subShape: () =>
    'Template error: One or more Fn::Sub intrinsic functions don\'t specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string', // (form assumed)
  subVariableName: () => 'Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons',
  subInvalidAttribute: (variable: string) => `Template error: instance of Fn::Sub references invalid resource attribute ${variable}`,
  subNotString: (variable: string) => `Template error: variable ${variable} in Fn::Sub expression does not resolve to a string`, // (form assumed)
  ifShape: () => 'Template error: Fn::If requires a list argument with three elements',
  ifUnresolvedCondition: (name: string) => `Template error: unresolved condition dependency ${name} in Fn::If`,
  equalsShape: () => 'Template error: every Fn::Equals object requires a list of 2 string parameters.',
  andShape: () => 'Template error: every Fn::And object requires a list of at least 2 and at most 10 boolean parameters.',
  orShape: () => 'Template error: every Fn::Or object requires a list of at least 2 and at most 10 boolean parameters.',
  notShape: () => 'Template error: every Fn::Not object requires a list with exactly 1 boolean parameter.', // (form assumed)
  conditionFunctionShape: () => 'Template error: every Condition object must have a single String value.', // (form assumed)
  base64Shape: () => 'Template error: every Fn::Base64 object must have a String value.', // (form assumed)
  getAzsShape: () => 'Template error: every Fn::GetAZs object must have a String value or a Ref to AWS::Region.', // (form assumed)
  importValueShape: () => 'Template error: every Fn::ImportValue object must have a String value.', // (form assumed)
  cidrShape: () => 'Template error: every Fn::Cidr object requires three parameters, (1) an IP block, (2) a count and (3) the number of subnet bits.', // (form assumed)
  cidrInvalid: (detail: string) => `Template error: Fn::Cidr ${detail}`, // (form assumed)

  parametersWithoutValues: (keys: string[]) => `Parameters: ${list(keys)} must have values`,
  parametersNotInTemplate: (keys: string[]) => `Parameters: ${list(keys)} do not exist in the template`,
  parameterNotAllowed: (key: string) => `Parameter '${key}' must be one of AllowedValues`,
  parameterPattern: (key: string, pattern: string) => `Parameter '${key}' must match pattern ${pattern}`,
  parameterMinLength: (key: string, length: number) => `Parameter '${key}' must contain at least ${length} characters`,
  parameterMaxLength: (key: string, length: number) => `Parameter '${key}' must contain at most ${length} characters`, // (form assumed)
  parameterNotNumber: (key: string) => `Parameter '${key}' must be a number`, // (form assumed)
  parameterMinValue: (key: string, value: number) => `Parameter '${key}' must be a number not less than ${value}`, // (form assumed)
  parameterMaxValue: (key: string, value: number) => `Parameter '${key}' must be a number not greater than ${value}`, // (form assumed)
  parameterPatternInvalid: (key: string) => `Parameter '${key}' AllowedPattern must be a valid regular expression.`, // (form assumed)
  parameterConstraint: (key: string, description: string) => `Parameter ${key} failed to satisfy constraint: ${description}`,
  ssmParametersNotFound: (names: string[]) => `Unable to fetch parameters ${list(names)} from parameter store for this account.`,
  usePreviousWithoutPrevious: (key: string) =>
    `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`, // (form assumed)
  usePreviousWithValue: (key: string) =>
    `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true and non empty value for a parameter`, // (form assumed)
} as const;

export function fail(message: string): never {
  throw new TemplateError(message);
}
