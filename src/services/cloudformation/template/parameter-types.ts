/**
 * The parameter types CloudFormation accepts, and what each means for its value: a string or a
 * list, numbers or free text, given directly or as the name of an SSM parameter.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 */

export interface ParameterKind {
  /** the value is a comma-delimited list (Ref gives an array) */
  list: boolean;
  /** the value (or each item) must be a number */
  numeric: boolean;
  /** the given value names an SSM parameter whose value is used */
  ssm: boolean;
}

const AWS_SPECIFIC_TYPES: ReadonlySet<string> = new Set([
  'AWS::EC2::AvailabilityZone::Name',
  'AWS::EC2::Image::Id',
  'AWS::EC2::Instance::Id',
  'AWS::EC2::KeyPair::KeyName',
  'AWS::EC2::SecurityGroup::GroupName',
  'AWS::EC2::SecurityGroup::Id',
  'AWS::EC2::Subnet::Id',
  'AWS::EC2::Volume::Id',
  'AWS::EC2::VPC::Id',
  'AWS::Route53::HostedZone::Id',
]);

function directKind(type: string): Omit<ParameterKind, 'ssm'> | undefined {
  if (type === 'String' || AWS_SPECIFIC_TYPES.has(type)) return { list: false, numeric: false };
  if (type === 'Number') return { list: false, numeric: true };
  if (type === 'List<Number>') return { list: true, numeric: true };
  if (type === 'CommaDelimitedList') return { list: true, numeric: false };
  const listOf = /^List<(.+)>$/.exec(type);
  if (listOf && AWS_SPECIFIC_TYPES.has(listOf[1]!)) return { list: true, numeric: false };
  return undefined;
}

/** undefined when CloudFormation does not know the type */
export function parameterKind(type: string): ParameterKind | undefined {
  if (type === 'AWS::SSM::Parameter::Name') return { list: false, numeric: false, ssm: false };
  const ssmValue = /^AWS::SSM::Parameter::Value<(.+)>$/.exec(type);
  if (ssmValue) {
    const inner = ssmValue[1]!;
    if (inner === 'List<String>') return { list: true, numeric: false, ssm: true };
    const kind = directKind(inner);
    return kind && !kind.numeric ? { ...kind, ssm: true } : undefined;
  }
  const kind = directKind(type);
  return kind && { ...kind, ssm: false };
}

/** A comma-delimited value as CloudFormation splits it: items trimmed of surrounding blanks. */
export function splitList(value: string): string[] {
  return value === '' ? [] : value.split(',').map((item) => item.trim());
}
