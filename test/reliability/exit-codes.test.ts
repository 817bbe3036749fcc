import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../service/src/testing/databases.js';
import { cliAsNobody, giveToNobody } from '../support/as-user.js';

/** Exit codes as the README documents them: 1 is a broken chain, 2 an unreachable dependency. */
describe('exit codes when storage is not usable', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
    fs.chmodSync(tmp.dir, 0o755);
  });
  afterEach(() => tmp.remove());

  it('ledger verify on an unreadable database exits 2 with one line naming the file, not 1 (a broken chain)', async () => {
    const dataDir = path.join(tmp.dir, 'var');
    fs.mkdirSync(dataDir);
    giveToNobody(tmp.dir);
    const made = await cliAsNobody(['ledger', 'head'], { DATA_DIR: dataDir });
    expect(made.code).toBe(0);
    fs.chmodSync(path.join(dataDir, 'ledger.sqlite'), 0o000);
    const result = await cliAsNobody(['ledger', 'verify'], { DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ledger.sqlite');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unwritable DATA_DIR exits 2 with a message naming it, at start and for any command', async () => {
    const dataDir = path.join(tmp.dir, 'var');
    fs.mkdirSync(dataDir);
    giveToNobody(tmp.dir);
    fs.chmodSync(dataDir, 0o555);
    for (const args of [['start'], ['ledger', 'verify']]) {
      const result = await cliAsNobody(args, { DATA_DIR: dataDir, PORT: '0' });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`DATA_DIR ${dataDir} is not writable`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
