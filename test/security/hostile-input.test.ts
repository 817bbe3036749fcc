import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { CANARY_NEEDLES, figure, FULL, pick } from './support/proof.js';
import { hostileRequests } from './support/requests.js';
import { ROUTE_INPUTS } from './support/route-inputs.js';
import { discoverRoutes } from './support/routes.js';
import { serviceUnderTest, type ServiceUnderTest } from './support/service-under-test.js';

/**
 * Hostile input on every route the app serves (found in its router): property-based, 300 inputs per
 * route in `npm test`, 10,000 under `npm run test:security`. Zero 5xx, no crash, no ledger entry for a
 * refused request, no canary in a refusal, memory flat.
 */
const RUNS = pick(300, 10_000);
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('hostile input on every route', () => {
  let s: ServiceUnderTest;
  let heapAtStart = 0;
  const failures: string[] = [];
  beforeAll(async () => {
    for (const f of ['hostile_inputs_total', 'hostile_5xx', 'hostile_refused_writes', 'canary_hits']) figure.add(f, 0);
    s = await serviceUnderTest();
  });
  afterAll(async () => {
    const hits = await s.canaryHits();
    figure.add('canary_hits', hits.length);
    if (FULL) figure.print('security: hostile input');
    await s?.close();
    expect(hits).toEqual([]);
  });

  it('has a generator for every route the router serves, and none for a route that is gone', () => {
    const served = discoverRoutes(s.router).map((r) => r.key);
    expect({
      withoutGenerator: served.filter((k) => !ROUTE_INPUTS[k]),
      stale: Object.keys(ROUTE_INPUTS).filter((k) => !served.includes(k)),
    }).toEqual({ withoutGenerator: [], stale: [] });
  });

  it.each(Object.keys(ROUTE_INPUTS))(
    '%s: no 5xx, no crash, no write on refusal, no echo',
    async (key) => {
      const [method, pattern] = key.split(' ') as [string, string];
      if (!heapAtStart) {
        gc();
        heapAtStart = process.memoryUsage().heapUsed;
      }
      let total = 0;
      let fivexx = 0;
      let refusedWrites = 0;
      let echoes = 0;
      await fc.assert(
        fc.asyncProperty(hostileRequests(s, method, pattern, ROUTE_INPUTS[key]!), async (make) => {
          const g = make();
          const before = await s.headSeq();
          const answer = await s.send(g.request);
          total++;
          if (answer.status >= 500) {
            fivexx++;
            if (failures.length < 10) failures.push(`${answer.status} ${answer.body.slice(0, 200)} ← ${g.describe}`);
          }
          if (answer.status >= 400 && !ROUTE_INPUTS[key]!.ledgersRefusals && (await s.headSeq()) !== before) {
            refusedWrites++;
            if (failures.length < 10) failures.push(`refused ${answer.status} but the ledger moved ← ${g.describe}`);
          }
          if (answer.status >= 400 && CANARY_NEEDLES.some((n) => answer.body.includes(n))) {
            echoes++;
            if (failures.length < 10) failures.push(`refusal echoes the canary: ${answer.body.slice(0, 200)}`);
          }
          return true;
        }),
        { numRuns: RUNS },
      );
      figure.add('hostile_inputs_total', total);
      figure.add('hostile_5xx', fivexx);
      figure.add('hostile_refused_writes', refusedWrites);
      figure.add('canary_hits', echoes);
      figure.set(`hostile_inputs ${key}`, total);
      expect(failures).toEqual([]);
      expect(total).toBe(RUNS);
    },
    pick(60_000, 1_200_000),
  );

  it('is still up, logged no error, and its memory stayed flat', async () => {
    expect((await s.send({ method: 'GET', path: '/healthz' })).status).toBe(200);
    gc();
    const grownMb = (process.memoryUsage().heapUsed - heapAtStart) / 2 ** 20;
    figure.set('hostile_heap_growth_mb', Math.round(grownMb));
    expect(grownMb).toBeLessThan(64);
    expect(s.logs.text()).not.toContain('"level":50');
  });
});
