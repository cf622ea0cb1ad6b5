/** Fn::Join, Fn::Split, Fn::Select, Fn::FindInMap, Fn::Base64 and Fn::Cidr over evaluated arguments. */
import { cidrSubnets } from './cidr.js';
import { fail, messages } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { isPlainObject, scalarText } from './values.js';

function pair(argument: unknown, message: () => string): [unknown, unknown] {
  return Array.isArray(argument) && argument.length === 2 ? [argument[0], argument[1]] : fail(message());
}

function resolvedList(value: unknown, evaluator: Evaluator, message: () => string): unknown[] {
  const list = evaluator.resolve(value);
  return Array.isArray(list) ? list : fail(message());
}

export function join(argument: unknown, evaluator: Evaluator): string {
  const [delimiter, items] = pair(argument, messages.joinShape);
  const separator = scalarText(delimiter) ?? fail(messages.joinShape());
  const texts = resolvedList(items, evaluator, messages.joinShape).map((item) => scalarText(item) ?? fail(messages.joinShape()));
  return texts.join(separator);
}

export function split(argument: unknown, evaluator: Evaluator): string[] {
  const [delimiter, source] = pair(argument, messages.splitShape);
  const separator = scalarText(delimiter) ?? fail(messages.splitShape());
  const text = scalarText(evaluator.resolve(source)) ?? fail(messages.splitShape());
  return text.split(separator);
}

export function select(argument: unknown, evaluator: Evaluator): unknown {
  const [indexValue, items] = pair(argument, messages.selectShape);
  const indexText = scalarText(evaluator.resolve(indexValue)) ?? fail(messages.selectShape());
  const list = resolvedList(items, evaluator, messages.selectShape);
  const index = Number(indexText);
  if (!/^\d+$/.test(indexText.trim()) || index >= list.length) return fail(messages.selectOutOfRange(indexText));
  return list[index];
}

/** Mapping values come back as text (a YAML number in a mapping is still a string to CloudFormation). */
function mappingValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => scalarText(item) ?? item);
  return scalarText(value) ?? value;
}

export function findInMap(argument: unknown, evaluator: Evaluator): unknown {
  if (!Array.isArray(argument) || argument.length < 3) return fail(messages.findInMapShape());
  const [map, key, attribute] = argument.slice(0, 3).map((part) => scalarText(evaluator.resolve(part)) ?? fail(messages.findInMapShape()));
  const value = evaluator.context.mappings[map!]?.[key!]?.[attribute!];
  if (value !== undefined) return mappingValue(value);
  const fallback = argument[3];
  if (isPlainObject(fallback) && 'DefaultValue' in fallback) return evaluator.resolve(fallback.DefaultValue);
  return fail(messages.mappingNotFound(map!, key!, attribute!));
}

export function base64(argument: unknown, evaluator: Evaluator): string {
  const text = scalarText(evaluator.resolve(argument)) ?? fail(messages.base64Shape());
  return Buffer.from(text, 'utf8').toString('base64');
}

export function cidr(argument: unknown, evaluator: Evaluator): string[] {
  if (!Array.isArray(argument) || argument.length !== 3) return fail(messages.cidrShape());
  const [ipBlock, count, cidrBits] = argument.map((part) => scalarText(evaluator.resolve(part)) ?? fail(messages.cidrShape()));
  return cidrSubnets(ipBlock!, Number(count), Number(cidrBits));
}
