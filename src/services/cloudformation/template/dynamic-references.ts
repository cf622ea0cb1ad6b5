/**
 * Dynamic references to SSM parameters inside strings: `{{resolve:ssm:name}}` and
 * `{{resolve:ssm:name:version}}` are replaced by the parameter's value. Other services
 * (`ssm-secure`, `secretsmanager`) are left untouched.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm.html
 */

const SSM_REFERENCE = /\{\{resolve:ssm:([A-Za-z0-9_.\-/]+)(?::(\d+))?\}\}/g;

export function resolveDynamicReferences(text: string, ssmParameter: (name: string, version?: string) => string): string {
  if (!text.includes('{{resolve:ssm:')) return text;
  return text.replace(SSM_REFERENCE, (_match, name: string, version: string | undefined) =>
    version === undefined ? ssmParameter(name) : ssmParameter(name, version));
}
