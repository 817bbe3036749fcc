import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..'); // dist/scripts/bench → the repository
const CLI = path.join(ROOT, 'dist/service/src/cli.js');

export type DoubleProcess = { url: string; env: Record<string, string>; stop(): void };

/**
 * The WooCommerce double in its own process (the compiled scripts/woo-double.js), so its memory and CPU
 * are not ours. `root` is the repository (the e2e tests, running from sources, pass theirs).
 */
export async function startDouble(orders: number, customers: number, root = ROOT): Promise<DoubleProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'dist/scripts/woo-double.js'), '--orders', String(orders), '--customers', String(customers)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^(WOOCOMMERCE_URL=.*)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the double exited with ${code}`)));
  });
  const env = Object.fromEntries(
    line
      .trim()
      .split(' ')
      .map((kv) => kv.split('=') as [string, string]),
  );
  return { url: env.WOOCOMMERCE_URL!, env, stop: () => void child.kill() };
}

export type BackfillRun = { seconds: number; maxRssMb: number; output: string };

/** `privacy-bridge woo backfill` as operators run it, in a fresh process; peak RSS read at its exit. */
export async function runBackfill(
  env: Record<string, string>,
  dataDir: string,
  extra: Record<string, string> = {},
): Promise<BackfillRun> {
  const rssFile = path.join(dataDir, 'rss.json');
  const started = process.hrtime.bigint();
  const clean = { ...process.env };
  for (const name of ['NODE_ENV', 'DATABASE_URL', 'LEDGER_MASTER_KEYS', 'SUBJECT_PEPPER', 'DATA_DIR', 'LOG_LEVEL'])
    delete clean[name];
  const child = spawn(
    process.execPath,
    ['--require', path.join(__dirname, 'bench-rss-on-exit.js'), CLI, 'woo', 'backfill'],
    {
      env: {
        ...clean,
        ...env,
        ...extra,
        DATA_DIR: dataDir,
        DATABASE_URL: `sqlite:${dataDir}/ledger.sqlite`,
        DEMO_STORE: 'off',
        PB_BENCH_RSS_FILE: rssFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`woo backfill exited with ${code}: ${output.slice(-2000)}`);
  const { maxRssKb } = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRssKb: number };
  return { seconds, maxRssMb: maxRssKb / 1024, output };
}
