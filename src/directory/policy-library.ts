/**
 * Every policy a request may need, compiled once. Documents are compiled by content (the same text
 * compiles to the same policy), so nothing needs invalidating; managed policies resolve by ARN to
 * a customer-managed policy's default version or to the AWS-managed catalog.
 */
import { compilePolicy, type CompiledPolicy, type PolicyKind, type PolicySource } from '../policy/index.js';
import type { AwsManagedPolicyCatalog } from '../services/iam/aws-managed-policies.js';
import type { Directory } from './directory.js';

const LIMIT = 50_000;

export class PolicyLibrary {
  private readonly compiled = new Map<string, CompiledPolicy>();

  constructor(private readonly directory: Directory, readonly awsManaged: AwsManagedPolicyCatalog) {}

  compile(text: string, kind: PolicyKind, source: PolicySource): CompiledPolicy {
    const key = `${kind}\u0000${source.kind}\u0000${source.arn ?? source.name ?? ''}\u0000${text}`;
    let policy = this.compiled.get(key);
    if (!policy) {
      policy = compilePolicy(text, kind, source);
      if (this.compiled.size >= LIMIT) this.compiled.clear();
      this.compiled.set(key, policy);
    }
    return policy;
  }

  /** The default version's document of a managed policy (customer or AWS), or undefined. */
  managedDocument(arn: string): string | undefined {
    const customer = this.directory.get('policy', arn);
    if (customer) return customer.versions.find((version) => version.versionId === customer.defaultVersionId)?.document;
    return this.awsManaged.document(arn);
  }

  managed(arn: string, kind: PolicyKind = 'identity'): CompiledPolicy | undefined {
    const document = this.managedDocument(arn);
    if (document === undefined) return undefined;
    const isAws = arn.startsWith('arn:aws:iam::aws:policy/');
    return this.compile(document, kind, { kind: isAws ? 'aws-managed' : 'managed', arn, name: arn.slice(arn.lastIndexOf('/') + 1) });
  }

  isManagedPolicy(arn: string): boolean {
    return this.directory.get('policy', arn) !== undefined || this.awsManaged.get(arn) !== undefined;
  }
}
