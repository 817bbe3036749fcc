import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { dsrHarness, type DsrHarness } from '../testing/dsr-harness.js';
import { EMAIL, seedSubject } from '../testing/dsr-seed.js';

/** A DSR worker in its own process (testing/dsr-worker.ts); resolves lines it prints. */
function worker(env: Record<string, string>) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, '../testing/dsr-worker.ts')],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    exited,
    async waitFor(line: string, ms = 30_000) {
      const until = Date.now() + ms;
      while (!out.split('\n').includes(line)) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`worker never printed ${line}: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async kill(signal: NodeJS.Signals) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

const STEPS = [
  ['access', 'collect'],
  ['access', 'assemble'],
  ['access', 'deliver-export'],
  ['erasure', 'plan-erasure'],
  ['erasure', 'execute-erasure'],
  ['erasure', 'shred'],
  ['erasure', 'check-residue'],
  ['erasure', 'receipt'],
] as const;

describe('a worker process SIGKILLed at each step of each flow, then restarted', () => {
  let t: DsrHarness;
  const running: ReturnType<typeof worker>[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((w) => w.kill('SIGKILL')));
    await t?.close();
  });

  it.each(STEPS)(
    '%s, killed after the side effects of %s: one result, no step or transition recorded twice',
    async (kind, step) => {
      t = await dsrHarness({ workers: false });
      seedSubject(t.double.store);
      const env = {
        PB_URL: t.h.url,
        PB_NOW: t.h.clock.now().toISOString(),
        PB_MASTER: t.h.keys.masterKeys[0]!.key.toString('base64'),
        PB_PEPPER: t.h.keys.pepper.toString('base64'),
        PB_LINK: t.linkSecret.toString('base64'),
        PB_REDIS: TEST_REDIS_URL,
        PB_PREFIX: t.prefix,
        PB_DATA: t.data.dir,
        PB_WOO_URL: t.wooUrl,
        PB_PLUGIN_URL: t.plugin.url,
      };
      const first = worker({ ...env, PB_CRASH_AT: step });
      running.push(first);
      await first.waitFor('READY');
      const row = await t.dsr.open(
        { kind, email: EMAIL, identity: { verified: true, method: 'wordpress-email-confirmation' }, wpRequestId: 42 },
        'plugin/test',
      );
      await first.waitFor(`AT ${step}`);
      await first.kill('SIGKILL');
      expect(await t.h.ledger.byKey(`dsr.${step}/${row.id}`)).toBeNull(); // killed before its completion was recorded

      const second = worker(env);
      running.push(second);
      await t.drain(60_000);
      await second.kill('SIGTERM');

      const done = (await t.store.get(row.id))!;
      expect(done.stuckStep).toBeNull();
      expect(done.status).toBe(kind === 'access' ? 'completed' : 'partially_completed');
      const entries = (await t.h.ledger.timeline(done.subject as never)).filter((e) => e.detail?.requestId === row.id);
      const kinds = entries.map((e) => e.kind);
      for (const s of kind === 'access'
        ? ['collect', 'assemble', 'deliver-export']
        : ['plan-erasure', 'execute-erasure', 'shred', 'check-residue', 'receipt'])
        expect(kinds.filter((k) => k === `dsr.${s}`)).toHaveLength(1);
      const transitions = entries.filter((e) => e.kind === 'dsr.status').map((e) => e.detail!.to);
      expect(transitions).toEqual(['verified', 'in_progress', kind === 'access' ? 'completed' : 'partially_completed']);
      if (kind === 'erasure') {
        expect(await t.store.receipts(row.id)).toHaveLength(1);
        expect(kinds.filter((k) => k === 'dsr.erasure-certificate')).toHaveLength(1);
        expect(t.plugin.pushes.filter((p) => p.route === 'dsr/erasure-receipt')).toHaveLength(1);
      } else {
        expect(await t.store.liveExports({ subject: done.subject })).toHaveLength(1);
        expect(t.plugin.pushes.filter((p) => p.route === 'dsr/export-ready')).toHaveLength(1);
      }
    },
    90_000,
  );
});
