/**
 * CloudFormation with iamd's S3, with the JS SDK: a template stored in S3 (TemplateURL, in iamd's
 * path-style form and as an AWS virtual-hosted URL) read with the caller's permissions; buckets and
 * bucket policies as stack resources (S3's own operations, so its rules hold: a bucket with objects
 * cannot be deleted, and RetainResources then lets the stack go).
 */
import { DeleteStackCommand, GetTemplateSummaryCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, DeleteObjectCommand, GetBucketPolicyCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cloudformationClient, createStack, outputsOf, resourceHistory, settledStack, stackEvents } from './helpers/cloudformation.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import { expectAwsError, s3Client, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let cfn: CloudFormationClient;
let s3: S3Client;

const BUCKET_TEMPLATE = `Description: A bucket and its policy
Resources:
  Artifacts:
    Type: AWS::S3::Bucket
    Properties:
      Tags: [{Key: purpose, Value: artifacts}]
      VersioningConfiguration: {Status: Enabled}
  ArtifactsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Artifacts
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: [!GetAtt Artifacts.Arn, !Sub '\${Artifacts.Arn}/*']
            Condition: {Bool: {'aws:SecureTransport': 'false'}, StringEquals: {'aws:PrincipalAccount': '111111111111'}}
Outputs:
  BucketName: {Value: !Ref Artifacts}
  BucketArn: {Value: !GetAtt Artifacts.Arn}
  DomainName: {Value: !GetAtt Artifacts.RegionalDomainName}
`;

before(async () => {
  server = await startTestServer();
  cfn = cloudformationClient(server);
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
  await s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'stacks/bucket.yaml', Body: BUCKET_TEMPLATE }));
});

after(async () => {
  cfn?.destroy();
  s3?.destroy();
  await server?.close();
});

describe('TemplateURL', () => {
  it('reads a template stored in S3, by iamd\'s URL or an AWS S3 URL', async () => {
    const summary = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: `${server.url}/templates/stacks/bucket.yaml` }));
    assert.equal(summary.Description, 'A bucket and its policy');
    const virtualHosted = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: 'https://templates.s3.us-east-1.amazonaws.com/stacks/bucket.yaml' }));
    assert.deepEqual(virtualHosted.ResourceTypes, ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
  });

  it('an object that does not exist, or that the caller may not read, is a ValidationError', async () => {
    const missing = await expectAwsError(cfn.send(new GetTemplateSummaryCommand({ TemplateURL: `${server.url}/templates/nothing.yaml` })), 'ValidationError');
    assert.equal(missing.message, 'TemplateURL must reference a valid S3 object to which you have access.');
    const outsider = cloudformationClient(server, await createUserWithKey(server, 'no-s3', allow('cloudformation:*')));
    const denied = await expectAwsError(outsider.send(new GetTemplateSummaryCommand({ TemplateURL: `${server.url}/templates/stacks/bucket.yaml` })), 'ValidationError');
    assert.equal(denied.message, 'TemplateURL must reference a valid S3 object to which you have access.');
    outsider.destroy();
  });
});

describe('buckets as stack resources', () => {
  it('creates a bucket and its policy from a TemplateURL; Ref and Fn::GetAtt as AWS documents them', async () => {
    const stack = await createStack(cfn, { StackName: 'artifacts', TemplateURL: `${server.url}/templates/stacks/bucket.yaml` });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', stack.StackStatusReason);
    const { BucketName, BucketArn, DomainName } = outputsOf(stack);
    assert.match(BucketName!, /^artifacts-artifacts-[a-z0-9]{12}$/);
    assert.equal(BucketArn, `arn:aws:s3:::${BucketName}`);
    assert.equal(DomainName, `${BucketName}.s3.us-east-1.amazonaws.com`);
    await s3.send(new HeadBucketCommand({ Bucket: BucketName }));
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: BucketName }))).Policy!) as { Statement: Array<{ Resource: string[] }> };
    assert.deepEqual(policy.Statement[0]!.Resource, [BucketArn, `${BucketArn}/*`]);
  });

  it('a bucket that holds objects cannot be deleted (DELETE_FAILED); RetainResources keeps it and the stack goes', async () => {
    const bucket = outputsOf(await settledStack(cfn, 'artifacts')).BucketName!;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'build.zip', Body: 'zip' }));
    await cfn.send(new DeleteStackCommand({ StackName: 'artifacts' }));
    const failed = await settledStack(cfn, 'artifacts');
    assert.equal(failed.StackStatus, 'DELETE_FAILED');
    assert.equal(failed.StackStatusReason, 'The following resource(s) failed to delete: [Artifacts]. ');
    const history = resourceHistory(await stackEvents(cfn, 'artifacts'), 'Artifacts');
    assert.match(history[history.length - 1]!, /^DELETE_FAILED: Resource handler returned message: "The bucket you tried to delete is not empty \(Service: S3, Status Code: 409, Request ID: [0-9a-f-]{36}\)" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$/);

    await cfn.send(new DeleteStackCommand({ StackName: 'artifacts', RetainResources: ['Artifacts'] }));
    assert.equal((await settledStack(cfn, failed.StackId!)).StackStatus, 'DELETE_COMPLETE');
    assert.deepEqual(resourceHistory(await stackEvents(cfn, failed.StackId!), 'Artifacts').slice(-1), ['DELETE_SKIPPED']);
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'build.zip' }));
  });
});
