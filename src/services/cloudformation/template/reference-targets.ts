/** What a name used in Ref / Fn::Sub / Fn::GetAtt stands for in a template. */
import { isPseudoParameter } from './pseudo-parameters.js';
import type { Template } from './types.js';

export type TargetKind = 'resource' | 'parameter' | 'pseudo' | 'unknown';

export function targetKind(template: Template, name: string): TargetKind {
  if (Object.hasOwn(template.resources, name)) return 'resource';
  if (Object.hasOwn(template.parameters, name)) return 'parameter';
  if (isPseudoParameter(name)) return 'pseudo';
  return 'unknown';
}
