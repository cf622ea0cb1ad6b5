/**
 * The application: everything a request needs, wired once. `App.open` builds it from a data
 * directory (the server); `App.create` from parts (tests). `handle` is the whole request path
 * (pipeline.ts) without sockets, so in-process tests call it directly.
 */
import { Authorizer } from '../auth/authorizer.js';
import { UsageTracker } from '../auth/usage-tracker.js';
import { SessionTokenCodec } from '../auth/session-token.js';
import { TokenKeyring } from '../auth/token-keyring.js';
import { noAudit, type AuditSink } from '../audit/audit-sink.js';
import { openAuditTrail } from '../audit/index.js';
import { cloudtrailService } from '../services/cloudtrail/index.js';
import { CloudFormationState, cloudformationService, type CloudFormationSettings } from '../services/cloudformation/index.js';
import { Directory } from '../directory/directory.js';
import { PolicyLibrary } from '../directory/policy-library.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { IdGenerator } from '../domain/ids.js';
import { InstanceAddresses } from '../network/instance-addresses.js';
import { AwsManagedPolicyCatalog } from '../services/iam/aws-managed-policies.js';
import { ec2Service } from '../services/ec2/index.js';
import { Ec2State } from '../services/ec2/state.js';
import { iamService } from '../services/iam/index.js';
import type { ServiceDefinition } from '../services/service.js';
import { stsService } from '../services/sts/index.js';
import { s3Service } from '../services/s3/index.js';
import { openObjectStorage, type ObjectStorage } from '../services/s3/storage/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { iamdService } from '../services/iamd/index.js';
import { Sessions } from '../sessions/index.js';
import { SecretBox } from '../store/secret-box.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { join } from 'node:path';
import type { ServerConfig } from './config.js';
import { masterKey, prepareDataDir, rootCredentials, type RootCredentials } from './data-dir.js';
import { silentLogger, type Logger } from './logger.js';
import { handleRequest, type IncomingRequest } from './pipeline.js';
import { openFindings, type ExfiltrationFindings } from '../findings/index.js';
import type { WireResponse } from '../protocol/query-protocol.js';
import type { Caller } from '../auth/caller.js';
import type { RequestInfo } from '../auth/request-context.js';

/** What a request observer sees of an authenticated request. */
export interface ObservedRequest {
  caller: Caller;
  request: RequestInfo;
  service: string;
  action: string;
  requestId: string;
}

export interface AppParts {
  accountId: string;
  region: string;
  store: Store;
  secrets: SecretBox;
  keyring: TokenKeyring;
  root: { accessKeyId: string; secretAccessKey: string };
  clock?: Clock;
  ids?: IdGenerator;
  catalog?: AwsManagedPolicyCatalog;
  logger?: Logger;
  audit?: AuditSink;
  maxBodyBytes?: number;
  /** S3's buckets and objects; without it, a store in a temporary directory removed on close */
  objects?: ObjectStorage;
  /** CloudFormation settings (default: from the environment, see services/cloudformation/state.ts) */
  cloudformation?: Partial<CloudFormationSettings>;
}

export class App {
  readonly accountId: string;
  readonly region: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly store: Store;
  readonly directory: Directory;
  readonly library: PolicyLibrary;
  readonly authorizer: Authorizer;
  readonly tokens: SessionTokenCodec;
  readonly keyring: TokenKeyring;
  readonly root: { accessKeyId: string; secretAccessKey: string };
  readonly logger: Logger;
  readonly audit: AuditSink;
  readonly maxBodyBytes: number;
  /** EC2's records (instances, VPCs, ...) */
  readonly ec2: Ec2State;
  /** CloudFormation's stacks and events, the SSM parameter store, and the stack operations running */
  readonly cloudformation: CloudFormationState;
  /** which running instance owns a local address (network identity), and the instance ports */
  readonly network: InstanceAddresses;
  /** last use of access keys and roles, flushed to the store every few seconds */
  readonly usage: UsageTracker;
  /**
   * Called for every authenticated request before it is authorized (exfiltration detection and
   * the like). An observer must be cheap: it runs on the hot path. It may throw an AwsError to refuse.
   */
  readonly requestObservers: Array<(observed: ObservedRequest) => void> = [];
  /** instance credentials used away from their instance (exfiltration findings), and their containment */
  readonly findings: ExfiltrationFindings;
  /** every temporary credential issued (the session inventory) and the targeted revocations */
  readonly sessions: Sessions;
  /** S3's buckets, objects and multipart uploads (metadata in SQLite, bodies as files) */
  readonly objects: ObjectStorage;
  /** the temporary directory of `objects` when none was given, removed on close */
  private readonly scratchDir: string | undefined;
  private readonly usageFlush: NodeJS.Timeout;
  readonly services: ReadonlyMap<string, ServiceDefinition>;

  private constructor(parts: AppParts) {
    this.accountId = parts.accountId;
    this.region = parts.region;
    this.clock = parts.clock ?? systemClock;
    this.ids = parts.ids ?? new IdGenerator();
    this.store = parts.store;
    this.directory = new Directory(parts.store, parts.secrets);
    this.library = new PolicyLibrary(this.directory, parts.catalog ?? AwsManagedPolicyCatalog.empty());
    this.ec2 = new Ec2State(parts.store);
    this.cloudformation = new CloudFormationState(parts.store, parts.logger ?? silentLogger, parts.cloudformation);
    this.network = new InstanceAddresses(this.ec2.instances);
    this.authorizer = new Authorizer(this.directory, this.library, this.network);
    this.keyring = parts.keyring;
    this.tokens = new SessionTokenCodec(parts.keyring);
    this.root = parts.root;
    this.logger = parts.logger ?? silentLogger;
    this.audit = parts.audit ?? noAudit;
    this.maxBodyBytes = parts.maxBodyBytes ?? 2 * 1024 * 1024;
    this.usage = new UsageTracker(parts.store);
    this.usageFlush = setInterval(() => this.usage.flush(), 5000);
    this.usageFlush.unref();
    this.sessions = new Sessions(this);
    this.scratchDir = parts.objects ? undefined : mkdtempSync(join(tmpdir(), 'iamd-s3-'));
    this.objects = parts.objects ?? openObjectStorage(this.scratchDir!);
    this.services = new Map([iamService, stsService, ec2Service, iamdService, cloudtrailService, s3Service, cloudformationService].map((service) => [service.name, service]));
    this.findings = openFindings(this);
  }

  static create(parts: AppParts): App {
    return new App(parts);
  }

  /** Opens (or creates) the data directory of a server. */
  static open(config: ServerConfig, env: Readonly<Record<string, string | undefined>>, logger: Logger): { app: App; root: RootCredentials } {
    prepareDataDir(config.dataDir);
    const ids = new IdGenerator();
    const root = rootCredentials(config.dataDir, env, () => ({ accessKeyId: ids.accessKeyId('AKIA', config.accountId), secretAccessKey: ids.secretAccessKey() }));
    const app = new App({
      accountId: config.accountId,
      region: config.region,
      store: new SqliteStore(join(config.dataDir, 'iamd.sqlite')),
      audit: openAuditTrail(config.dataDir, config.audit, logger),
      secrets: new SecretBox(masterKey(config.dataDir)),
      keyring: TokenKeyring.open(join(config.dataDir, 'token-keys.json')),
      root,
      ids,
      catalog: AwsManagedPolicyCatalog.load(),
      logger,
      maxBodyBytes: config.maxBodyBytes,
      objects: openObjectStorage(join(config.dataDir, 's3')),
    });
    return { app, root };
  }

  handle(request: IncomingRequest): Promise<WireResponse> {
    return handleRequest(this, request);
  }

  close(): void {
    clearInterval(this.usageFlush);
    this.usage.flush();
    this.cloudformation.close();
    this.sessions.close();
    this.findings.close();
    this.audit.close();
    this.objects.close();
    this.store.close();
    if (this.scratchDir) rmSync(this.scratchDir, { recursive: true, force: true });
  }
}
