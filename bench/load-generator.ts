/**
 * A small closed-loop HTTP load generator: N keep-alive connections, each sending the same request
 * again as soon as the previous answer arrives, for a fixed time. Run as its own process so that it
 * does not share the event loop of the server it measures. Prints one JSON line.
 *
 * usage: node load-generator.js '{"url":...,"method":...,"headers":{...},"body":"...","seconds":5,"connections":32}'
 */
import { Agent, request } from 'node:http';

export interface LoadSpec {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  seconds: number;
  connections: number;
  expectStatus: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

async function generate(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const body = Buffer.from(spec.body);
  const headers = { ...spec.headers, 'content-length': String(body.length) };
  delete (headers as Record<string, string>).host;
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + spec.seconds * 1000;
  const once = (): Promise<void> => new Promise((resolve) => {
    const started = performance.now();
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: spec.method, headers: { ...headers, host: url.host }, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === spec.expectStatus) latencies.push(performance.now() - started);
        else errors++;
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(body);
  });
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) await once();
  };
  const begun = performance.now();
  await Promise.all(Array.from({ length: spec.connections }, worker));
  const seconds = (performance.now() - begun) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length, errors, seconds, perSecond: latencies.length / seconds, p50ms: at(0.5), p99ms: at(0.99) };
}

if (process.argv[2]) {
  generate(JSON.parse(process.argv[2]) as LoadSpec).then((result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
  }, (error: unknown) => {
    process.stderr.write(String(error) + '\n');
    process.exit(1);
  });
}
