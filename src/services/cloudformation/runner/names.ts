/**
 * Names CloudFormation makes up: physical names for resources the template leaves unnamed
 * (STACK-LOGICALID-SUFFIX, with the stack and logical id shortened to fit the type's limit, as AWS
 * does) and stack ids (arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID).
 */
import { randomInt } from 'node:crypto';

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SUFFIX_LENGTH = 12;

export function uniqueSuffix(random: (max: number) => number = randomInt): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_CHARS[random(SUFFIX_CHARS.length)];
  return suffix;
}

/** STACK-LOGICALID-SUFFIX within `maxLength`: the stack name and logical id give up characters first. */
export function physicalName(stackName: string, logicalId: string, maxLength: number, suffix = uniqueSuffix()): string {
  const room = maxLength - suffix.length - 2;
  if (room < 2) return suffix.slice(0, maxLength);
  let stack = stackName;
  let logical = logicalId;
  while (stack.length + logical.length > room) {
    if (stack.length >= logical.length) stack = stack.slice(0, -1);
    else logical = logical.slice(0, -1);
  }
  return `${stack}-${logical}-${suffix}`;
}

export function stackArn(region: string, accountId: string, stackName: string, uuid: string): string {
  return `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/${uuid}`;
}
