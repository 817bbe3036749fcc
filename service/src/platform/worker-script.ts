import fs from 'node:fs';
import path from 'node:path';

/**
 * A worker thread's script beside its caller: `<name>.js` when running compiled, `<name>.ts` under
 * jest, which the worker then compiles with tsx's require hook (tsx is a dev dependency; Node 20
 * workers ignore `--import` hooks). Null when neither exists.
 */
export function workerScript(dir: string, name: string): { file: string; execArgv: string[] } | null {
  const js = path.join(dir, `${name}.js`);
  if (fs.existsSync(js)) return { file: js, execArgv: [] };
  const ts = path.join(dir, `${name}.ts`);
  if (fs.existsSync(ts)) return { file: ts, execArgv: ['--require', 'tsx/cjs'] };
  return null;
}
