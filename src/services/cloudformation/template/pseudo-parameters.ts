/**
 * The pseudo parameters every template can Ref without declaring them.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
 */
import type { PseudoParameters } from './types.js';

const NO_VALUE = 'AWS::NoValue';

const VALUES: Readonly<Record<string, (pseudo: PseudoParameters) => string | string[]>> = {
  'AWS::AccountId': (pseudo) => pseudo.accountId,
  'AWS::NotificationARNs': (pseudo) => [...pseudo.notificationArns],
  'AWS::Partition': (pseudo) => pseudo.partition,
  'AWS::Region': (pseudo) => pseudo.region,
  'AWS::StackId': (pseudo) => pseudo.stackId,
  'AWS::StackName': (pseudo) => pseudo.stackName,
  'AWS::URLSuffix': (pseudo) => pseudo.urlSuffix,
};

export function isPseudoParameter(name: string): boolean {
  return name === NO_VALUE || name in VALUES;
}

/** The value of a pseudo parameter; undefined for AWS::NoValue (and for names that are not pseudo parameters). */
export function pseudoParameterValue(name: string, pseudo: PseudoParameters): string | string[] | undefined {
  return VALUES[name]?.(pseudo);
}
