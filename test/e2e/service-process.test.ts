import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../service/src/testing/databases.js';
import { cli, freePort, portAnswers, startService } from '../support/processes.js';

describe('privacy-bridge start, as a real process', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  it('starts on embedded defaults, reports health and readiness, and stops cleanly on SIGTERM', async () => {
    const service = await startService({ DATA_DIR: tmp.dir });
    const health = await fetch(`${service.url}/healthz`).then((r) => r.json());
    const ready = await fetch(`${service.url}/readyz`).then((r) => r.json());
    expect(health).toEqual({ status: 'ok' });
    expect(ready).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', redis: 'ok' } });
    expect(fs.existsSync(path.join(tmp.dir, 'ledger.sqlite'))).toBe(true);
    expect(fs.statSync(path.join(tmp.dir, 'dev-keys.json')).mode & 0o777).toBe(0o600);
    for (const f of ['ledger.sqlite', 'ledger.sqlite-wal', 'ledger.sqlite-shm'])
      expect([f, fs.statSync(path.join(tmp.dir, f)).mode & 0o777]).toEqual([f, 0o600]);
    expect(service.output()).toContain('USING LOCAL DEVELOPMENT KEYS');
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(service.output()).toContain('"msg":"stopped"');
  });

  it('answers GET / with a page for a newcomer, and a development start publishes the bundled policy version once', async () => {
    const versions = async () =>
      JSON.parse((await cli(['policy', 'versions', '--json'], { DATA_DIR: tmp.dir })).stdout).versions as {
        version: string;
      }[];
    const service = await startService({ DATA_DIR: tmp.dir });
    const home = await fetch(`${service.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('href="/readyz"');
    expect(service.output()).toContain('no policy version was published, so the bundled one was');
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(await versions()).toEqual([expect.objectContaining({ version: 'icbt-pp-1', languages: ['sq', 'en'] })]);
    const again = await startService({ DATA_DIR: tmp.dir });
    expect(await again.stop('SIGTERM')).toBe(0);
    expect(again.output()).not.toContain('the bundled one was');
    expect(await versions()).toHaveLength(1);
  });

  it('publishes no policy version outside development: production needs `privacy-bridge policy publish`', async () => {
    const service = await startService({ DATA_DIR: tmp.dir, NODE_ENV: 'test' });
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(JSON.parse((await cli(['policy', 'versions', '--json'], { DATA_DIR: tmp.dir })).stdout)).toEqual({
      versions: [],
    });
  });

  it('starts a private redis-server when nothing answers on a loopback REDIS_URL, and stops it on exit', async () => {
    const port = await freePort();
    const service = await startService({ DATA_DIR: tmp.dir, REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(await portAnswers(port)).toBe(true);
    expect(fs.existsSync(path.join(tmp.dir, 'redis'))).toBe(true);
    expect(service.output()).toContain('started a private redis-server');
    expect(await service.stop('SIGINT')).toBe(0);
    expect(await portAnswers(port)).toBe(false);
    expect(fs.readdirSync(path.join(tmp.dir, 'redis')).some((f) => f.startsWith('appendonly'))).toBe(true);
  });

  it('exits with a way forward when Redis is unreachable and redis-server is not installed', async () => {
    const port = await freePort();
    const result = await cli(['start'], { DATA_DIR: tmp.dir, REDIS_URL: `redis://127.0.0.1:${port}`, PATH: tmp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('apt-get install redis-server');
    expect(result.stderr).toContain('REDIS_URL');
  });

  it.each([
    [{ NODE_ENV: 'production' }, /LEDGER_MASTER_KEYS: is required/],
    [{ DATABASE_URL: 'mysql://root@127.0.0.1/pb' }, /DATABASE_URL: must be/],
    [{ LEDGER_MASTER_KEYS: `k1:${Buffer.alloc(8).toString('base64')}` }, /LEDGER_MASTER_KEYS: must be/],
  ])('refuses bad configuration %j with a message naming the variable and no stack trace', async (env, message) => {
    const result = await cli(['start'], { DATA_DIR: tmp.dir, ...env });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('mysql://root');
  });
});
