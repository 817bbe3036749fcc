import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../support/processes.js';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts/wordpress-env.sh');

export type WordPress = {
  url: string;
  dir: string;
  /** Runs PHP inside WordPress (wp-load.php): the body of a function whose return value comes back as JSON. */
  eval<T = unknown>(php: string): Promise<T>;
  /** Mails captured by the test must-use plugin. */
  mails(): { to: string; subject: string; message: string }[];
  /** Lines of debug.log that mention the plugin (deprecation noise from WordPress 6.1 on PHP 8.2 is left out). */
  pluginLogLines(): string[];
  stop(): Promise<void>;
};

/** A throwaway WordPress (Debian's package, MariaDB, php -S) with the plugin active. One per test run. */
export async function startWordPress(): Promise<WordPress> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wordpress-'));
  await run(SCRIPT, ['up', dir, String(port), `pb_wp_${process.pid}_${port}`], { timeout: 120_000 });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dir,
    async eval<T>(php: string): Promise<T> {
      const code = `$_SERVER['HTTP_HOST'] = '127.0.0.1:${port}'; $_SERVER['REQUEST_URI'] = '/'; require 'wp-load.php';
        echo "\\n@@RESULT@@", wp_json_encode((function () { ${php} })());`;
      const { stdout } = await run('php', ['-d', 'display_errors=stderr', '-r', code], {
        cwd: dir,
        timeout: 60_000,
        maxBuffer: 10 * 1024 * 1024,
      });
      return JSON.parse(stdout.slice(stdout.lastIndexOf('@@RESULT@@') + 10)) as T;
    },
    mails() {
      const file = path.join(dir, 'mail.jsonl');
      return fs.existsSync(file)
        ? fs
            .readFileSync(file, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
    },
    pluginLogLines() {
      const file = path.join(dir, 'debug.log');
      return fs.existsSync(file)
        ? fs
            .readFileSync(file, 'utf8')
            .split('\n')
            .filter((l) => /privacy-bridge|PrivacyBridge/.test(l))
        : [];
    },
    async stop() {
      await run(SCRIPT, ['down', dir]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
