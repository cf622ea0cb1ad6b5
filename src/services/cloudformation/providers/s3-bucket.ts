/**
 * AWS::S3::Bucket (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html)
 * and AWS::S3::BucketPolicy (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucketpolicy.html),
 * through S3's own operations (CreateBucket, PutBucketTagging, DeleteBucket; PutBucketPolicy,
 * DeleteBucketPolicy) called as a client would call them. A bucket's Ref is its name; Fn::GetAtt
 * Arn, DomainName, RegionalDomainName, DualStackDomainName and WebsiteURL. A bucket that still
 * holds objects cannot be deleted (BucketNotEmpty), as on AWS. A bucket policy's Ref is a
 * generated id. iamd's S3 has no versioning, encryption settings, lifecycle, website, CORS or
 * notification configuration: those properties are accepted and ignored.
 */
import { escapeXml } from '../../../protocol/xml.js';
import { jsonDocument, requiredText, tagsOf, text, type Properties } from './properties.js';
import { provider, type Provisioned, type ProviderContext } from './provider.js';
import { unlessGone } from './results.js';

const NOT_MODELLED = "iamd's S3 does not model it";

function describe(ctx: ProviderContext, name: string): Provisioned {
  const region = ctx.app.region;
  return {
    physicalId: name,
    attributes: {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
    },
  };
}

async function putTags(ctx: ProviderContext, bucket: string, properties: Properties): Promise<void> {
  const tags = [...ctx.stack.tags, ...tagsOf(properties)];
  if (tags.length === 0) {
    await unlessGone(ctx.callRest('s3', 'DeleteBucketTagging', { method: 'DELETE', path: `/${bucket}`, query: { tagging: '' } }));
    return;
  }
  const body = `<Tagging><TagSet>${tags.map((tag) => `<Tag><Key>${escapeXml(tag.Key)}</Key><Value>${escapeXml(tag.Value)}</Value></Tag>`).join('')}</TagSet></Tagging>`;
  await ctx.callRest('s3', 'PutBucketTagging', { method: 'PUT', path: `/${bucket}`, query: { tagging: '' }, body });
}

/** A name CloudFormation makes for a bucket: lower case, at most 63 characters. */
function bucketName(ctx: ProviderContext): string {
  return ctx.physicalName(63).toLowerCase();
}

const ignored = (type: 'object' | 'list' | 'string' | 'boolean' = 'object') => ({ type, ignored: NOT_MODELLED });

export const s3Bucket = provider({
  type: 'AWS::S3::Bucket',
  nameProperty: 'BucketName',
  schema: {
    BucketName: { type: 'string', replaces: true },
    Tags: { type: 'list' },
    AccelerateConfiguration: ignored(),
    AccessControl: ignored('string'),
    AnalyticsConfigurations: ignored('list'),
    BucketEncryption: ignored(),
    CorsConfiguration: ignored(),
    IntelligentTieringConfigurations: ignored('list'),
    InventoryConfigurations: ignored('list'),
    LifecycleConfiguration: ignored(),
    LoggingConfiguration: ignored(),
    MetricsConfigurations: ignored('list'),
    NotificationConfiguration: ignored(),
    ObjectLockConfiguration: ignored(),
    ObjectLockEnabled: ignored('boolean'),
    OwnershipControls: ignored(),
    PublicAccessBlockConfiguration: ignored(),
    ReplicationConfiguration: ignored(),
    VersioningConfiguration: ignored(),
    WebsiteConfiguration: ignored(),
  },
  attributes: ['Arn', 'DomainName', 'RegionalDomainName', 'DualStackDomainName', 'WebsiteURL'],
  async create(ctx, properties) {
    const name = text(properties, 'BucketName') ?? bucketName(ctx);
    const region = ctx.app.region;
    const body = region === 'us-east-1' ? '' : `<CreateBucketConfiguration><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
    await ctx.callRest('s3', 'CreateBucket', { method: 'PUT', path: `/${name}`, body });
    if (ctx.stack.tags.length > 0 || tagsOf(properties).length > 0) await putTags(ctx, name, properties);
    return describe(ctx, name);
  },
  async update(ctx, current, properties, changed) {
    if (changed.has('Tags')) await putTags(ctx, current.physicalId, properties);
    return describe(ctx, current.physicalId);
  },
  async delete(ctx, current) {
    await unlessGone(ctx.callRest('s3', 'DeleteBucket', { method: 'DELETE', path: `/${current.physicalId}` }));
  },
});

export const s3BucketPolicy = provider({
  type: 'AWS::S3::BucketPolicy',
  schema: {
    Bucket: { type: 'string', required: true, replaces: true },
    PolicyDocument: { type: 'json', required: true },
  },
  attributes: [],
  async create(ctx, properties) {
    const bucket = requiredText(properties, 'Bucket');
    await ctx.callRest('s3', 'PutBucketPolicy', { method: 'PUT', path: `/${bucket}`, query: { policy: '' }, body: jsonDocument(properties, 'PolicyDocument')! });
    return { physicalId: ctx.physicalName(255), attributes: {} };
  },
  async update(ctx, current, properties) {
    await ctx.callRest('s3', 'PutBucketPolicy', { method: 'PUT', path: `/${requiredText(properties, 'Bucket')}`, query: { policy: '' }, body: jsonDocument(properties, 'PolicyDocument')! });
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.callRest('s3', 'DeleteBucketPolicy', { method: 'DELETE', path: `/${requiredText(current.properties, 'Bucket')}`, query: { policy: '' } }));
  },
});
