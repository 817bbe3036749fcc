import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../service/src/testing/databases.js';
import { freePort } from '../../support/processes.js';

const BIN = () => {
  const base = '/usr/lib/postgresql';
  const version = fs.readdirSync(base).sort().at(-1);
  if (!version)
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  return path.join(base, version, 'bin');
};

/**
 * A PostgreSQL of this test's own (initdb in a temp dir, a free port, run as the postgres user), so a
 * test may restart it without touching the machine's server on 5432.
 */
export async function privatePostgres() {
  const tmp = tempDir('pb-pg-');
  fs.chmodSync(tmp.dir, 0o755);
  const data = path.join(tmp.dir, 'data');
  const port = await freePort();
  const { uid, gid } = fs.statSync('/var/lib/postgresql');
  fs.mkdirSync(data, { mode: 0o700 });
  fs.chownSync(data, uid, gid);
  fs.chownSync(tmp.dir, uid, gid);
  const asPostgres = (cmd: string, args: string[]) => {
    const r = spawnSync(path.join(BIN(), cmd), args, { uid, gid, encoding: 'utf8', cwd: tmp.dir });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const ctl = (...args: string[]) =>
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(tmp.dir, 'pg.log'),
      '-o',
      `-p ${port} -k ${tmp.dir} -c listen_addresses=127.0.0.1 -c fsync=on`,
      '-w',
      ...args,
    ]);
  ctl('start');
  execFileSync(path.join(BIN(), 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'pb'], {
    uid,
    gid,
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/pb`,
    /** A fast restart: connections are cut, in-flight transactions roll back, committed ones stay. */
    restart: () => ctl('restart', '-m', 'fast'),
    stop: () => {
      try {
        ctl('stop', '-m', 'immediate');
      } finally {
        tmp.remove();
      }
    },
  };
}
