import { EMAIL, NOW, seedSubject } from '../testing/dsr-seed.js';
import { dsrHarness, type DsrHarness } from '../testing/dsr-harness.js';

describe('WOOCOMMERCE_CONCURRENCY drives both the REST notes fan-out and the estimate `dsr show` prints', () => {
  let t: DsrHarness;
  afterEach(async () => t?.close());

  it.each([2, 6])(
    'concurrency %i: no more notes requests at once than that, and the recorded estimate assumes it',
    async (n) => {
      t = await dsrHarness({ viaPlugin: false, wooConcurrency: n });
      t.h.clock.set(new Date(NOW));
      seedSubject(t.double.store);
      t.double.faults.latency(20);
      const row = await t.dsr.open(
        { kind: 'access', email: EMAIL, identity: { verified: true, method: 'wordpress-email-confirmation' } },
        'plugin/test',
      );
      await t.drain();
      const detail = JSON.parse((await t.h.ledger.byKey(`dsr.collect/${row.id}`))!.detail!);
      expect(detail.estimateSeconds).toBe(Math.ceil(detail.orders / 250 + (detail.orders * 0.15) / n));
      expect(t.double.faults.peakInFlight).toBeLessThanOrEqual(n);
      // 1,000 orders: the figure `dsr show` would print for this setting.
      expect(t.parts.connector().estimateSeconds(1000)).toBe(Math.ceil(4 + 150 / n));
    },
    30_000,
  );
});
