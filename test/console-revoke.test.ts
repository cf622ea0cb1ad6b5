/**
 * The user story in the web console, in a real browser (chromium through playwright-core): an
 * instance role's credential leaks (the story's IMDSv1 curl) and the attacker uses it with the AWS
 * CLI; the administrator signs in to the console, opens the role, and
 * 1. revokes exactly the leaked session from the role's live sessions: only that row goes, the
 *    attacker's next CLI call is refused, every other session keeps working;
 * 2. clicks "Revoke active sessions" and confirms: the AWSRevokeOlderSessions policy appears on the
 *    role while another copied credential's next CLI call is denied, and IMDS keeps serving the
 *    denied credential, as on AWS;
 * 3. issues fresh credentials to the role's instances: they recover, the copies stay denied.
 * Every console action is an authenticated API call in the trail; a user whose policies do not
 * allow the revoke is refused; sign-out leaves nothing behind.
 */
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  browserTest, consoleUrl, eventually, expectAccessible, launchConsoleBrowser, screenshot, signIn, type ConsoleBrowser,
} from './helpers/console-browser.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import { createInstanceRole, credentialsOf, endpointsOf, fetchCredentials, putInstance } from './helpers/imds.js';
import { aws, realClient } from './helpers/real-clients.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const ROLE = 'story-role';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
});
const READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'ec2:Describe*'], Resource: '*' }] });
const needs = { skip: browserTest().skip || realClient('aws-cli').skip };

let server: TestServer;
let browser: ConsoleBrowser;
let page: Page;
let instances: string[];
/** the attacker's copy (the story's IMDSv1 curl on the first instance) */
let leaked: Credentials;
/** the second instance's workload credential (IMDSv2) */
let workload: Credentials;
/** an AssumeRole session of the role (a deploy job) */
let deploy: Credentials;

const getRole = (credentials: Credentials) => iamClient(server, credentials).send(new GetRoleCommand({ RoleName: ROLE }));

async function cliGetRole(credentials: Credentials): Promise<{ status: number | null; stderr: string }> {
  return aws(server, credentials, ['iam', 'get-role', '--role-name', ROLE]);
}

/** The access keys of the rows of the role's live sessions table. */
async function sessionRows(): Promise<string[]> {
  return (await page.locator('#panel-revoke tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key') ?? ''))).sort();
}

const trailOf = (accessKeyId: string) => server.audit.records.filter((event) => event.userIdentity.accessKeyId === accessKeyId);

describe('console: revoking a role\'s sessions (the user story)', needs, () => {
  before(async () => {
    server = await startTestServer();
    const profile = await createInstanceRole(server, ROLE, { trust: TRUST, policy: READ });
    instances = [(await putInstance(server, profile)).instanceId, (await putInstance(server, profile)).instanceId];
    leaked = credentialsOf(await fetchCredentials(endpointsOf(server, instances[0]!).imdsUrl, true));
    workload = credentialsOf(await fetchCredentials(endpointsOf(server, instances[1]!).imdsUrl));
    const ops = await createUserWithKey(server, 'ops', allow('sts:AssumeRole'));
    const assumed = await stsClient(server, ops).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, RoleSessionName: 'deploy' }));
    deploy = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    browser = await launchConsoleBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('before anything: the copied credential works from the attacker\'s machine', async () => {
    const attacker = await cliGetRole(leaked);
    assert.equal(attacker.status, 0, attacker.stderr);
  });

  it('the sign-in page is accessible, and signing in is a GetCallerIdentity call in the trail', async () => {
    await page.goto(consoleUrl(server.url));
    await page.getByRole('heading', { name: 'Sign in to the iamd console' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');
    // The Content-Security-Policy is in force: an inline script does not run.
    await page.addScriptTag({ content: 'window.injected = true;' }).catch(() => undefined);
    assert.equal(await page.evaluate('typeof window.injected'), 'undefined');
    await signIn(page, server.url, server.root);
    await page.getByRole('heading', { name: /^Roles/ }).waitFor();
    const signedIn = trailOf(server.root.accessKeyId).find((event) => event.eventName === 'GetCallerIdentity');
    assert.ok(signedIn, 'the sign-in check is in the trail');
    assert.match(signedIn.userAgent ?? '', /HeadlessChrome/);
  });

  it('the role\'s page lists its live sessions; revoking one from the list cuts exactly that one', async () => {
    await page.getByRole('link', { name: ROLE, exact: true }).click();
    await page.getByRole('heading', { name: ROLE, level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Revoke sessions' }).click();
    await page.getByRole('heading', { name: 'Revoke active sessions' }).waitFor();
    const all = [leaked.accessKeyId, workload.accessKeyId, deploy.accessKeyId].sort();
    await eventually('the three sessions listed', async () => JSON.stringify(await sessionRows()) === JSON.stringify(all));
    await expectAccessible(page, 'role, Revoke sessions tab');
    await screenshot(page, 'role-revoke-sessions');

    await page.getByRole('button', { name: `Revoke session ${leaked.accessKeyId}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this session?' });
    await dialog.waitFor();
    await expectAccessible(page, 'revoke-session dialog');
    await dialog.getByRole('button', { name: 'Revoke session' }).click();
    const rest = [workload.accessKeyId, deploy.accessKeyId].sort();
    await eventually('only the revoked row gone', async () => JSON.stringify(await sessionRows()) === JSON.stringify(rest));
    await page.getByText(`Session ${leaked.accessKeyId} revoked.`).waitFor();

    const attacker = await cliGetRole(leaked);
    assert.notEqual(attacker.status, 0);
    assert.match(attacker.stderr, /InvalidClientTokenId/);
    assert.equal((await getRole(workload)).Role?.RoleName, ROLE);
    assert.equal((await getRole(deploy)).Role?.RoleName, ROLE);
    const revoke = trailOf(server.root.accessKeyId).find((event) => event.eventName === 'RevokeSession');
    assert.ok(revoke, 'RevokeSession is in the trail, signed with the console user\'s key');
    assert.equal(revoke.errorCode, undefined);
    assert.equal(revoke.eventSource, 'iamd.amazonaws.com');
    assert.match(JSON.stringify(revoke.requestParameters), new RegExp(leaked.accessKeyId));
  });

  it('"Revoke active sessions", confirmed, puts AWSRevokeOlderSessions while a copied credential\'s next AWS CLI call is denied', async () => {
    const before = await cliGetRole(workload);
    assert.equal(before.status, 0, before.stderr);
    const clicked = new Date();
    await page.getByRole('button', { name: 'Revoke active sessions' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke active sessions?' });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Revoke active sessions' });
    assert.equal(await confirm.isDisabled(), true, 'the confirm button waits for the acknowledgement');
    await expectAccessible(page, 'revoke-active-sessions dialog');
    await screenshot(page, 'role-revoke-dialog');
    await dialog.getByRole('checkbox', { name: /I acknowledge that I am revoking all active sessions/ }).check();
    await confirm.click();
    await page.getByText(/Active sessions revoked: AWSRevokeOlderSessions denies/).waitFor();

    const denied = await cliGetRole(workload);
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /AccessDenied/);
    await expectAwsError(getRole(deploy), 'AccessDenied');

    await page.getByRole('tab', { name: 'Permissions' }).click();
    await page.locator('#panel-permissions').getByText('AWSRevokeOlderSessions').waitFor();
    await page.getByText(/is denied by the AWSRevokeOlderSessions inline policy/).waitFor();
    await screenshot(page, 'role-permissions-after-revoke');
    const stored = await iamClient(server).send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions' }));
    const document = JSON.parse(decodeURIComponent(stored.PolicyDocument!)) as { Statement: Array<{ Effect: string; Action: string[]; Resource: string[]; Condition: { DateLessThan: { 'aws:TokenIssueTime': string } } }> };
    const statement = document.Statement[0]!;
    assert.deepEqual([statement.Effect, statement.Action, statement.Resource], ['Deny', ['*'], ['*']]);
    const cutoff = Date.parse(statement.Condition.DateLessThan['aws:TokenIssueTime']);
    assert.ok(cutoff >= clicked.getTime() && cutoff <= Date.now(), 'the cut-off is the moment of the confirmation');
    const put = trailOf(server.root.accessKeyId).find((event) => event.eventName === 'PutRolePolicy' && /HeadlessChrome/.test(event.userAgent ?? ''));
    assert.ok(put, 'the console\'s PutRolePolicy is in the trail');
    assert.equal(put.errorCode, undefined);
    assert.match(JSON.stringify(put.requestParameters), /AWSRevokeOlderSessions/);

    await page.getByRole('tab', { name: 'Revoke sessions' }).click();
    await page.locator('#panel-revoke').getByText('No live sessions.').waitFor();
    // As on AWS, the instance's metadata service keeps serving the credential the revoke denies.
    const served = await fetchCredentials(endpointsOf(server, instances[1]!).imdsUrl);
    assert.equal(served.AccessKeyId, workload.accessKeyId);
  });

  it('"Issue fresh credentials to the role\'s instances": the instances recover, the copies stay denied', async () => {
    await page.getByRole('button', { name: 'Issue fresh credentials to the role\'s instances' }).click();
    const dialog = page.getByRole('dialog', { name: 'Issue fresh credentials to the instances?' });
    await dialog.getByRole('button', { name: 'Issue fresh credentials' }).click();
    await page.getByText(/get fresh credentials at their next fetch/).waitFor();
    const fresh = credentialsOf(await fetchCredentials(endpointsOf(server, instances[1]!).imdsUrl));
    assert.notEqual(fresh.accessKeyId, workload.accessKeyId);
    assert.equal((await getRole(fresh)).Role?.RoleName, ROLE);
    await expectAwsError(getRole(workload), 'AccessDenied');
    await eventually('the fresh session listed as live', async () => (await sessionRows()).includes(fresh.accessKeyId));
  });

  it('a user whose policies do not allow iam:PutRolePolicy is refused, and the refusal is in the trail', async () => {
    const viewer = await createUserWithKey(server, 'viewer', allow(['iam:Get*', 'iam:List*', 'iamd:ListSessions']));
    const context = await browser.context.browser()?.newContext();
    const other = context ? await context.newPage() : await browser.context.newPage();
    try {
      await signIn(other, server.url, viewer, `/roles/${ROLE}/revoke`);
      await other.getByRole('button', { name: 'Revoke active sessions' }).click();
      const dialog = other.getByRole('dialog', { name: 'Revoke active sessions?' });
      await dialog.getByRole('checkbox').check();
      await dialog.getByRole('button', { name: 'Revoke active sessions' }).click();
      await other.getByText(/Access denied: your credentials may not call PutRolePolicy/).waitFor();
      const refused = trailOf(viewer.accessKeyId).find((event) => event.eventName === 'PutRolePolicy');
      assert.equal(refused?.errorCode, 'AccessDenied');
    } finally {
      await other.close();
      await context?.close();
    }
  });

  it('stores no secret: the secret key is in no storage and no cookie, and sign-out wipes the session', async () => {
    const stored = await page.evaluate('JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage }, cookie: document.cookie })') as string;
    assert.ok(!stored.includes(server.root.secretAccessKey), 'the secret access key is not stored');
    assert.ok(stored.includes(server.root.accessKeyId), 'the session (access key id and day keys) is in sessionStorage');
    assert.deepEqual(JSON.parse(stored).local, {});
    assert.equal(JSON.parse(stored).cookie, '');
    assert.deepEqual(await browser.context.cookies(), []);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the iamd console' }).waitFor();
    await page.getByText('Signed out. This tab no longer holds any key.').waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 0);
    await page.goto(consoleUrl(server.url, `/roles/${ROLE}`));
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to the iamd console' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), false);
    assert.deepEqual(browser.pageErrors, []);
  });
});
