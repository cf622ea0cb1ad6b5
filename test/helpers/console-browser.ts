/**
 * The web console in a real browser: Debian's chromium (/usr/bin/chromium) driven by
 * playwright-core, with a fresh profile per browser. Locally the browser tests skip when chromium
 * is missing; with IAMD_REQUIRE_REAL_CLIENTS=1 (CI, whose .ci/run installs it) they run and fail.
 *
 * Also: signing in through the form, an axe-core check (serious and critical violations), the
 * page's first contentful paint and script bytes, and screenshots kept in test-artifacts/console/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Credentials } from './server.js';

export const CHROMIUM = '/usr/bin/chromium';
const required = process.env.IAMD_REQUIRE_REAL_CLIENTS === '1';

/** node:test options: skip without chromium, unless CI requires it (then the test runs and fails). */
export function browserTest(): { skip: string | false } {
  if (existsSync(CHROMIUM) || required) return { skip: false };
  return { skip: `${CHROMIUM} is not installed (apt-get install -y chromium; CI sets IAMD_REQUIRE_REAL_CLIENTS=1 and installs it)` };
}

/** The repository root (tests run from dist/test/). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'console');

export interface ConsoleBrowser {
  context: BrowserContext;
  page: Page;
  /** errors thrown by the page's scripts (must stay empty) */
  pageErrors: string[];
  close(): Promise<void>;
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'iamd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/Paris',
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    context, page, pageErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function consoleUrl(serverUrl: string, route = ''): string {
  return `${serverUrl}/_iamd/console/${route === '' ? '' : `#${route}`}`;
}

/** Signs in through the form and waits for the signed-in shell. */
export async function signIn(page: Page, serverUrl: string, credentials: Credentials, route = '/roles'): Promise<void> {
  await page.goto(consoleUrl(serverUrl, route));
  await page.getByLabel('Access key ID').fill(credentials.accessKeyId);
  await page.getByLabel('Secret access key').fill(credentials.secretAccessKey);
  if (credentials.sessionToken) await page.getByLabel(/Session token/).fill(credentials.sessionToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

let axeSource: string | undefined;

/** Runs axe-core in the page (injected through the DevTools protocol, which the page's CSP does not govern). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate('typeof window.axe');
  if (loaded === 'undefined') await page.evaluate(axeSource);
  const violations = await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] }).then((result) => result.violations)') as AxeViolation[];
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

export async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousAccessibilityViolations(page);
  assert.deepEqual(violations, [], `${what}: axe-core found serious or critical violations`);
}

/** Saves a full-page screenshot as test-artifacts/console/NAME.png and answers its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface PageLoad {
  /** first contentful paint, ms after navigation start */
  firstContentfulPaint: number;
  /** bytes of script the page loaded (decoded bodies of .js resources) */
  scriptBytes: number;
}

/** First contentful paint and script bytes of the current document. */
export async function pageLoad(page: Page): Promise<PageLoad> {
  return await page.evaluate(`(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const scripts = performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('.js'));
    return { firstContentfulPaint: paint ? paint.startTime : -1, scriptBytes: scripts.reduce((sum, entry) => sum + entry.decodedBodySize, 0) };
  })()`) as PageLoad;
}

/** The page does not scroll sideways at the viewport's width (tables scroll inside their own region). */
export async function pageOverflow(page: Page): Promise<number> {
  return await page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as number;
}

/** Waits until `check` holds (polled), failing with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
