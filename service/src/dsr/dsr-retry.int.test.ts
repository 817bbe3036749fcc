import { EMAIL, NOW, seedSubject } from '../testing/dsr-seed.js';
import { dsrHarness, type DsrHarness } from '../testing/dsr-harness.js';
import { stepsOf } from './flows.js';

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const restartIn = (t: DsrHarness) => (r: { id: string; pass: number }, steps: string[], n: number, round: number) =>
  t.parts.flows.restart(steps, r.id, r.pass, n, round);
const verified = { verified: true, method: 'wordpress-email-confirmation' } as const;

describe('dsr retry: a request stuck out of retries runs again from its first unrecorded step', () => {
  let t: DsrHarness;
  afterEach(async () => t?.close());

  it('an access request stuck at collect (the shop down) completes after retry, with the retry ledgered and each step recorded once', async () => {
    t = await dsrHarness({ viaPlugin: false, attempts: 2 });
    t.h.clock.set(new Date(NOW));
    seedSubject(t.double.store);
    t.double.faults.inject({ status: 500 });
    const row = await t.dsr.open(
      {
        kind: 'access',
        email: EMAIL,
        identity: { verified: true, method: 'wordpress-email-confirmation' },
        wpRequestId: 42,
      },
      'plugin/test',
    );
    const stuck = await until(
      () => t.store.get(row.id),
      (r) => r!.stuckStep !== null,
    );
    expect(stuck).toMatchObject({ status: 'in_progress', stuckStep: 'collect' });

    t.double.faults.clear();
    const steps = stepsOf(stuck!.kind, stuck!.pass);
    const retried = await t.dsr.retry(row.id, 'admin/ops', steps, restartIn(t));
    expect(retried.remaining).toEqual(['dsr.collect', 'dsr.assemble', 'dsr.deliver-export']);
    expect(retried.row.stuckStep).toBeNull();
    const done = await until(
      () => t.store.get(row.id),
      (r) => r!.status === 'completed',
    );
    expect(done!.stuckStep).toBeNull();

    const entries = (await t.h.ledger.timeline(done!.subject as never)).filter((e) => e.detail?.requestId === row.id);
    const kinds = entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'dsr.stuck')).toHaveLength(1);
    expect(entries.filter((e) => e.kind === 'dsr.retry').map((e) => e.detail)).toEqual([
      expect.objectContaining({ actor: 'admin/ops', stuckStep: 'collect', from: 'dsr.collect' }),
    ]);
    for (const s of steps) expect(kinds.filter((k) => k === s)).toHaveLength(1);
    expect(entries.filter((e) => e.kind === 'dsr.status').map((e) => e.detail!.to)).toEqual([
      'verified',
      'in_progress',
      'completed',
    ]);
    // Finished, and an export is not re-checked: a second retry is refused with its own code.
    await expect(t.dsr.retry(row.id, 'admin/ops', steps, async () => undefined)).rejects.toMatchObject({
      code: 'DSR_NOTHING_TO_RETRY',
      details: { reason: 'finished' },
    });
  }, 60_000);

  it('an erasure stuck at execute-erasure (writes refused) resumes from execute-erasure: the plan is not made again', async () => {
    t = await dsrHarness({ viaPlugin: false, attempts: 2 });
    t.h.clock.set(new Date(NOW));
    const seeded = seedSubject(t.double.store);
    t.double.faults.inject({ status: 500, match: (req) => req.method !== 'GET' });
    const row = await t.dsr.open(
      {
        kind: 'erasure',
        email: EMAIL,
        identity: { verified: true, method: 'wordpress-email-confirmation' },
        wpRequestId: 42,
      },
      'plugin/test',
    );
    const stuck = await until(
      () => t.store.get(row.id),
      (r) => r!.stuckStep !== null,
    );
    expect(stuck!.stuckStep).toBe('execute-erasure');

    t.double.faults.clear();
    const steps = stepsOf(stuck!.kind, stuck!.pass);
    const retried = await t.dsr.retry(row.id, 'system/cli', steps, restartIn(t));
    expect(retried.remaining).toEqual(['dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue', 'dsr.receipt']);
    // Through REST alone, what REST cannot change (IP, user agent) is residue by design: the flow ends in needs_attention.
    const done = await until(
      () => t.store.get(row.id),
      (r) => r!.status === 'needs_attention',
    );
    const kinds = (await t.h.ledger.timeline(done!.subject as never))
      .filter((e) => e.detail?.requestId === row.id)
      .map((e) => e.kind);
    for (const s of ['dsr.plan-erasure', 'dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue'])
      expect(kinds.filter((k) => k === s)).toHaveLength(1);
    expect(kinds.filter((k) => k === 'dsr.retry')).toHaveLength(1);
    expect(t.double.store.orders.get(seeded.guest.id)!.billing.email).toBe('deleted@site.invalid');
  }, 60_000);

  it('an erasure whose steps all ran into needs attention (an update that silently did nothing) erases again only what the check flagged, checks again, and issues one receipt', async () => {
    const lie = new Set<number>();
    t = await dsrHarness({ lie });
    t.h.clock.set(new Date(NOW));
    const seeded = seedSubject(t.double.store);
    lie.add(seeded.guest.id);
    const row = await t.dsr.open({ kind: 'erasure', email: EMAIL, identity: verified }, 'plugin/test');
    await t.drain();
    expect((await t.store.get(row.id))!).toMatchObject({ status: 'needs_attention', stuckStep: null });
    expect(t.double.store.orders.get(seeded.guest.id)!.billing.email).toBe(EMAIL);

    lie.clear(); // the shop's side works again
    const steps = stepsOf('erasure', 1);
    const retried = await t.dsr.retry(row.id, 'admin/ops', steps, restartIn(t));
    expect(retried).toMatchObject({
      round: 1,
      remaining: ['dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue', 'dsr.receipt'],
    });
    await t.drain();
    const done = (await t.store.get(row.id))!;
    expect(done.status).toBe('partially_completed'); // the upcoming session's order is held
    expect(t.double.store.orders.get(seeded.guest.id)!.billing.email).toBe('deleted@site.invalid');
    const again = JSON.parse((await t.h.ledger.byKey(`dsr.execute-erasure/${row.id}/r1`))!.detail!);
    expect(again).toMatchObject({ round: 1, orders: 1 }); // only the flagged order
    expect(JSON.parse((await t.h.ledger.byKey(`dsr.check-residue/${row.id}/r1`))!.detail!).count).toBe(0);

    // An operator asks for one more check of the finished erasure: only the check runs; the receipt stands.
    const recheck = await t.dsr.retry(row.id, 'admin/dpo', steps, restartIn(t));
    expect(recheck).toMatchObject({ round: 2, remaining: ['dsr.check-residue'] });
    await t.drain();
    expect((await t.store.get(row.id))!.status).toBe('partially_completed');

    const entries = (await t.h.ledger.timeline(done.subject as never)).filter((e) => e.detail?.requestId === row.id);
    const count = (kind: string) => entries.filter((e) => e.kind === kind).length;
    expect([
      count('dsr.plan-erasure'),
      count('dsr.shred'),
      count('dsr.execute-erasure'),
      count('dsr.check-residue'),
      count('dsr.receipt'),
    ]).toEqual([1, 2, 2, 3, 2]);
    expect(count('dsr.erasure-certificate')).toBe(1);
    expect(
      entries.filter((e) => e.kind === 'dsr.retry').map((e) => [e.detail!.actor, e.detail!.mode, e.detail!.round]),
    ).toEqual([
      ['admin/ops', 'recheck', 1],
      ['admin/dpo', 'recheck', 2],
    ]);
    expect(await t.store.receipts(row.id)).toHaveLength(1);
    expect(t.plugin.pushes.filter((p) => p.route === 'dsr/erasure-receipt')).toHaveLength(1);
  }, 60_000);

  it('refuses with DSR_NOTHING_TO_RETRY what is running, not started or refused', async () => {
    t = await dsrHarness({ workers: false });
    t.h.clock.set(new Date(NOW));
    seedSubject(t.double.store);
    const steps = stepsOf('erasure', 1);
    const running = await t.dsr.open({ kind: 'erasure', email: EMAIL, identity: verified }, 'plugin/test');
    await expect(t.dsr.retry(running.id, 'admin/ops', steps, restartIn(t))).rejects.toMatchObject({
      code: 'DSR_NOTHING_TO_RETRY',
      details: { reason: 'running' },
    });
    const waiting = await t.dsr.open(
      { kind: 'erasure', email: EMAIL, identity: { verified: false, method: 'wordpress-email-confirmation' } },
      'plugin/test',
    );
    await expect(t.dsr.retry(waiting.id, 'admin/ops', steps, restartIn(t))).rejects.toMatchObject({
      code: 'DSR_NOTHING_TO_RETRY',
      details: { reason: 'not-started' },
    });
    await t.dsr.refuse(waiting.id, 'admin/ops', 'identity not confirmed');
    await expect(t.dsr.retry(waiting.id, 'admin/ops', steps, restartIn(t))).rejects.toMatchObject({
      code: 'DSR_NOTHING_TO_RETRY',
      details: { reason: 'refused' },
    });
    expect(
      (await t.h.ledger.timeline((await t.store.get(running.id))!.subject as never)).filter(
        (e) => e.kind === 'dsr.retry',
      ),
    ).toEqual([]);
  });
});
