/**
 * A resource provider: what CloudFormation does for one resource type. Providers do not change
 * records themselves: they call the owning service's operations through the stack's invoker
 * (invoker.ts), so authorization, validation and the service's errors are the API's own. The
 * records iamd has no API for (SSM parameters, launch templates) are written inside `perform`,
 * so those calls are authorized and in the trail like the others. A provider answers the
 * physical id (what Ref returns) and the attributes Fn::GetAtt may read.
 */
import type { Tag } from '../../../directory/types.js';
import type { RestResponse } from '../../../protocol/rest-response.js';
import type { XmlObject } from '../../../protocol/xml.js';
import type { App } from '../../../server/app.js';
import type { AttributeValue } from '../types.js';
import type { Properties, PropertySchema } from './properties.js';
import type { PerformedCall, RestCall } from './invoker.js';
import type { QueryParams } from './query-params.js';

export interface Provisioned {
  physicalId: string;
  attributes: Record<string, AttributeValue>;
}

export interface ProvisionedResource extends Provisioned {
  logicalId: string;
  /** the resolved properties it was provisioned with */
  properties: Properties;
}

export interface StackIdentity {
  stackName: string;
  stackId: string;
  /** the stack's tags, which CloudFormation propagates to the resources it creates */
  tags: readonly Tag[];
}

/** What a provider may use while it works on one resource. */
export interface ProviderContext {
  readonly app: App;
  readonly stack: StackIdentity;
  readonly logicalId: string;
  /** Calls an operation of another service as the stack's caller. */
  call(service: string, action: string, params: QueryParams): Promise<XmlObject>;
  /** Calls an operation of a REST service (S3) as the stack's caller. */
  callRest(service: string, action: string, request: RestCall): Promise<RestResponse | XmlObject | undefined>;
  /**
   * A call iamd has no operation for (SSM parameters, launch templates: records CloudFormation
   * writes itself), authorized and recorded as `call` would; `handle` does its work once allowed.
   */
  perform(service: string, action: string, request: PerformedCall, handle: () => XmlObject | undefined): Promise<XmlObject>;
  /** A name for a resource the template leaves unnamed: STACK-LOGICALID-SUFFIX, at most `maxLength` characters. */
  physicalName(maxLength: number): string;
  /** 12 random characters, A-Z and 0-9, as CloudFormation ends the names it makes */
  uniqueSuffix(): string;
}

export interface ResourceProvider {
  readonly type: string;
  readonly schema: PropertySchema;
  /** the attribute names Fn::GetAtt may read */
  readonly attributes: readonly string[];
  /** the property that names the resource: a replacement of a custom-named resource fails, as on AWS */
  readonly nameProperty?: string;
  create(ctx: ProviderContext, properties: Properties): Promise<Provisioned>;
  /** An in-place update of the properties that changed (none of them `replaces`); absent: every change replaces. */
  update?(ctx: ProviderContext, current: ProvisionedResource, properties: Properties, changed: ReadonlySet<string>): Promise<Provisioned>;
  delete(ctx: ProviderContext, current: ProvisionedResource): Promise<void>;
  /** An attribute that is a secret, read from its service when asked for and never stored with the stack. */
  secretAttribute?(app: App, current: Provisioned, name: string): string | undefined;
}

/**
 * Whether a change to this property needs a new physical resource: the type's schema says so
 * (AWS's "Update requires: Replacement"), or the provider updates nothing in place. The one rule
 * for both the stack runner and a change set's RequiresRecreation.
 */
export function changeReplaces(provider: ResourceProvider, property: string): boolean {
  return !provider.update || provider.schema[property]?.replaces === true;
}

/** Declares a provider with its types checked once. */
export function provider(definition: ResourceProvider): ResourceProvider {
  return definition;
}
