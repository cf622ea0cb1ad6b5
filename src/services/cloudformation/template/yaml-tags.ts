/**
 * The YAML short forms of the intrinsic functions (`!Ref x`, `!GetAtt a.b`, `!Sub …`), each turned
 * into its long form (`{ Ref: x }`, `{ 'Fn::GetAtt': [a, b] }`, `{ 'Fn::Sub': … }`) while the
 * document is composed, so the rest of the engine sees JSON-shaped templates only.
 *
 * Booleans follow YAML 1.1 spellings (yes/no/on/off as well as true/false), the way
 * CloudFormation's YAML reader reads them; everything else uses the YAML 1.2 core schema, so
 * `2010-09-09` and `1:20` stay strings.
 */
import { Scalar, YAMLMap, type Tags } from 'yaml';

type TagDefinition = Tags[number];

const SHORT_FORMS: ReadonlyArray<readonly [tag: string, functionName: string]> = [
  ['!Ref', 'Ref'],
  ['!Condition', 'Condition'],
  ['!Base64', 'Fn::Base64'],
  ['!Cidr', 'Fn::Cidr'],
  ['!FindInMap', 'Fn::FindInMap'],
  ['!GetAtt', 'Fn::GetAtt'],
  ['!GetAZs', 'Fn::GetAZs'],
  ['!ImportValue', 'Fn::ImportValue'],
  ['!Join', 'Fn::Join'],
  ['!Select', 'Fn::Select'],
  ['!Split', 'Fn::Split'],
  ['!Sub', 'Fn::Sub'],
  ['!Transform', 'Fn::Transform'],
  ['!And', 'Fn::And'],
  ['!Equals', 'Fn::Equals'],
  ['!If', 'Fn::If'],
  ['!Not', 'Fn::Not'],
  ['!Or', 'Fn::Or'],
];

/** `!GetAtt Resource.Attribute` names the resource before the first dot, the attribute after it. */
function getAttFromScalar(text: string): unknown {
  const dot = text.indexOf('.');
  return { 'Fn::GetAtt': dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)] };
}

function wrapCollection(functionName: string) {
  return (collection: unknown): YAMLMap => {
    const map = new YAMLMap();
    map.set(new Scalar(functionName), collection);
    return map;
  };
}

function shortFormTags(): TagDefinition[] {
  const tags: TagDefinition[] = [];
  for (const [tag, functionName] of SHORT_FORMS) {
    const resolveScalar = functionName === 'Fn::GetAtt'
      ? getAttFromScalar
      : (text: string): unknown => ({ [functionName]: text });
    tags.push({ tag, resolve: resolveScalar } as TagDefinition);
    tags.push({ tag, collection: 'seq', resolve: wrapCollection(functionName) } as TagDefinition);
    tags.push({ tag, collection: 'map', resolve: wrapCollection(functionName) } as TagDefinition);
  }
  return tags;
}

const yaml11Boolean = {
  identify: (value: unknown) => typeof value === 'boolean',
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  resolve: (text: string) => /^(?:yes|true|on)$/i.test(text),
} as TagDefinition;

export function cloudFormationTags(defaults: TagDefinition[]): TagDefinition[] {
  return [yaml11Boolean, ...defaults, ...shortFormTags()];
}
