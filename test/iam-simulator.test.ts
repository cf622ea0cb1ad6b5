/**
 * The IAM policy simulator end to end, with the JS SDK and the AWS CLI: SimulateCustomPolicy and
 * SimulatePrincipalPolicy decide as the engine decides real requests (allowed, explicitDeny,
 * implicitDeny), name the deciding statements with AWS's SourcePolicyId and positions, report
 * missing context keys, count a user's groups, attached AWS-managed policies and boundary, honour
 * a resource policy naming the caller, and predict what the same user's real requests get.
 */
import {
  AddUserToGroupCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreateRoleCommand,
  CreateUserCommand, GetUserCommand, ListGroupsCommand, ListRolesCommand, ListUsersCommand, PutGroupPolicyCommand, PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand, PutUserPolicyCommand, SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand,
  type ContextEntry, type EvaluationResult, type IAMClient, type Statement,
} from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { awsJson, realClient } from './helpers/real-clients.js';
import { createUserWithKey } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const userArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[], resource: string | string[] = '*') => ({ Effect: 'Allow', Action: action, Resource: resource });
const deny = (action: string | string[], resource: string | string[] = '*') => ({ Effect: 'Deny', Action: action, Resource: resource });
const dateEntry = (name: string, value: string): ContextEntry => ({ ContextKeyName: name, ContextKeyValues: [value], ContextKeyType: 'date' });
/** AWS's revoke-older-sessions policy, as the console writes it (array form, milliseconds). */
const revokeOlderThan = (iso: string): string =>
  policy({ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': iso } } });

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = iamClient(server);
});
after(async () => {
  iam.destroy();
  await server.close();
});

async function custom(input: { policies: string[]; actions: string[]; resources?: string[]; context?: ContextEntry[]; boundary?: string; resourcePolicy?: string; caller?: string }): Promise<EvaluationResult[]> {
  const out = await iam.send(new SimulateCustomPolicyCommand({
    PolicyInputList: input.policies,
    ActionNames: input.actions,
    ...(input.resources ? { ResourceArns: input.resources } : {}),
    ...(input.context ? { ContextEntries: input.context } : {}),
    ...(input.boundary ? { PermissionsBoundaryPolicyInputList: [input.boundary] } : {}),
    ...(input.resourcePolicy ? { ResourcePolicy: input.resourcePolicy } : {}),
    ...(input.caller ? { CallerArn: input.caller } : {}),
  }));
  assert.equal(out.IsTruncated, false);
  return out.EvaluationResults ?? [];
}

async function principal(arn: string, actions: string[], more: { resources?: string[]; context?: ContextEntry[]; client?: IAMClient } = {}): Promise<EvaluationResult[]> {
  const out = await (more.client ?? iam).send(new SimulatePrincipalPolicyCommand({
    PolicySourceArn: arn,
    ActionNames: actions,
    ...(more.resources ? { ResourceArns: more.resources } : {}),
    ...(more.context ? { ContextEntries: more.context } : {}),
  }));
  return out.EvaluationResults ?? [];
}

function decisions(results: readonly EvaluationResult[]): Record<string, string | undefined> {
  return Object.fromEntries(results.map((result) => [result.EvalActionName, result.EvalDecision]));
}

const position = (statement: Statement | undefined) => [statement?.StartPosition?.Line, statement?.StartPosition?.Column, statement?.EndPosition?.Line, statement?.EndPosition?.Column];

describe('SimulateCustomPolicy', () => {
  // Two statements in a compact list: AWS starts the first just after "[", the second where the first ends.
  const document = policy(
    { Sid: 'Read', ...allow(['s3:GetObject', 's3:DeleteObject']) },
    { Sid: 'Locked', ...deny('s3:DeleteObject', 'arn:aws:s3:::locked/*') },
  );
  const firstEnd = document.indexOf('}') + 2;
  const secondEnd = document.indexOf('}', firstEnd) + 2;

  it('answers allowed, explicitDeny and implicitDeny with the deciding statement and its position', async () => {
    const results = await custom({ policies: [document], actions: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject'], resources: ['arn:aws:s3:::locked/report'] });
    assert.deepEqual(decisions(results), { 's3:GetObject': 'allowed', 's3:DeleteObject': 'explicitDeny', 's3:PutObject': 'implicitDeny' });

    const [read, locked, put] = results;
    assert.equal(read!.EvalResourceName, 'arn:aws:s3:::locked/report');
    assert.deepEqual(read!.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['PolicyInputList.1', 'IAM Policy']]);
    assert.deepEqual(position(read!.MatchedStatements![0]), [1, document.indexOf('[') + 2, 1, firstEnd]);
    // The explicit deny is reported alone, and starts where the statement before it ends.
    assert.equal(locked!.MatchedStatements?.length, 1);
    assert.deepEqual(position(locked!.MatchedStatements![0]), [1, firstEnd, 1, secondEnd]);
    assert.deepEqual(put!.MatchedStatements, []);

    // With ResourceArns: one resource-specific result each, and the same-account EvalDecisionDetails (empty).
    for (const result of results) {
      assert.deepEqual(result.OrganizationsDecisionDetail, { AllowedByOrganizations: true });
      assert.equal(result.PermissionsBoundaryDecisionDetail, undefined);
      assert.equal(result.ResourceSpecificResults?.length, 1);
      assert.equal(result.ResourceSpecificResults![0]!.EvalResourceDecision, result.EvalDecision);
      assert.equal(result.ResourceSpecificResults![0]!.EvalResourceName, 'arn:aws:s3:::locked/report');
      assert.deepEqual(result.ResourceSpecificResults![0]!.MatchedStatements, result.MatchedStatements);
    }
  });

  it('reproduces the AWS CLI example: a single-object Statement, aws:CurrentTime given as a context entry', async () => {
    // Verbatim from awscli/examples/iam/simulate-custom-policy.rst, whose output is Line 1 Column 38 to Line 1 Column 167.
    const example = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    const after = await custom({ policies: [example], actions: ['dynamodb:CreateBackup'], context: [dateEntry('aws:CurrentTime', '2019-04-25T11:00:00Z')] });
    assert.equal(after[0]!.EvalDecision, 'allowed');
    assert.equal(after[0]!.EvalResourceName, '*');
    assert.deepEqual(position(after[0]!.MatchedStatements![0]), [1, 38, 1, 167]);
    assert.deepEqual(after[0]!.MissingContextValues, []);
    assert.equal(after[0]!.ResourceSpecificResults, undefined);
    assert.equal(after[0]!.EvalDecisionDetails, undefined);

    const before = await custom({ policies: [example], actions: ['dynamodb:CreateBackup'], context: [dateEntry('aws:CurrentTime', '2014-04-25T11:00:00Z')] });
    assert.equal(before[0]!.EvalDecision, 'implicitDeny');
    assert.deepEqual(before[0]!.MatchedStatements, []);
  });

  it('counts lines and columns in a pretty-printed document as AWS does (AdministratorAccess: line 3 column 17 to line 8 column 6)', async () => {
    const pretty = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, null, 2);
    const results = await custom({ policies: [policy(allow('ec2:*')), pretty], actions: ['iam:ListUsers'] });
    assert.deepEqual(results[0]!.MatchedStatements?.map((s) => [s.SourcePolicyId, ...position(s)]), [['PolicyInputList.2', 3, 17, 8, 6]]);
  });

  it('reports a condition key that was not supplied in MissingContextValues, and decides with it once supplied', async () => {
    const tagged = policy({ ...allow('s3:ListBucket'), Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } });
    const missing = await custom({ policies: [tagged], actions: ['s3:ListBucket'] });
    assert.equal(missing[0]!.EvalDecision, 'implicitDeny');
    assert.deepEqual(missing[0]!.MissingContextValues, ['aws:PrincipalTag/team']);

    const given = await custom({ policies: [tagged], actions: ['s3:ListBucket'], context: [{ ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: ['blue'], ContextKeyType: 'string' }] });
    assert.equal(given[0]!.EvalDecision, 'allowed');
    assert.deepEqual(given[0]!.MissingContextValues, []);

    // With ResourceArns the missing keys are reported per resource.
    const perResource = await custom({ policies: [tagged], actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::bucket'] });
    assert.deepEqual(perResource[0]!.MissingContextValues, []);
    assert.deepEqual(perResource[0]!.ResourceSpecificResults![0]!.MissingContextValues, ['aws:PrincipalTag/team']);
  });

  it('applies a permissions boundary given as input and says whether it allowed', async () => {
    const results = await custom({ policies: [policy(allow(['s3:*', 'iam:*']))], boundary: policy(allow('s3:*')), actions: ['s3:GetObject', 'iam:ListUsers'] });
    assert.deepEqual(decisions(results), { 's3:GetObject': 'allowed', 'iam:ListUsers': 'implicitDeny' });
    assert.deepEqual(results.map((r) => r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary), [true, false]);
    assert.deepEqual(results[0]!.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]).sort(), [
      ['PermissionsBoundaryPolicyInputList.1', 'Permissions Boundary Policy'], ['PolicyInputList.1', 'IAM Policy'],
    ]);
  });

  it('lets a resource policy that names the caller allow on its own, and only for that caller', async () => {
    const bucketPolicy = policy({ Effect: 'Allow', Principal: { AWS: userArn('reader') }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' });
    const unrelated = policy(allow('ec2:DescribeInstances'));
    const named = await custom({ policies: [unrelated], resourcePolicy: bucketPolicy, caller: userArn('reader'), actions: ['s3:GetObject'], resources: ['arn:aws:s3:::shared/a'] });
    assert.equal(named[0]!.EvalDecision, 'allowed');
    assert.deepEqual(named[0]!.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['ResourcePolicy', 'Resource Policy']]);

    const other = await custom({ policies: [unrelated], resourcePolicy: bucketPolicy, caller: userArn('someone-else'), actions: ['s3:GetObject'], resources: ['arn:aws:s3:::shared/a'] });
    assert.equal(other[0]!.EvalDecision, 'implicitDeny');

    // AWS needs an IAM user to match the resource policy's Principal against.
    const noCaller = await expectAwsError(custom({ policies: [unrelated], resourcePolicy: bucketPolicy, actions: ['s3:GetObject'] }), 'InvalidInput');
    assert.equal(noCaller.message, 'Invalid caller - Caller must be an IAM user in this context.');
  });

  it('pages with MaxItems and Marker', async () => {
    const first = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('s3:*'))], ActionNames: ['s3:GetObject', 's3:PutObject', 'ec2:RunInstances'], MaxItems: 2 }));
    assert.equal(first.IsTruncated, true);
    assert.deepEqual(first.EvaluationResults?.map((r) => r.EvalActionName), ['s3:GetObject', 's3:PutObject']);
    const second = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('s3:*'))], ActionNames: ['s3:GetObject', 's3:PutObject', 'ec2:RunInstances'], MaxItems: 2, Marker: first.Marker }));
    assert.equal(second.IsTruncated, false);
    assert.deepEqual(second.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision]), [['ec2:RunInstances', 'implicitDeny']]);
  });

  it('refuses bad input as AWS does', async () => {
    const bad = (input: Partial<ConstructorParameters<typeof SimulateCustomPolicyCommand>[0]>) =>
      iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('s3:*'))], ActionNames: ['s3:GetObject'], ...input }));
    const malformed = await expectAwsError(bad({ PolicyInputList: ['{"Version":"2012-10-17","Statement":['] }), 'InvalidInput');
    assert.equal(malformed.message, 'Syntax errors in policy.');
    await expectAwsError(bad({ PolicyInputList: [policy({ ...allow('s3:*'), Principal: '*' })] }), 'InvalidInput');
    await expectAwsError(bad({ ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['x'], ContextKeyType: 'datetime' as 'date' }] }), 'ValidationError');
    for (const [type, value] of [['date', 'yesterday'], ['numeric', 'ten'], ['boolean', 'yes'], ['ip', '10.0.0.300'], ['binary', 'not base64!']] as const) {
      await expectAwsError(bad({ ContextEntries: [{ ContextKeyName: 'aws:SomeKey', ContextKeyValues: [value], ContextKeyType: type }] }), 'InvalidInput');
    }
    await expectAwsError(bad({ ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1', '10.0.0.2'], ContextKeyType: 'ip' }] }), 'InvalidInput');
    const arnError = await expectAwsError(bad({ ResourceArns: ['14a050d4-021e-4efe-84bb-0871bf6d0fda'] }), 'InvalidInput');
    assert.equal(arnError.message, 'ResourceNames are not in a valid ARN format: 14a050d4-021e-4efe-84bb-0871bf6d0fda.');
    await expectAwsError(bad({ ActionNames: ['s3:*'] }), 'InvalidInput');
    await expectAwsError(bad({ PermissionsBoundaryPolicyInputList: [policy(allow('s3:*')), policy(allow('s3:*'))] }), 'InvalidInput');
    await expectAwsError(bad({ CallerArn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s` }), 'InvalidInput');
    await expectAwsError(iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('s3:*'))], ActionNames: [] })), 'ValidationError');
  });
});

describe('SimulatePrincipalPolicy', () => {
  before(async () => {
    await iam.send(new CreateUserCommand({ UserName: 'dave' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'auditors' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'auditors', UserName: 'dave' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'auditors', PolicyName: 'ListEverything', PolicyDocument: policy(allow(['iam:List*'])) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'dave', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'dave', PolicyName: 'NoSecrets', PolicyDocument: policy(deny('s3:GetObject', 'arn:aws:s3:::secrets/*')) }));
  });

  it("counts the user's inline policies, its groups' policies and its attached AWS-managed policies", async () => {
    const results = await principal(userArn('dave'), ['s3:GetObject', 'iam:ListRoles', 'ec2:RunInstances'], { resources: ['arn:aws:s3:::public/a'] });
    assert.deepEqual(decisions(results), { 's3:GetObject': 'allowed', 'iam:ListRoles': 'allowed', 'ec2:RunInstances': 'implicitDeny' });
    assert.deepEqual(results[0]!.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['AmazonS3ReadOnlyAccess', 'IAM Policy']]);
    assert.deepEqual(results[1]!.MatchedStatements?.map((s) => s.SourcePolicyId), ['ListEverything']);

    const secret = await principal(userArn('dave'), ['s3:GetObject'], { resources: ['arn:aws:s3:::secrets/key'] });
    assert.equal(secret[0]!.EvalDecision, 'explicitDeny');
    assert.deepEqual(secret[0]!.MatchedStatements?.map((s) => s.SourcePolicyId), ['NoSecrets']);

    // The group on its own has only its own policy.
    const group = await principal(`arn:aws:iam::${ACCOUNT}:group/auditors`, ['iam:ListUsers', 's3:GetObject']);
    assert.deepEqual(decisions(group), { 'iam:ListUsers': 'allowed', 's3:GetObject': 'implicitDeny' });
  });

  it("applies the user's permissions boundary", async () => {
    await iam.send(new CreateUserCommand({ UserName: 'erin' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'Broad', PolicyDocument: policy(allow(['s3:*', 'iam:*'])) }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'OnlyS3', PolicyDocument: policy(allow('s3:*')) }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'erin', PermissionsBoundary: Policy!.Arn }));
    const results = await principal(userArn('erin'), ['s3:PutObject', 'iam:CreateUser']);
    assert.deepEqual(decisions(results), { 's3:PutObject': 'allowed', 'iam:CreateUser': 'implicitDeny' });
    assert.deepEqual(results.map((r) => r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary), [true, false]);
    assert.ok(results[0]!.MatchedStatements?.some((s) => s.SourcePolicyId === 'OnlyS3' && (s.SourcePolicyType as string) === 'Permissions Boundary Policy'));
  });

  it("revoke-older-sessions on a role: a token issued before the cut-off is denied, one issued after is allowed", async () => {
    const trust = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trust }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'Work', PolicyDocument: policy(allow('s3:*')) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: revokeOlderThan('2024-10-10T09:43:48.085Z') }));
    const role = `arn:aws:iam::${ACCOUNT}:role/worker`;

    const older = await principal(role, ['s3:GetObject'], { context: [dateEntry('aws:TokenIssueTime', '2024-10-10T09:00:00Z')] });
    assert.equal(older[0]!.EvalDecision, 'explicitDeny');
    assert.deepEqual(older[0]!.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['AWSRevokeOlderSessions', 'IAM Policy']]);

    const newer = await principal(role, ['s3:GetObject'], { context: [dateEntry('aws:TokenIssueTime', '2024-10-10T10:00:00Z')] });
    assert.equal(newer[0]!.EvalDecision, 'allowed');
    assert.deepEqual(newer[0]!.MatchedStatements?.map((s) => s.SourcePolicyId), ['Work']);

    // Without the key (long-term credentials have none) the Deny cannot apply, and the key is reported missing.
    const unknown = await principal(role, ['s3:GetObject']);
    assert.equal(unknown[0]!.EvalDecision, 'allowed');
    assert.deepEqual(unknown[0]!.MissingContextValues, ['aws:TokenIssueTime']);

    // The single-object form of AWS's docs decides the same way.
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'worker', PolicyName: 'AWSRevokeOlderSessions',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-10-10T09:43:48Z' } } } }),
    }));
    const olderAgain = await principal(role, ['s3:GetObject'], { context: [dateEntry('aws:TokenIssueTime', '2024-10-10T09:43:47Z')] });
    assert.equal(olderAgain[0]!.EvalDecision, 'explicitDeny');
  });

  it('predicts what the same user gets for real', async () => {
    const frank = await createUserWithKey(server, 'frank');
    await iam.send(new PutUserPolicyCommand({
      UserName: 'frank', PolicyName: 'Mixed', PolicyDocument: policy(
        allow('iam:GetUser', userArn('frank')),
        allow(['iam:ListUsers', 'iam:ListRoles']),
        deny('iam:ListRoles'),
        // The request's own keys are in the simulated context, as in a real request's.
        { ...allow('iam:ListGroups'), Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' }, Bool: { 'aws:SecureTransport': 'false' } } },
      ),
    }));
    const asFrank = iamClient(server, frank);
    try {
      const cases: Array<{ action: string; resource: string; call: () => Promise<unknown> }> = [
        { action: 'iam:GetUser', resource: userArn('frank'), call: () => asFrank.send(new GetUserCommand({ UserName: 'frank' })) },
        { action: 'iam:GetUser', resource: userArn('dave'), call: () => asFrank.send(new GetUserCommand({ UserName: 'dave' })) },
        { action: 'iam:ListUsers', resource: '*', call: () => asFrank.send(new ListUsersCommand({})) },
        { action: 'iam:ListRoles', resource: '*', call: () => asFrank.send(new ListRolesCommand({})) },
        { action: 'iam:ListGroups', resource: '*', call: () => asFrank.send(new ListGroupsCommand({})) },
        { action: 'iam:CreateUser', resource: userArn('mallory'), call: () => asFrank.send(new CreateUserCommand({ UserName: 'mallory' })) },
      ];
      const expected = ['allowed', 'implicitDeny', 'allowed', 'explicitDeny', 'allowed', 'implicitDeny'];
      for (const [index, { action, resource, call }] of cases.entries()) {
        const [result] = await principal(userArn('frank'), [action], { resources: [resource] });
        assert.equal(result!.EvalDecision, expected[index], `${action} on ${resource}`);
        let real = 'allowed';
        try {
          await call();
        } catch (error) {
          assert.equal((error as { Code?: string }).Code, 'AccessDenied', `${action}: ${(error as Error).message}`);
          real = 'denied';
        }
        assert.equal(real, result!.EvalDecision === 'allowed' ? 'allowed' : 'denied', `${action} on ${resource}: simulated ${result!.EvalDecision}, real ${real}`);
      }
    } finally {
      asFrank.destroy();
    }
  });

  it('simulates the caller named by CallerArn with the policies of PolicySourceArn', async () => {
    const onlyErin = policy({ ...allow('iam:GetUser'), Condition: { StringEquals: { 'aws:username': 'erin' } } });
    const simulate = (callerArn?: string) => iam.send(new SimulatePrincipalPolicyCommand({
      PolicySourceArn: userArn('dave'), ActionNames: ['iam:GetUser', 'iam:ListUsers'], PolicyInputList: [onlyErin], ...(callerArn ? { CallerArn: callerArn } : {}),
    }));
    // dave's own policies (the group's iam:List*) apply either way; aws:username is the caller's.
    assert.deepEqual(decisions((await simulate()).EvaluationResults!), { 'iam:GetUser': 'implicitDeny', 'iam:ListUsers': 'allowed' });
    const asErin = (await simulate(userArn('erin'))).EvaluationResults!;
    assert.deepEqual(decisions(asErin), { 'iam:GetUser': 'allowed', 'iam:ListUsers': 'allowed' });
    assert.deepEqual(asErin[0]!.MatchedStatements?.map((s) => s.SourcePolicyId), ['PolicyInputList.1']);
  });

  it('answers NoSuchEntity, InvalidInput and AccessDenied as AWS does', async () => {
    const missing = await expectAwsError(principal(userArn('nobody'), ['s3:GetObject']), 'NoSuchEntity');
    assert.equal(missing.message, 'The user with name nobody cannot be found.');
    await expectAwsError(principal(`arn:aws:iam::${ACCOUNT}:role/nothing`, ['s3:GetObject']), 'NoSuchEntity');
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/worker/i-0123`;
    const invalid = await expectAwsError(principal(session, ['s3:GetObject']), 'InvalidInput');
    assert.equal(invalid.message, `Invalid Entity Arn: ${session} does not clearly define entity type and name.`);
    const role = `arn:aws:iam::${ACCOUNT}:role/worker`;
    const noCaller = await expectAwsError(iam.send(new SimulatePrincipalPolicyCommand({
      PolicySourceArn: role, ActionNames: ['s3:GetObject'], ResourcePolicy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }),
    })), 'InvalidInput');
    assert.equal(noCaller.message, 'Invalid caller - Caller must be an IAM user in this context.');

    // iam:SimulatePrincipalPolicy is authorized on the PolicySourceArn, iam:SimulateCustomPolicy on "*".
    const gina = await createUserWithKey(server, 'gina');
    await iam.send(new PutUserPolicyCommand({ UserName: 'gina', PolicyName: 'Self', PolicyDocument: policy(allow('iam:SimulatePrincipalPolicy', userArn('gina'))) }));
    const asGina = iamClient(server, gina);
    try {
      const own = await principal(userArn('gina'), ['iam:SimulatePrincipalPolicy'], { client: asGina, resources: [userArn('gina')] });
      assert.equal(own[0]!.EvalDecision, 'allowed');
      const denied = await expectAwsError(principal(userArn('dave'), ['s3:GetObject'], { client: asGina }), 'AccessDenied');
      assert.match(denied.message, /user\/gina is not authorized to perform: iam:SimulatePrincipalPolicy on resource: arn:aws:iam::000000000000:user\/dave/);
      await expectAwsError(asGina.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('s3:*'))], ActionNames: ['s3:GetObject'] })), 'AccessDenied');
    } finally {
      asGina.destroy();
    }
  });
});

describe('AWS CLI v2', realClient('aws-cli'), () => {
  const files = mkdtempSync(join(tmpdir(), 'iamd-simulator-'));
  const file = (name: string, content: string): string => {
    const path = join(files, name);
    writeFileSync(path, content);
    return `file://${path}`;
  };

  interface CliResults { EvaluationResults: Array<{ EvalActionName: string; EvalDecision: string; MatchedStatements: Array<{ SourcePolicyId: string; StartPosition: { Line: number; Column: number } }>; MissingContextValues: string[] }> }

  it('simulate-custom-policy --policy-input-list file://... --action-names iam:CreateUser', async () => {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [allow('iam:CreateUser'), deny('iam:DeleteUser')] }, null, 2);
    // The parameter is a list of strings: the CLI reads a file:// value that does not start with "[" as a string and
    // sends each character as a member (PolicyInputList.member.1 = "{", ...), so the file holds a JSON list of documents.
    const out = await awsJson<CliResults>(server, server.root, [
      'iam', 'simulate-custom-policy', '--policy-input-list', file('policies.json', JSON.stringify([document])), '--action-names', 'iam:CreateUser', 'iam:DeleteUser', 'iam:GetUser',
    ]);
    assert.deepEqual(out.EvaluationResults.map((r) => [r.EvalActionName, r.EvalDecision]), [
      ['iam:CreateUser', 'allowed'], ['iam:DeleteUser', 'explicitDeny'], ['iam:GetUser', 'implicitDeny'],
    ]);
    assert.deepEqual(out.EvaluationResults[0]!.MatchedStatements.map((s) => [s.SourcePolicyId, s.StartPosition.Line, s.StartPosition.Column]), [['PolicyInputList.1', 3, 17]]);
  });

  it('simulate-principal-policy with --context-entries for the revoke cut-off', async () => {
    await awsJson(server, server.root, ['iam', 'create-role', '--role-name', 'cli-worker', '--assume-role-policy-document',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] })]);
    await awsJson(server, server.root, ['iam', 'put-role-policy', '--role-name', 'cli-worker', '--policy-name', 'Work', '--policy-document', policy(allow('ec2:Describe*'))]);
    await awsJson(server, server.root, ['iam', 'put-role-policy', '--role-name', 'cli-worker', '--policy-name', 'AWSRevokeOlderSessions', '--policy-document', revokeOlderThan('2025-01-01T00:00:00.000Z')]);
    const simulate = (issued: string) => awsJson<CliResults>(server, server.root, [
      'iam', 'simulate-principal-policy', '--policy-source-arn', `arn:aws:iam::${ACCOUNT}:role/cli-worker`, '--action-names', 'ec2:DescribeInstances',
      '--context-entries', JSON.stringify([{ ContextKeyName: 'aws:TokenIssueTime', ContextKeyValues: [issued], ContextKeyType: 'date' }]),
    ]);
    assert.equal((await simulate('2024-12-31T23:59:59Z')).EvaluationResults[0]!.EvalDecision, 'explicitDeny');
    assert.equal((await simulate('2025-01-01T00:00:01Z')).EvaluationResults[0]!.EvalDecision, 'allowed');
  });
});
