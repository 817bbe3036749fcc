import type { Server } from 'node:http';
import { compose } from './compose.js';
import type { Config } from './config.js';
import type { Logger } from './platform/log/logger.js';
import { ensureRedis } from './platform/queue/redis-bootstrap.js';

const SHUTDOWN_GRACE_MS = 30_000;

/** `privacy-bridge start`: HTTP API and workers in one process, with a graceful shutdown on SIGTERM/SIGINT. */
export async function startService(config: Config, log: Logger): Promise<void> {
  const redis = await ensureRedis(config.redisUrl, config.dataDir, log);
  let service: Awaited<ReturnType<typeof compose>>;
  try {
    service = await compose(config, log);
    await service.startWorkers();
  } catch (err) {
    await redis.stop();
    throw err;
  }
  const server: Server = await new Promise((resolve, reject) => {
    const s = service.app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  await service.afterListen(`http://${config.host}:${typeof address === 'object' && address ? address.port : config.port}`);
  log.info({ host: config.host, port: typeof address === 'object' && address ? address.port : config.port, env: config.env }, 'privacy-bridge listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing running jobs');
    setTimeout(() => {
      log.error({}, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await service.close();
    await redis.stop();
    log.info({}, 'stopped');
    log.flush();
    process.exitCode = 0;
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
