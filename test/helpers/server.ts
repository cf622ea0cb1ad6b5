/**
 * End-to-end test harness: an iamd server listening on a random loopback port with an in-memory
 * SQLite store and the real AWS-managed policy catalog, and JS SDK v3 clients pointed at it.
 * Running instances get their addresses as under `iamd serve`: IMDS on one port shared by every
 * instance address (a free one, chosen once per server), the API on the server's port.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenKeyring } from '../../src/auth/token-keyring.js';
import { MemoryAuditSink } from '../../src/audit/audit-sink.js';
import type { Clock } from '../../src/domain/clock.js';
import { IdGenerator } from '../../src/domain/ids.js';
import type { CredentialTiming } from '../../src/imds/credentials.js';
import { InstanceMetadataService } from '../../src/imds/router.js';
import { InstanceListeners } from '../../src/network/instance-listeners.js';
import { App } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/http-server.js';
import { AwsManagedPolicyCatalog } from '../../src/services/iam/aws-managed-policies.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface TestServer {
  url: string;
  app: App;
  root: Credentials;
  audit: MemoryAuditSink;
  running: RunningServer;
  /** the metadata service of every instance */
  imds: InstanceMetadataService;
  /** the listeners on running instances' addresses (`settled()` after an instance changes state) */
  instances: InstanceListeners;
  close(): Promise<void>;
}

export interface TestServerOptions {
  clock?: Clock;
  accountId?: string;
  /** IMDS port of every instance address; 0 (default): a free port, chosen once */
  imdsPort?: number;
  credentialTiming?: CredentialTiming;
  /** force an instance addressing mode (default: loopback addresses where available) */
  instanceAddressing?: 'addresses' | 'ports';
}

let catalog: AwsManagedPolicyCatalog | undefined;

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const accountId = options.accountId ?? '000000000000';
  const ids = new IdGenerator();
  const root = { accessKeyId: ids.accessKeyId('AKIA', accountId), secretAccessKey: ids.secretAccessKey() };
  const dir = mkdtempSync(join(tmpdir(), 'iamd-test-'));
  const audit = new MemoryAuditSink();
  catalog ??= AwsManagedPolicyCatalog.load();
  const app = App.create({
    accountId,
    region: 'us-east-1',
    store: new SqliteStore(join(dir, 'iamd.sqlite')),
    secrets: new SecretBox(Buffer.alloc(32, 7)),
    keyring: TokenKeyring.inMemory(),
    root,
    ids,
    catalog,
    audit,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const running = await listen(app, { host: '127.0.0.1', port: 0 });
  const imds = new InstanceMetadataService(app, options.credentialTiming);
  const instances = await InstanceListeners.start(app, imds, {
    apiPort: running.port, imdsPort: options.imdsPort ?? 0, ...(options.instanceAddressing ? { mode: options.instanceAddressing } : {}),
  });
  return {
    url: running.url, app, root, audit, running, imds, instances,
    async close() {
      await instances.close();
      await running.close();
      app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const clientConfig = (server: TestServer, credentials: Credentials) => ({
  endpoint: server.url,
  region: 'us-east-1',
  credentials,
  maxAttempts: 1,
});

export function iamClient(server: TestServer, credentials: Credentials = server.root): IAMClient {
  return new IAMClient(clientConfig(server, credentials));
}

export function stsClient(server: TestServer, credentials: Credentials = server.root): STSClient {
  return new STSClient(clientConfig(server, credentials));
}

/** S3 with path-style addressing (virtual hosts like bucket.127.0.0.1 do not resolve). */
export function s3Client(server: TestServer, credentials: Credentials = server.root, options: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({ ...clientConfig(server, credentials), forcePathStyle: true, ...options });
}

/** Awaits a call that must fail with AWS error `code`; returns the error for further checks. */
export async function expectAwsError(call: Promise<unknown>, code: string): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (error) {
    // Compare the wire code (the SDK keeps it as Code); the SDK's name is the error shape's name,
    // which differs for modelled errors (NoSuchEntity arrives as NoSuchEntityException).
    const { name, Code } = error as { name?: string; Code?: string };
    assert.ok(Code === code || name === code, `expected ${code}, got ${Code ?? name}: ${(error as Error).message}`);
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  assert.fail(`expected the call to fail with ${code}, but it succeeded`);
}
