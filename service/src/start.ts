import type { Server } from 'node:http';
import { compose } from './compose.js';
import { publishBundledPolicyForDevelopment } from './consent/index.js';
import type { Config } from './config.js';
import type { Logger } from './platform/log/logger.js';
import { ensureRedis } from './platform/queue/redis-bootstrap.js';
import { listen } from './platform/http/serve.js';

const SHUTDOWN_GRACE_MS = 30_000;

/**
 * `privacy-bridge start`: HTTP API and workers in one process. SIGTERM/SIGINT, whenever they come
 * (even during start-up), stop accepting requests, let running jobs finish, and close connections.
 */
export async function startService(config: Config, log: Logger): Promise<void> {
  const closers: (() => Promise<void>)[] = []; // run in reverse order of opening
  let storageFailed = () => false;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing running jobs');
    setTimeout(() => {
      log.error({}, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    for (const close of closers.reverse()) await close().catch((err) => log.error({ err }, 'error while closing'));
    log.info({}, 'stopped');
    log.flush();
    // Broken SQLite files: leave without the native clean-up, whose checkpoint would be the SIGBUS.
    if (storageFailed()) setImmediate(() => process.exit(2));
    process.exitCode = 0;
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  /** Registers what must be closed; false when a signal came meanwhile (then it is closed at once). */
  const opened = async (close: () => Promise<void>) => {
    if (stopping) await close();
    else closers.push(close);
    return !stopping;
  };

  const redis = await ensureRedis(config.redisUrl, config.dataDir, log);
  if (!(await opened(() => redis.stop()))) return;
  const service = await compose(config, log);
  storageFailed = () => service.storageFailure() !== null;
  if (!(await opened(() => service.close()))) return;
  if (config.env === 'development') await publishBundledPolicyForDevelopment(service.core, log);
  await service.startWorkers();
  const server: Server = await listen(service.app, config.port, config.host);
  const listening = await opened(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  );
  if (!listening) return;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  await service.afterListen(`http://${config.host}:${port}`);
  log.info({ host: config.host, port, env: config.env }, 'privacy-bridge listening');
}
