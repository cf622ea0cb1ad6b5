/**
 * The signed-in console session. What is kept, and where:
 *
 * - the secret access key: nowhere. At sign-in it becomes a non-extractable WebCrypto key held in
 *   this module's memory (gone at reload), used only to derive signing keys;
 * - the day's SigV4 signing keys (one per service the console calls, valid for that UTC day only),
 *   the access key id, the session token if any and the caller's identity: in sessionStorage, which
 *   lives as long as the tab and is never sent anywhere, so a reload keeps the console signed in.
 *
 * When the UTC day changes the stored keys stop working: with the secret still in memory new ones
 * are derived; after a reload the console asks to sign in again. Sign-out wipes both.
 * No cookie is ever set: the API authenticates a request by its signature only, so another site
 * cannot make the browser send an authenticated request (CSRF-safe by construction).
 */
import { deriveSigningKey, fromHex, importSecret, toHex } from './sigv4.js';

export const CONSOLE_SERVICES = ['sts', 'iam', 'ec2', 'iamd', 'cloudtrail', 'cloudformation'] as const;
export type ConsoleService = (typeof CONSOLE_SERVICES)[number];

const STORAGE_KEY = 'iamd-console-session';

export interface Identity {
  arn: string;
  account: string;
  userId: string;
}

export interface ConsoleSession {
  accessKeyId: string;
  sessionToken?: string;
  region: string;
  /** the UTC day (YYYYMMDD) the signing keys are for */
  day: string;
  /** hex signing keys by service */
  signingKeys: Record<string, string>;
  identity?: Identity;
}

export interface SignInCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The signing keys of a past day: sign in again. */
export class SessionExpiredError extends Error {
  constructor() {
    super('Your console session has ended (its signing keys were for another day). Sign in again.');
    this.name = 'SessionExpiredError';
  }
}

export class NotSignedInError extends Error {
  constructor() {
    super('Not signed in.');
    this.name = 'NotSignedInError';
  }
}

let secretKey: CryptoKey | undefined;
let current: ConsoleSession | undefined;
const importedKeys = new Map<string, Promise<CryptoKey>>();

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10).replace(/-/g, '');

function isSession(value: unknown): value is ConsoleSession {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ConsoleSession>;
  return typeof candidate.accessKeyId === 'string' && typeof candidate.region === 'string' && typeof candidate.day === 'string'
    && typeof candidate.signingKeys === 'object' && candidate.signingKeys !== null;
}

function store(session: ConsoleSession): void {
  current = session;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

async function signingKeys(secret: CryptoKey, day: string, region: string): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  for (const service of CONSOLE_SERVICES) keys[service] = toHex(await deriveSigningKey(secret, day, region, service));
  return keys;
}

/** Starts a session from credentials typed into the sign-in form (not yet checked with the server). */
export async function startSession(credentials: SignInCredentials, region: string, now: Date): Promise<ConsoleSession> {
  const secret = await importSecret(credentials.secretAccessKey);
  const day = utcDay(now);
  const session: ConsoleSession = {
    accessKeyId: credentials.accessKeyId,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    region, day, signingKeys: await signingKeys(secret, day, region),
  };
  secretKey = secret;
  importedKeys.clear();
  store(session);
  return session;
}

export function rememberIdentity(identity: Identity): void {
  if (current) store({ ...current, identity });
}

/** The session of this tab, if signed in. */
export function currentSession(): ConsoleSession | undefined {
  if (current) return current;
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (text === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (isSession(parsed)) current = parsed;
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
  }
  return current;
}

/** The signing key of `service` for the day of `now`, rolling the session over to a new day when the secret is still in memory. */
export async function signingKey(service: ConsoleService, now: Date): Promise<{ session: ConsoleSession; key: CryptoKey }> {
  let session = currentSession();
  if (!session) throw new NotSignedInError();
  const day = utcDay(now);
  if (session.day !== day) {
    if (!secretKey) throw new SessionExpiredError();
    session = { ...session, day, signingKeys: await signingKeys(secretKey, day, session.region) };
    importedKeys.clear();
    store(session);
  }
  const hex = session.signingKeys[service];
  if (hex === undefined) throw new NotSignedInError();
  let key = importedKeys.get(`${day}/${service}`);
  if (!key) {
    key = crypto.subtle.importKey('raw', fromHex(hex), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    importedKeys.set(`${day}/${service}`, key);
  }
  return { session, key: await key };
}

/** Forgets everything: the stored session and the secret in memory. */
export function endSession(): void {
  secretKey = undefined;
  current = undefined;
  importedKeys.clear();
  sessionStorage.removeItem(STORAGE_KEY);
}
