/**
 * Fn::Sub's string syntax: `${Name}` is a variable (a parameter, a pseudo parameter, a resource's
 * Ref, or a key of the variable map), `${Resource.Attribute}` is a GetAtt, `${!Anything}` is the
 * literal text `${Anything}`, and any other `$` is just a dollar sign.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html
 */
import { fail, messages } from './errors.js';

export type SubPart = { literal: string } | { variable: string };

const VARIABLE_NAME = /^[A-Za-z0-9_.:]+$/;

export function parseSubString(text: string): SubPart[] {
  const parts: SubPart[] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf('${', index);
    const end = start < 0 ? -1 : text.indexOf('}', start + 2);
    if (start < 0 || end < 0) {
      literal += text.slice(index);
      break;
    }
    literal += text.slice(index, start);
    const inside = text.slice(start + 2, end);
    if (inside.startsWith('!')) {
      literal += '${' + inside.slice(1) + '}';
    } else {
      if (!VARIABLE_NAME.test(inside)) fail(messages.subVariableName());
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ variable: inside });
    }
    index = end + 1;
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** The variables of a Sub string, in order of appearance. */
export function subVariables(text: string): string[] {
  return parseSubString(text).flatMap((part) => ('variable' in part ? [part.variable] : []));
}

/** `Res.Attr.More` → { target: 'Res', attribute: 'Attr.More' }; `AWS::Region` has no attribute. */
export function splitSubVariable(variable: string): { target: string; attribute?: string } {
  if (variable.startsWith('AWS::')) return { target: variable };
  const dot = variable.indexOf('.');
  return dot < 0 ? { target: variable } : { target: variable.slice(0, dot), attribute: variable.slice(dot + 1) };
}
