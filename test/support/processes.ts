import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startDouble } from '../../scripts/bench/sync-processes.js';

export const BIN = path.resolve(__dirname, '../../bin/privacy-bridge');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

export const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/** Runs the compiled CLI to completion. */
export function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...cleanEnv(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The service as a real process; resolves once /readyz answers 200. */
export async function startService(env: NodeJS.ProcessEnv): Promise<{
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'start'], { env: { ...cleanEnv(), PORT: String(port), ...env } });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      return {
        child,
        url,
        output: () => output,
        stop: async (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not become ready:\n${output}`);
}

/** Every variable config.ts reads: tests set what they mean, and inherit none of it. */
const CONFIG_VARIABLE =
  /^(?:(?:LEDGER_|WOOCOMMERCE_|SYNC_|DSR_|ALERT_)\w+|NODE_ENV|DATABASE_URL|REDIS_URL|QUEUE_PREFIX|SUBJECT_PEPPER|LINK_SECRET|PLUGIN_SIGNING_KEYS|WORDPRESS_URL|PUBLIC_URL|DEMO_STORE|RATE_LIMIT_SCALE|SHOP_TIMEZONE|SESSION_MINUTES|PORT|HOST|DATA_DIR|LOG_LEVEL|ALLOW_INSECURE_HTTP)$/;

/** The test runner's environment without anything that would change the service's configuration. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (CONFIG_VARIABLE.test(name)) delete env[name];
  return env;
}

/** The WooCommerce double in its own process, seeded; `env` points the service at it. */
export const serveDouble = (args: { orders: number; customers?: number }) =>
  startDouble(args.orders, args.customers ?? 20, path.resolve(__dirname, '../..'));
