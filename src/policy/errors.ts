/** A policy document IAM would refuse; the message is AWS's MalformedPolicyDocument wording (messages.ts). */
export class PolicyDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyDocumentError';
  }
}
