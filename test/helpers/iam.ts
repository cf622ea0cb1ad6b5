/**
 * IAM fixtures the end-to-end tests share, made through the API as the account's root user.
 */
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { iamClient, type Credentials, type TestServer } from './server.js';

/** An identity policy (JSON) with one statement allowing `action` on `resource`. */
export const allow = (action: string | string[], resource: string | string[] = '*'): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

/** Puts (or replaces) inline policy `policyName` of user `userName`, through `iam`. */
export async function putUserPolicy(iam: IAMClient, userName: string, policyName: string, document: string): Promise<void> {
  await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: document }));
}

/**
 * Creates IAM user `name` (path /) with an access key, and returns the key's credentials.
 * `policies` are put as the user's inline policies before the key is created: one document
 * (named "p"), or documents by policy name.
 */
export async function createUserWithKey(server: TestServer, name: string, policies?: string | Readonly<Record<string, string>>): Promise<Credentials> {
  const iam = iamClient(server);
  try {
    await iam.send(new CreateUserCommand({ UserName: name }));
    const documents = typeof policies === 'string' ? { p: policies } : (policies ?? {});
    for (const [policyName, document] of Object.entries(documents)) {
      await putUserPolicy(iam, name, policyName, document);
    }
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  } finally {
    iam.destroy();
  }
}
