/**
 * Every page of the web console in a real browser (chromium through playwright-core), with data:
 * what it shows, axe-core (no serious or critical violation), first contentful paint under one
 * second, under 300 KB of script, no sideways scrolling at 375 px; a screenshot of each at both
 * widths in test-artifacts/console/ (and the figures in metrics.json there). Then the pages'
 * behaviour: live updates without reload, the trail's filters and denied calls, instance actions,
 * containing a finding, empty and access-denied states (a page's count going with a list that
 * fails), keyboard use, and times in the reader's locale with UTC on hover. The Stacks pages'
 * behaviour is in console-stacks.test.ts.
 */
import { CreateAccessKeyCommand, CreateUserCommand, AttachRolePolicyCommand, DeleteUserPolicyCommand, ListRolesCommand, TagRoleCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ARTIFACTS, browserTest, consoleUrl, eventually, expectAccessible, launchConsoleBrowser, pageLoad, pageOverflow, screenshot, signIn,
  type ConsoleBrowser, type PageLoad,
} from './helpers/console-browser.js';
import { cloudformationClient, createStack } from './helpers/cloudformation.js';
import { allow, createUserWithKey, putUserPolicy } from './helpers/iam.js';
import { cloudTrailClient } from './helpers/trail.js';
import { createInstanceRole, credentialsOf, endpointsOf, fetchCredentials, putInstance } from './helpers/imds.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';
import { AwsQueryClient } from '../src/cli/aws-client.js';
import { IAMD_API } from '../src/cli/sessions.js';

const ACCOUNT = '000000000000';
const ROLE = 'web-role';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
});
const READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] });
/** a stack of the account (CloudFormation through the JS SDK): a security group and a role */
const STACK = 'lab-stack';
const STACK_TEMPLATE = `Description: The lab's security group and application role
Resources:
  AppGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: lab}
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}
Outputs:
  AppRoleArn: {Value: !GetAtt AppRole.Arn}
`;
const FIRST_PAINT_BUDGET_MS = 1000;
const SCRIPT_BUDGET_BYTES = 300 * 1024;

let server: TestServer;
let browser: ConsoleBrowser;
let page: Page;
let instances: string[];
let ops: Credentials;
/** an IAM user without any permission, whose ListRoles is denied */
let nobody: Credentials;
/** instance credentials copied to the host (an OutsideAWS finding) */
let copied: Credentials;

async function assume(sessionName: string): Promise<Credentials> {
  const answer = await stsClient(server, ops).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, RoleSessionName: sessionName }));
  return { accessKeyId: answer.Credentials!.AccessKeyId!, secretAccessKey: answer.Credentials!.SecretAccessKey!, sessionToken: answer.Credentials!.SessionToken! };
}

/** A fresh document at `route` (not a same-document hash change), so that paint and script figures are the page's own. */
async function open(route: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(consoleUrl(server.url, route));
}

/** The trail's event ids as LookupEvents pages them (newest first), without the console's own read calls. */
async function trailOrder(): Promise<string[]> {
  const client = cloudTrailClient(server);
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const answer = await client.send(new LookupEventsCommand({ MaxResults: 50, ...(token ? { NextToken: token } : {}) }));
    for (const event of answer.Events ?? []) {
      const userAgent = (JSON.parse(event.CloudTrailEvent ?? '{}') as { userAgent?: string }).userAgent ?? '';
      if (!(event.ReadOnly === 'true' && event.AccessKeyId === server.root.accessKeyId && /HeadlessChrome/.test(userAgent))) ids.push(event.EventId!);
    }
    token = answer.NextToken;
  } while (token);
  client.destroy();
  return ids;
}

const rowKeys = (scope: string): Promise<string[]> => page.locator(`${scope} tbody tr`).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key') ?? ''));

describe('console pages', browserTest(), () => {
  before(async () => {
    server = await startTestServer();
    const profile = await createInstanceRole(server, ROLE, { trust: TRUST, policy: READ });
    const iam = iamClient(server);
    await iam.send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'env', Value: 'rehearsal' }] }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    instances = [(await putInstance(server, profile)).instanceId, (await putInstance(server, profile)).instanceId];
    ops = await createUserWithKey(server, 'ops', allow('sts:AssumeRole'));
    await assume('deploy');
    await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }))).AccessKey!;
    nobody = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    await expectAwsError(iamClient(server, nobody).send(new ListRolesCommand({})), 'AccessDenied');
    copied = credentialsOf(await fetchCredentials(endpointsOf(server, instances[0]!).imdsUrl));
    await stsClient(server, copied).send(new GetCallerIdentityCommand({}));
    const cfn = cloudformationClient(server);
    assert.equal((await createStack(cfn, { StackName: STACK, TemplateBody: STACK_TEMPLATE, Capabilities: ['CAPABILITY_IAM'] })).StackStatus, 'CREATE_COMPLETE');
    cfn.destroy();
    browser = await launchConsoleBrowser();
    page = browser.page;
    await signIn(page, server.url, server.root);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('every page shows its data, passes axe-core, paints within 1 s with under 300 KB of script, and reads at 375 px', async (t) => {
    const pages: Array<{ name: string; route: string; ready: () => Promise<void> }> = [
      { name: 'roles', route: '/roles', ready: () => page.getByRole('link', { name: ROLE, exact: true }).waitFor() },
      { name: 'role-permissions', route: `/roles/${ROLE}`, ready: () => page.locator('#panel-permissions').getByText('ReadOnlyAccess').waitFor() },
      { name: 'role-trust', route: `/roles/${ROLE}/trust`, ready: () => page.getByText('AWS service: ec2.amazonaws.com').waitFor() },
      { name: 'role-tags', route: `/roles/${ROLE}/tags`, ready: () => page.getByRole('cell', { name: 'payments' }).waitFor() },
      { name: 'role-revoke', route: `/roles/${ROLE}/revoke`, ready: () => page.locator('#panel-revoke').getByText('deploy').waitFor() },
      { name: 'instances', route: '/instances', ready: () => page.getByText(instances[1]!).waitFor() },
      { name: 'sessions', route: '/sessions', ready: () => page.getByText(copied.accessKeyId).waitFor() },
      { name: 'findings', route: '/findings', ready: () => page.getByText(`Credentials for instance role ${ROLE} used from an external IP address.`).waitFor() },
      { name: 'activity', route: '/activity', ready: () => page.getByText(nobody.accessKeyId).first().waitFor() },
      { name: 'stacks', route: '/stacks', ready: () => page.locator('main tr', { hasText: STACK }).getByText('CREATE_COMPLETE').waitFor() },
      { name: 'stack', route: `/stacks/${STACK}`, ready: () => page.getByRole('region', { name: 'Outputs', exact: true }).getByText(`role/${STACK}-AppRole-`).waitFor() },
    ];
    const metrics: Record<string, PageLoad & { screenshots: string[] }> = {};
    for (const { name, route, ready } of pages) {
      await open(route);
      await ready();
      const load = await pageLoad(page);
      assert.ok(load.firstContentfulPaint > 0 && load.firstContentfulPaint < FIRST_PAINT_BUDGET_MS, `${name}: first contentful paint ${load.firstContentfulPaint} ms`);
      assert.ok(load.scriptBytes > 0 && load.scriptBytes < SCRIPT_BUDGET_BYTES, `${name}: ${load.scriptBytes} bytes of script`);
      await expectAccessible(page, name);
      const shots = [await screenshot(page, name)];
      await page.setViewportSize({ width: 375, height: 812 });
      assert.ok(await pageOverflow(page) <= 0, `${name}: the page scrolls sideways at 375 px`);
      await expectAccessible(page, `${name} at 375 px`);
      shots.push(await screenshot(page, `${name}-375`));
      await page.setViewportSize({ width: 1280, height: 800 });
      metrics[name] = { ...load, screenshots: shots };
      t.diagnostic(`${name}: first contentful paint ${Math.round(load.firstContentfulPaint)} ms, ${load.scriptBytes} bytes of script`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    assert.deepEqual(browser.pageErrors, []);
  });

  it('a managed policy\'s JSON opens on demand, fetched with GetPolicy and GetPolicyVersion', async () => {
    await open(`/roles/${ROLE}`);
    await page.locator('#panel-permissions summary', { hasText: 'ReadOnlyAccess' }).click();
    await page.locator('#panel-permissions pre').filter({ hasText: '"Effect": "Allow"' }).first().waitFor();
    const calls = server.audit.records.filter((event) => event.userIdentity.accessKeyId === server.root.accessKeyId).map((event) => event.eventName);
    assert.ok(calls.includes('GetPolicy') && calls.includes('GetPolicyVersion'));
  });

  it('live: while nothing changes only the change probe runs; a session issued meanwhile appears without a reload, and revoking it there takes it away', async () => {
    await open('/sessions');
    await page.getByText(copied.accessKeyId).waitFor();
    const consoleCalls = (eventName: string): number => server.audit.records.filter((event) => event.eventName === eventName
      && event.userIdentity.accessKeyId === server.root.accessKeyId && /HeadlessChrome/.test(event.userAgent ?? '')).length;
    const [lists, probes] = [consoleCalls('ListSessions'), consoleCalls('LookupEvents')];
    await new Promise((resolve) => setTimeout(resolve, 7000));
    assert.equal(consoleCalls('ListSessions'), lists, 'the data is not loaded again while the trail shows no change');
    assert.ok(consoleCalls('LookupEvents') - probes >= 2, 'the change probe ran');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations.push(frame.url()); });
    const fresh = await assume('nightly-report');
    await eventually('the new session listed', async () => (await rowKeys('main')).includes(fresh.accessKeyId));
    await page.getByRole('button', { name: `Revoke session ${fresh.accessKeyId}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke session' }).click();
    await eventually('the revoked session gone from the live list', async () => !(await rowKeys('main')).includes(fresh.accessKeyId));
    await expectAwsError(stsClient(server, fresh).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    assert.deepEqual(navigations, [], 'no reload');
    await page.getByLabel('Status').selectOption('revoked');
    await eventually('shown among the revoked', async () => (await rowKeys('main')).includes(fresh.accessKeyId));
  });

  it('Activity: denied calls stand out, filters narrow the trail, and clicking an access key shows its trail', async () => {
    await open('/activity');
    const denied = page.locator('tr.row-denied', { hasText: nobody.accessKeyId });
    await denied.first().waitFor();
    // In the trail's order, events of one second included, across the pages the first load read.
    const shown = await rowKeys('main');
    assert.deepEqual(shown, (await trailOrder()).slice(0, shown.length));
    assert.match(await denied.first().innerText(), /ListRoles[\s\S]*Denied[\s\S]*AccessDenied/);
    await page.getByRole('link', { name: nobody.accessKeyId }).first().click();
    await page.getByRole('heading', { name: `Activity of ${nobody.accessKeyId}` }).waitFor();
    assert.match(page.url(), new RegExp(`#/activity\\?key=${nobody.accessKeyId}$`));
    await eventually('only that key\'s events', async () => {
      const keys = await page.locator('main tbody tr td:nth-child(5)').allInnerTexts();
      return keys.length > 0 && keys.every((key) => key.trim() === nobody.accessKeyId);
    });
    await screenshot(page, 'activity-access-key');

    await open('/activity');
    await page.getByLabel('Result').selectOption('denied');
    await page.locator('tr.row-denied').first().waitFor();
    assert.equal(await page.locator('main tbody tr:not(.row-denied)').count(), 0, 'only denied calls');
    await page.getByLabel('Principal').fill('user/ops');
    await page.getByLabel('Result').selectOption('all');
    await eventually('only ops\'s calls', async () => {
      const principals = await page.locator('main tbody tr td:nth-child(4)').allInnerTexts();
      return principals.length > 0 && principals.every((arn) => arn.includes('user/ops'));
    });
    await open('/activity');
    await page.getByRole('textbox', { name: 'Event' }).fill('AssumeRole');
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually('only AssumeRole events', async () => {
      const names = await page.locator('main tbody tr td:nth-child(2) strong').allInnerTexts();
      return names.length > 0 && names.every((name) => name === 'AssumeRole');
    });
    assert.match(page.url(), /#\/activity\?event=AssumeRole$/);
    // A new call appears without reload (the change probe, then LookupEvents from the newest event shown).
    const rows = await page.locator('main tbody tr').count();
    await assume('appears-live');
    await eventually('the new AssumeRole listed', async () => (await page.locator('main tbody tr').count()) === rows + 1);
  });

  it('Instances: stop, start, and issue fresh credentials to one instance', async () => {
    await open('/instances');
    const [first, second] = instances as [string, string];
    const row = (id: string) => page.locator(`tr[data-key="${id}"]`);
    await row(first).waitFor();
    await page.getByRole('button', { name: `Stop ${first}` }).click();
    await page.getByRole('dialog', { name: `Stop ${first}?` }).getByRole('button', { name: 'Stop instance' }).click();
    await row(first).getByText('stopped').waitFor();
    await page.getByRole('button', { name: `Start ${first}` }).click();
    await row(first).getByText(/pending|running/).waitFor();
    const events = server.audit.records.filter((event) => event.userIdentity.accessKeyId === server.root.accessKeyId).map((event) => event.eventName);
    assert.ok(events.includes('StopInstances') && events.includes('StartInstances'));

    const before = credentialsOf(await fetchCredentials(endpointsOf(server, second).imdsUrl));
    await page.getByRole('button', { name: `Issue fresh credentials to ${second}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Issue fresh credentials' }).click();
    await page.getByText(new RegExp(`${second}: \\d+ credentials? revoked`)).waitFor();
    const after = credentialsOf(await fetchCredentials(endpointsOf(server, second).imdsUrl));
    assert.notEqual(after.accessKeyId, before.accessKeyId);
    await expectAwsError(stsClient(server, before).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    assert.ok((await stsClient(server, after).send(new GetCallerIdentityCommand({}))).Arn?.endsWith(`/${second}`));
  });

  it('Findings: containing one revokes its session', async () => {
    await open('/findings');
    await page.getByRole('button', { name: `Contain finding for ${copied.accessKeyId}` }).click();
    await page.getByRole('dialog', { name: 'Contain this finding?' }).getByRole('button', { name: 'Contain' }).click();
    await page.locator('main tbody tr', { hasText: copied.accessKeyId }).getByText('Contained').waitFor();
    await expectAwsError(stsClient(server, copied).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    await screenshot(page, 'findings-contained');
  });

  it('keyboard: search, open a role, move between tabs with the arrow keys, and leave a dialog with Escape', async () => {
    await open('/roles');
    await page.getByRole('link', { name: ROLE, exact: true }).waitFor();
    await page.getByLabel('Search').focus();
    await page.keyboard.type('web');
    await page.keyboard.press('Tab');
    // The table's scroll region comes first (so that narrow screens can scroll it with the keys), then its links.
    assert.equal(await page.evaluate('document.activeElement.getAttribute("aria-label")'), 'Roles');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.textContent'), ROLE);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: ROLE, level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Permissions' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Trust relationships');
    await page.keyboard.press('End');
    assert.equal(await page.getByRole('tab', { name: 'Revoke sessions' }).getAttribute('aria-selected'), 'true');
    assert.match(page.url(), /#\/roles\/web-role\/revoke$/);
    await page.getByRole('button', { name: 'Revoke active sessions' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Revoke active sessions', 'focus returns to the button');
    const policies = server.audit.records.filter((event) => event.eventName === 'PutRolePolicy' && /HeadlessChrome/.test(event.userAgent ?? ''));
    assert.deepEqual(policies, [], 'cancelling revokes nothing');
  });

  it('times are in the reader\'s locale, with UTC on hover', async () => {
    await open('/sessions');
    const time = page.locator('main time').first();
    await time.waitFor();
    const [text, title, datetime] = [await time.innerText(), await time.getAttribute('title'), await time.getAttribute('datetime')];
    assert.match(datetime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(title, `${datetime!.slice(0, 10)} ${datetime!.slice(11, 19)} UTC`);
    const local = new Date(datetime!).toLocaleString('en-GB', { timeZone: 'Europe/Paris', dateStyle: 'medium', timeStyle: 'medium' });
    assert.equal(text, local);
  });

  it('signs in with temporary credentials too; a revoked console session is refused on its next call', async () => {
    const session = await assume('console-operator');
    const other = await browser.context.newPage();
    try {
      await signIn(other, server.url, session);
      await other.getByText(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/console-operator`).waitFor();
      await other.getByRole('link', { name: ROLE, exact: true }).waitFor();
      // Revoked from elsewhere (the role has no cloudtrail:LookupEvents, so the page polls its data).
      const admin = new AwsQueryClient({ endpoint: new URL(server.url), region: 'us-east-1', credentials: server.root, credentialSource: 'test' });
      await admin.call(IAMD_API, 'RevokeSession', { AccessKeyId: session.accessKeyId });
      await other.getByText('Your credentials were refused (InvalidClientTokenId)').waitFor();
      await expectAccessible(other, 'credentials refused');
      await screenshot(other, 'roles-credentials-refused');
    } finally {
      await other.close();
    }
  });

  it('signing keys of another day end the session: the console asks to sign in again and forgets them', async () => {
    const other = await browser.context.newPage();
    try {
      await signIn(other, server.url, server.root);
      await other.evaluate(`(() => {
        const session = JSON.parse(sessionStorage.getItem('iamd-console-session'));
        sessionStorage.setItem('iamd-console-session', JSON.stringify({ ...session, day: '20000101' }));
      })()`);
      await other.reload();
      await other.getByRole('heading', { name: 'Sign in to the iamd console' }).waitFor();
      await other.getByText(/Your console session has ended/).waitFor();
      assert.equal(await other.evaluate('sessionStorage.length'), 0);
    } finally {
      await other.close();
    }
  });

  it('empty and access-denied states say what is going on', async () => {
    const empty = await startTestServer();
    const other = await browser.context.newPage();
    try {
      const view = async (route: string, text: string, shot: string) => {
        await other.goto('about:blank');
        await other.goto(consoleUrl(empty.url, route));
        await other.getByText(text).waitFor();
        await expectAccessible(other, shot);
        await screenshot(other, shot);
      };
      await signIn(other, empty.url, empty.root);
      await view('/roles', 'No roles yet.', 'roles-empty');
      await view('/instances', 'No instances.', 'instances-empty');
      await view('/sessions', 'No sessions.', 'sessions-empty');
      await view('/findings', 'No findings.', 'findings-empty');
      await other.getByRole('button', { name: 'Sign out' }).click();
      const denied = await createUserWithKey(empty, 'denied');
      await signIn(other, empty.url, denied);
      await view('/roles', 'Access denied: your credentials may not call ListRoles', 'roles-access-denied');
    } finally {
      await other.close();
      await empty.close();
    }
  });

  it('when a list fails, the figures drawn from it go with it (Roles, Sessions, Activity)', async () => {
    const actions = ['iam:ListRoles', 'iamd:ListSessions', 'cloudtrail:LookupEvents'];
    const lister = await createUserWithKey(server, 'lister', allow(actions));
    const iam = iamClient(server);
    const other = await browser.context.newPage();
    const count = other.getByRole('heading', { level: 1 }).locator('span');
    const cases = [
      { route: '/roles', figure: count, shows: /^(\d+) of \1$/, action: 'ListRoles' },
      { route: '/sessions', figure: count, shows: /^\d+ shown, \d+ live$/, action: 'ListSessions' },
      { route: '/activity', figure: other.locator('main p[aria-live="polite"]'), shows: /^\d+ events? shown/, action: 'LookupEvents' },
    ];
    try {
      await signIn(other, server.url, lister);
      for (const { route, figure, shows, action } of cases) {
        await putUserPolicy(iam, 'lister', 'p', allow(actions));
        await other.goto('about:blank');
        await other.goto(consoleUrl(server.url, route));
        await eventually(`${route}: its figure`, async () => shows.test(await figure.innerText()));
        await iam.send(new DeleteUserPolicyCommand({ UserName: 'lister', PolicyName: 'p' }));
        await other.getByText(`Access denied: your credentials may not call ${action}`).waitFor();
        assert.equal(await figure.innerText(), '', `${route}: the figure went with the list`);
      }
    } finally {
      await other.close();
      iam.destroy();
    }
  });
});
