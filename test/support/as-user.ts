import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { BIN } from './processes.js';

/** The unprivileged user tests run the CLI as, so that file permissions mean what they mean in production. */
export const NOBODY = { uid: 65534, gid: 65534 };

/** Gives a directory (and what is in it) to the unprivileged user. */
export function giveToNobody(dir: string): void {
  fs.chownSync(dir, NOBODY.uid, NOBODY.gid);
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) fs.chownSync(`${dir}/${f}`, NOBODY.uid, NOBODY.gid);
}

/** The compiled CLI run to completion as `nobody` (the tests run as root, for whom no file is unwritable). */
export function cliAsNobody(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: '/tmp', ...env }, ...NOBODY });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
