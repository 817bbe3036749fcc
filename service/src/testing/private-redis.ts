import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { redisAnswers } from '../platform/queue/redis-bootstrap.js';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });

/**
 * A redis-server of the test's own on a free port, under `dir` (never the machine's 6379): tests
 * stop and start it at will. Append-only file with `appendfsync always`, the durability the service
 * relies on (README, "Redis"); `fresh` starts the next run on an empty directory (Redis came back empty).
 */
export async function privateRedis(dir: string) {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let run = 0;
  const url = `redis://127.0.0.1:${port}`;
  async function start(opts: { fresh?: boolean } = {}) {
    if (opts.fresh) run++;
    const data = path.join(dir, `redis-${run}`);
    fs.mkdirSync(data, { recursive: true });
    child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--dir',
        data,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if (await redisAnswers(url, 200)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('private redis-server did not start');
  }
  async function stop() {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  }
  await start();
  return { url, port, start, stop };
}
