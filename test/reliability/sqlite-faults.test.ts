import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../service/src/testing/databases.js';
import { cliAsNobody, giveToNobody, startAs } from '../support/as-user.js';

/**
 * The SQLite files made unusable while the service runs: -shm truncated (which was a SIGBUS and no
 * log line) or made unwritable. The service notices first: a clear log line, /readyz not ready,
 * 503 STORAGE_UNAVAILABLE for requests, no death; every acknowledged write is there after a restart.
 */
describe('SQLite files made unusable mid-run', () => {
  let tmp: ReturnType<typeof tempDir>;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let token: string;
  beforeEach(async () => {
    tmp = tempDir();
    fs.chmodSync(tmp.dir, 0o755);
    dataDir = path.join(tmp.dir, 'var');
    fs.mkdirSync(dataDir);
    giveToNobody(tmp.dir);
    env = {
      DATA_DIR: dataDir,
      DEMO_STORE: 'off',
      QUEUE_PREFIX: `pbfault-${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'info',
    };
    const made = await cliAsNobody(['admin', 'token', 'create', '--operator', 'ops-test'], env);
    token = /pbat_\S+/.exec(made.stdout)![0];
  });
  afterEach(() => tmp.remove());

  const withdraw = (url: string, i: number) =>
    fetch(`${url}/v1/subjects/consents/withdrawals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `k${i}` },
      body: JSON.stringify({ email: `fault-${i}@example.invalid` }),
    });
  const head = async () =>
    JSON.parse((await cliAsNobody(['ledger', 'head', '--json'], env)).stdout) as { seq: number; hash: string };

  it.each([
    ['truncated', (shm: string) => fs.truncateSync(shm, 0)],
    ['made unwritable', (shm: string) => fs.chmodSync(shm, 0o444)],
  ])(
    '-shm %s: clear error, not ready, 503 without side effect, no SIGBUS, nothing acknowledged lost',
    async (_what, breakIt) => {
      const service = await startAs(env);
      for (let i = 0; i < 5; i++) expect((await withdraw(service.url, i)).status).toBe(201);
      const acknowledged = await head();
      breakIt(path.join(dataDir, 'ledger.sqlite-shm'));
      await new Promise((r) => setTimeout(r, 20));
      const refused = await withdraw(service.url, 99);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(((await refused.json()) as { code: string }).code).toBe('STORAGE_UNAVAILABLE');
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks.database).toMatch(
        /not writable: (truncated|not-writable): .*ledger\.sqlite-shm/,
      );
      expect(service.child.exitCode).toBeNull();
      expect(service.output()).toContain('storage not usable');
      const exit = await service.stop();
      expect(exit).toEqual({ code: 2, signal: null });
      // Fixed and restarted: every acknowledged write is there, the chain verifies, the refused one is not.
      fs.chmodSync(path.join(dataDir, 'ledger.sqlite-shm'), 0o644);
      expect(await head()).toEqual(acknowledged);
      expect((await cliAsNobody(['ledger', 'verify'], env)).code).toBe(0);
    },
  );

  it('refuses to start on a -shm it cannot write: exit 2 with a message naming the file', async () => {
    const service = await startAs(env);
    await service.stop();
    // A clean stop removes -wal and -shm; a crashed process leaves them behind.
    const shm = path.join(dataDir, 'ledger.sqlite-shm');
    fs.writeFileSync(shm, Buffer.alloc(32768));
    fs.chownSync(shm, 0, 0);
    fs.chmodSync(shm, 0o644);
    const result = await cliAsNobody(['start'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ledger.sqlite-shm is not readable and writable');
  });
});
