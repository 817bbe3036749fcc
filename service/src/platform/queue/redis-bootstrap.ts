import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../log/logger.js';

export class RedisUnavailableError extends Error {
  constructor(url: string) {
    super(
      `Redis is not reachable at ${url} and no redis-server binary is on the PATH.\n` +
        `Install Redis (Debian: apt-get install redis-server) or set REDIS_URL to a running server.`,
    );
    this.name = 'RedisUnavailableError';
  }
}

export async function redisAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Uses the Redis at `url`; when nothing answers on a loopback address and `redis-server` is installed,
 * starts a private one under `dataDir/redis` (append-only file on, noeviction: BullMQ must never lose
 * a job to eviction) and returns a stop function for shutdown.
 */
export async function ensureRedis(url: string, dataDir: string, log: Logger): Promise<{ stop(): Promise<void> }> {
  if (await redisAnswers(url)) return { stop: async () => undefined };
  const { hostname, port } = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname);
  if (!loopback || spawnSync('redis-server', ['--version']).status !== 0) throw new RedisUnavailableError(url);

  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      port || '6379',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--logfile',
      path.join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  );
  log.warn({ port: port || '6379', dir }, 'no Redis answered: started a private redis-server for this process');
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url, 200)) {
      return {
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(url);
}
