/**
 * The network identity of running instances: while an instance is running, iamd listens on its
 * loopback address (addresses.ts) with the instance metadata service on the IMDS port and the AWS
 * API (the same pipeline as the public listener) on the API port; when it leaves 'running' both
 * close at once, connections included, so a stopped or terminated instance's address refuses
 * connections. Follows the instance table from its initial records on.
 *
 * Where extra loopback addresses cannot be bound (macOS), each running instance gets two ports of
 * its own on 127.0.0.1 instead (`endpoints(instanceId)` tells which); the API listener then reports
 * the instance's 127.b.c.d as the local address, so requests still carry the instance's VPC.
 * When the public listener is bound to a wildcard address (0.0.0.0), it already owns the API port on
 * every address: the instance API listeners are skipped, and the public listener's requests to an
 * instance's address still carry the instance's VPC (the request context looks the address up);
 * then a stopped instance's API address keeps answering, as the public address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InstanceMetadataService } from '../imds/router.js';
import type { App } from '../server/app.js';
import { listen, listenWith, type RunningServer } from '../server/http-server.js';
import type { InstanceRecord } from '../services/ec2/types.js';
import { freeLoopbackPort, loopbackAddressOf, loopbackAliasesAvailable } from './addresses.js';

export interface InstanceListenerOptions {
  /** the public API listener's port, shared by every instance address */
  apiPort: number;
  /** the IMDS port of every instance address (0: a free port, chosen once) */
  imdsPort: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** 'addresses' (127.b.c.d) where available, else 'ports'; tests may force one */
  mode?: 'addresses' | 'ports';
}

export interface InstanceEndpoints {
  instanceId: string;
  /** 127.b.c.d */
  address: string;
  imdsUrl: string;
  apiUrl: string;
}

interface Listening {
  imds: RunningServer;
  api?: RunningServer;
  endpoints: InstanceEndpoints;
}

export class InstanceListeners {
  private readonly listening = new Map<string, Listening>();
  /** per instance: the open/close in progress, so that transitions apply in order */
  private readonly transitions = new Map<string, Promise<void>>();
  private closed = false;
  private apiListenersSkipped = false;

  private constructor(
    private readonly app: App,
    private readonly imds: InstanceMetadataService,
    private readonly options: InstanceListenerOptions & { mode: 'addresses' | 'ports' },
  ) {}

  static async start(app: App, imds: InstanceMetadataService, options: InstanceListenerOptions): Promise<InstanceListeners> {
    const mode = options.mode ?? ((await loopbackAliasesAvailable()) ? 'addresses' : 'ports');
    const imdsPort = options.imdsPort === 0 && mode === 'addresses' ? await freeLoopbackPort() : options.imdsPort;
    const listeners = new InstanceListeners(app, imds, { ...options, imdsPort, mode });
    // With a port per instance there is no one IMDS port to tell (health then says null).
    app.network.ports = mode === 'addresses' ? { api: options.apiPort, imds: imdsPort } : { api: options.apiPort };
    app.ec2.instances.onChange((instanceId, record) => listeners.follow(instanceId, record));
    for (const record of app.ec2.instances.list()) listeners.follow(record.instanceId, record);
    await listeners.settled();
    return listeners;
  }

  get mode(): 'addresses' | 'ports' {
    return this.options.mode;
  }

  get imdsPort(): number {
    return this.options.imdsPort;
  }

  /** Where a running instance's IMDS and API answer. */
  endpoints(instanceId: string): InstanceEndpoints | undefined {
    return this.listening.get(instanceId)?.endpoints;
  }

  /** Resolves when every open and close started so far has finished. */
  async settled(): Promise<void> {
    while (this.transitions.size > 0) await Promise.all([...this.transitions.values()]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.settled();
    await Promise.all([...this.listening.keys()].map((instanceId) => this.stopListening(instanceId)));
  }

  private follow(instanceId: string, record: InstanceRecord | undefined): void {
    if (this.closed) return;
    const address = record?.state === 'running' ? loopbackAddressOf(record.privateIpAddress) : undefined;
    // Most changes (a credential stored, a tag) leave the listeners as they are.
    if (!this.transitions.has(instanceId) && this.listening.get(instanceId)?.endpoints.address === address) return;
    this.enqueue(instanceId, async () => {
      const current = this.listening.get(instanceId);
      if (current && current.endpoints.address !== address) await this.stopListening(instanceId);
      if (address !== undefined && !this.listening.has(instanceId) && !this.closed) await this.startListening(instanceId, address);
    });
  }

  private enqueue(instanceId: string, step: () => Promise<void>): void {
    const previous = this.transitions.get(instanceId) ?? Promise.resolve();
    const next = previous.then(step).catch((error: unknown) => {
      this.app.logger.log('error', 'instance listener failed', { instanceId, error: error instanceof Error ? error.message : String(error) });
    }).finally(() => {
      if (this.transitions.get(instanceId) === next) this.transitions.delete(instanceId);
    });
    this.transitions.set(instanceId, next);
  }

  private async startListening(instanceId: string, address: string): Promise<void> {
    const byPort = this.options.mode === 'ports';
    const host = byPort ? '127.0.0.1' : address;
    const imds = await listenWith(this.imdsHandler(instanceId), { host, port: byPort ? 0 : this.options.imdsPort });
    let api: RunningServer | undefined;
    try {
      api = await listen(this.app, {
        host, port: byPort ? 0 : this.options.apiPort, ...(this.options.tls ? { tls: this.options.tls } : {}),
        ...(byPort ? { reportLocalAddress: address } : {}),
      });
    } catch (error) {
      if (byPort || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        await imds.closeNow();
        throw error;
      }
      // The public listener holds the API port on every address (a wildcard host): it serves this one.
      if (!this.apiListenersSkipped) {
        this.apiListenersSkipped = true;
        this.app.logger.log('warn', 'instance API addresses are served by the public listener (bound to a wildcard address)', { apiPort: this.options.apiPort });
      }
    }
    const scheme = this.options.tls ? 'https' : 'http';
    const endpoints: InstanceEndpoints = {
      instanceId,
      address,
      imdsUrl: `http://${host}:${imds.port}/`,
      apiUrl: `${scheme}://${host}:${api?.port ?? this.options.apiPort}`,
    };
    this.listening.set(instanceId, { imds, ...(api ? { api } : {}), endpoints });
    this.app.logger.log('info', 'instance listening', { instanceId, address, imds: endpoints.imdsUrl, api: endpoints.apiUrl });
  }

  private async stopListening(instanceId: string): Promise<void> {
    const current = this.listening.get(instanceId);
    if (!current) return;
    this.listening.delete(instanceId);
    await Promise.all([current.imds.closeNow(), current.api?.closeNow()]);
    this.app.logger.log('info', 'instance stopped listening', { instanceId, address: current.endpoints.address });
  }

  private imdsHandler(instanceId: string): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      // IMDS requests carry no body; whatever is sent is read and dropped.
      req.resume();
      let response;
      try {
        response = this.imds.handle(instanceId, { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
      } catch (error) {
        this.app.logger.log('error', 'metadata service error', { instanceId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        res.writeHead(500, { 'content-type': 'text/plain' }).end();
        return;
      }
      const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
      res.writeHead(response.statusCode, { ...response.headers, 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
  }
}
