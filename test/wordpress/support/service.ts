import { spawn } from 'node:child_process';
import { BIN } from '../../support/processes.js';

const SCRUB = [
  'NODE_ENV',
  'DATABASE_URL',
  'REDIS_URL',
  'LEDGER_MASTER_KEYS',
  'SUBJECT_PEPPER',
  'PORT',
  'HOST',
  'DATA_DIR',
  'LOG_LEVEL',
  'WOOCOMMERCE_URL',
];

/**
 * The compiled service on a port of our choosing (so it can be stopped and started again at the same
 * address the plugin is configured with); resolves once /readyz answers 200.
 */
export async function startServiceOn(
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; stop(): Promise<void> }> {
  const base = { ...process.env };
  for (const name of SCRUB) delete base[name];
  const child = spawn(process.execPath, [BIN, 'start'], { env: { ...base, ...env, PORT: String(port) } });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return {
        url,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not become ready:\n${output}`);
}
