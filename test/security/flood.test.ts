import { randomBytes } from 'node:crypto';
import { LIMIT_CLASSES } from '../../service/src/platform/http/rate-limits.js';
import { figure, FULL, pick } from './support/proof.js';

const FLOOD = pick(1_000, 3_000);
import { serviceUnderTest, type ServiceUnderTest } from './support/service-under-test.js';

/** The flood the outside probe sent (3,000 requests in about 2 s): the limits answer 429 with Retry-After, nothing breaks. */
describe('a flood of requests at the real limits', () => {
  let s: ServiceUnderTest;
  beforeAll(async () => {
    s = await serviceUnderTest({ rateLimitScale: 1 });
  });
  afterAll(async () => {
    if (FULL) figure.print('security: flood');
    await s?.close();
  });

  const blast = async (n: number, make: (i: number) => Parameters<ServiceUnderTest['send']>[0]) => {
    const answers = [];
    for (let i = 0; i < n; i += 100)
      answers.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, j) => s.send(make(i + j))))));
    return answers;
  };

  it(`answers ${FLOOD} unsubscribe page requests from one address with 429 RATE_LIMITED and Retry-After past the allowance, never a 5xx`, async () => {
    const started = Date.now();
    const answers = await blast(FLOOD, () => ({
      method: 'GET',
      path: `/v1/unsubscribe/${randomBytes(16).toString('base64url')}.${randomBytes(16).toString('base64url')}`,
    }));
    const seconds = (Date.now() - started) / 1000;
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status >= 500)).toHaveLength(0);
    // The allowance, plus what the bucket refilled while the flood ran (a busy machine floods more slowly).
    const { points, perSeconds } = LIMIT_CLASSES.person;
    const allowed = points + Math.ceil((seconds * points) / perSeconds) + 1;
    expect(answers.filter((a) => a.status === 404).length).toBeLessThanOrEqual(allowed);
    expect(limited.length).toBeGreaterThanOrEqual(FLOOD - allowed);
    expect(
      limited.every((a) => Number(a.headers['retry-after']) >= 1 && JSON.parse(a.body).code === 'RATE_LIMITED'),
    ).toBe(true);
  });

  it('refuses an address that keeps failing authentication, before it looks at the token', async () => {
    const answers = await blast(500, () => ({
      method: 'GET',
      path: '/metrics',
      headers: { authorization: `Bearer pbat_${randomBytes(32).toString('base64url')}` },
    }));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(LIMIT_CLASSES.authFailures.points);
    expect(answers.filter((a) => a.status === 429).length).toBe(500 - LIMIT_CLASSES.authFailures.points);
    // Even the genuine token is refused from that address until the window passes.
    expect(
      (await s.send({ method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${s.admin.token}` } })).status,
    ).toBe(429);
  });
});
