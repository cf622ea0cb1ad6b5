/**
 * Builds the flattened parameters of a query-protocol request (what a client would put on the
 * wire) from resolved template properties, in either list style: IAM's `Name.member.N` or EC2's
 * `Name.N`. Resource providers call existing operations with these, so the operation's own input
 * validation answers for a bad property as the service's API would.
 */
import type { ListStyle } from '../../../protocol/query-input.js';

export type Scalar = string | number | boolean;

export class QueryParams {
  private readonly params = new Map<string, string>();

  constructor(readonly style: ListStyle) {}

  /** Sets `name` unless the value is absent. */
  set(name: string, value: Scalar | undefined): this {
    if (value !== undefined) this.params.set(name, String(value));
    return this;
  }

  /** A list of scalars: `Name.member.1` (IAM) or `Name.1` (EC2). */
  list(name: string, values: readonly Scalar[] | undefined): this {
    values?.forEach((value, index) => this.params.set(`${this.itemPrefix(name)}${index + 1}`, String(value)));
    return this;
  }

  /** A list of structures: `Name.member.1.Field` (IAM) or `Name.1.Field` (EC2). */
  structures(name: string, items: ReadonlyArray<Readonly<Record<string, Scalar | undefined>>> | undefined): this {
    items?.forEach((item, index) => {
      for (const [field, value] of Object.entries(item)) this.set(`${this.itemPrefix(name)}${index + 1}.${field}`, value);
    });
    return this;
  }

  entries(): Map<string, string> {
    return new Map(this.params);
  }

  private itemPrefix(name: string): string {
    return this.style === 'member' ? `${name}.member.` : `${name}.`;
  }
}
