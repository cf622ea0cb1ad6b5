/**
 * `iamd serve`: opens the data directory, listens (the public API, then every running instance's
 * address: its metadata service and the API), and shuts down gracefully on SIGINT/SIGTERM (stop
 * accepting, let requests in flight finish, close the store).
 */
import { InstanceMetadataService } from '../imds/router.js';
import { InstanceListeners } from '../network/instance-listeners.js';
import { App } from '../server/app.js';
import { serveConfig } from '../server/config.js';
import { listen } from '../server/http-server.js';
import { jsonLogger } from '../server/logger.js';
import { tlsMaterial } from '../server/tls.js';

export async function serve(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const config = serveConfig(args, env);
  const logger = jsonLogger(config.logLevel);
  const { app, root } = App.open(config, env, logger);
  app.findings.autoContain = config.autoContain === true;
  const tls = config.tls ? tlsMaterial(config.dataDir, config.tls.certFile, config.tls.keyFile) : undefined;
  const running = await listen(app, { host: config.host, port: config.port, ...(tls ? { tls } : {}) });
  const instances = await InstanceListeners.start(app, new InstanceMetadataService(app, config.instanceCredentials), {
    apiPort: running.port, imdsPort: config.imdsPort, ...(tls ? { tls } : {}),
  });

  if (root.generated) {
    // Printed once, on the start that created them; they are kept in the data directory (0600).
    process.stdout.write(
      `iamd generated the root user's access key (saved in ${config.dataDir}/root-credentials.json):\n` +
      `  AWS_ACCESS_KEY_ID=${root.accessKeyId}\n  AWS_SECRET_ACCESS_KEY=${root.secretAccessKey}\n`,
    );
  }
  const metadata = instances.mode === 'addresses' ? `instance metadata on port ${instances.imdsPort}` : 'instance metadata on a port per instance (127.0.0.1)';
  process.stdout.write(`iamd listening on ${running.url} (account ${config.accountId}, data in ${config.dataDir}; ${metadata})\n`);
  logger.log('info', 'listening', {
    url: running.url, accountId: config.accountId, dataDir: config.dataDir, rootAccessKeyId: root.accessKeyId, imdsPort: instances.imdsPort, instanceAddressing: instances.mode,
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting down', { signal });
    Promise.all([instances.close(), running.close()]).then(() => {
      app.close();
      logger.log('info', 'stopped');
      process.exit(0);
    }, () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
