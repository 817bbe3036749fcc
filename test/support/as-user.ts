import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { BIN } from './processes.js';

/** The unprivileged user tests run the CLI as, so that file permissions mean what they mean in production. */
export const NOBODY = { uid: 65534, gid: 65534 };

/** Gives a directory (and what is in it) to the unprivileged user. */
export function giveToNobody(dir: string): void {
  fs.chownSync(dir, NOBODY.uid, NOBODY.gid);
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[])
    fs.chownSync(`${dir}/${f}`, NOBODY.uid, NOBODY.gid);
}

/** The compiled CLI run to completion as `nobody` (the tests run as root, for whom no file is unwritable). */
export function cliAsNobody(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: '/tmp', ...env },
      ...NOBODY,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** `privacy-bridge start` as a real process (as `nobody` unless asRoot); resolves once /readyz answers 200. */
export async function startAs(env: NodeJS.ProcessEnv, options: { asRoot?: boolean } = {}) {
  const { freePort } = await import('./processes.js');
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { PATH: process.env.PATH, HOME: '/tmp', PORT: String(port), ...env },
    ...(options.asRoot ? {} : NOBODY),
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`service exited with ${child.exitCode ?? child.signalCode}:\n${output}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return {
        child,
        url,
        output: () => output,
        exited,
        stop: (signal: NodeJS.Signals = 'SIGTERM') => (child.kill(signal), exited),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not become ready:\n${output}`);
}
