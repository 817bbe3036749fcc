import { EMAIL, NOW, seedSubject } from '../testing/dsr-seed.js';
import { dsrHarness, type DsrHarness } from '../testing/dsr-harness.js';
import { DsrFlows } from './flows.js';

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('dsr retry: a request stuck out of retries runs again from its first unrecorded step', () => {
  let t: DsrHarness;
  afterEach(async () => t?.close());

  it('an access request stuck at collect (the shop down) completes after retry, with the retry ledgered and each step recorded once', async () => {
    t = await dsrHarness({ viaPlugin: false, attempts: 2 });
    t.h.clock.set(new Date(NOW));
    seedSubject(t.double.store);
    t.double.faults.inject({ status: 500 });
    const row = await t.dsr.open({ kind: 'access', email: EMAIL, identity: { verified: true, method: 'wordpress-email-confirmation' }, wpRequestId: 42 }, 'plugin/test');
    const stuck = await until(() => t.store.get(row.id), (r) => r!.stuckStep !== null);
    expect(stuck).toMatchObject({ status: 'in_progress', stuckStep: 'collect' });

    t.double.faults.clear();
    const steps = DsrFlows.stepsOf(stuck!.kind, stuck!.pass);
    const retried = await t.dsr.retry(row.id, 'admin/ops', steps, (r, remaining, n) => t.parts.flows.restart(remaining, r.id, r.pass, n));
    expect(retried.remaining).toEqual(['dsr.collect', 'dsr.assemble', 'dsr.deliver-export']);
    expect(retried.row.stuckStep).toBeNull();
    const done = await until(() => t.store.get(row.id), (r) => r!.status === 'completed');
    expect(done!.stuckStep).toBeNull();

    const entries = (await t.h.ledger.timeline(done!.subject as never)).filter((e) => e.detail?.requestId === row.id);
    const kinds = entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'dsr.stuck')).toHaveLength(1);
    expect(entries.filter((e) => e.kind === 'dsr.retry').map((e) => e.detail)).toEqual([expect.objectContaining({ actor: 'admin/ops', stuckStep: 'collect', from: 'dsr.collect' })]);
    for (const s of steps) expect(kinds.filter((k) => k === s)).toHaveLength(1);
    expect(entries.filter((e) => e.kind === 'dsr.status').map((e) => e.detail!.to)).toEqual(['verified', 'in_progress', 'completed']);
    // Not stuck any more: a second retry is refused.
    await expect(t.dsr.retry(row.id, 'admin/ops', steps, async () => undefined)).rejects.toMatchObject({ code: 'DSR_TRANSITION_INVALID' });
  }, 60_000);

  it('an erasure stuck at execute-erasure (writes refused) resumes from execute-erasure: the plan is not made again', async () => {
    t = await dsrHarness({ viaPlugin: false, attempts: 2 });
    t.h.clock.set(new Date(NOW));
    const seeded = seedSubject(t.double.store);
    t.double.faults.inject({ status: 500, match: (req) => req.method !== 'GET' });
    const row = await t.dsr.open({ kind: 'erasure', email: EMAIL, identity: { verified: true, method: 'wordpress-email-confirmation' }, wpRequestId: 42 }, 'plugin/test');
    const stuck = await until(() => t.store.get(row.id), (r) => r!.stuckStep !== null);
    expect(stuck!.stuckStep).toBe('execute-erasure');

    t.double.faults.clear();
    const steps = DsrFlows.stepsOf(stuck!.kind, stuck!.pass);
    const retried = await t.dsr.retry(row.id, 'system/cli', steps, (r, remaining, n) => t.parts.flows.restart(remaining, r.id, r.pass, n));
    expect(retried.remaining).toEqual(['dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue', 'dsr.receipt']);
    // Through REST alone, what REST cannot change (IP, user agent) is residue by design: the flow ends in needs_attention.
    const done = await until(() => t.store.get(row.id), (r) => r!.status === 'needs_attention');
    const kinds = (await t.h.ledger.timeline(done!.subject as never)).filter((e) => e.detail?.requestId === row.id).map((e) => e.kind);
    for (const s of ['dsr.plan-erasure', 'dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue']) expect(kinds.filter((k) => k === s)).toHaveLength(1);
    expect(kinds.filter((k) => k === 'dsr.retry')).toHaveLength(1);
    expect(t.double.store.orders.get(seeded.guest.id)!.billing.email).toBe('deleted@site.invalid');
  }, 60_000);
});
