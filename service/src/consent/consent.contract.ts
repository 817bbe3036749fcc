import fc from 'fast-check';
import { ERASED } from '../ledger/index.js';
import { migrate } from '../platform/db/migrate.js';
import { sensitive } from '../platform/sensitive.js';
import type { HarnessFactory, LedgerHarness } from '../testing/ledger-harness.js';
import { consentMigrations } from './consent.migrations.js';
import { createConsent, type ConsentParts } from './consent.module.js';
import type { ConsentInput } from './consent.service.js';
import { reduce, type ConsentEvent } from './consent-rules.js';

const SECRET = Buffer.alloc(32, 9);

/** Consent on a real store: run by consent.sqlite.int.test.ts and consent.postgres.int.test.ts. */
export function consentContract(open: HarnessFactory) {
  let h: LedgerHarness;
  let c: ConsentParts;
  let n = 0;
  beforeEach(async () => {
    h = await open();
    await migrate(h.db, consentMigrations);
    c = createConsent({ db: h.db, ledger: h.ledger, clock: h.clock, linkSecret: SECRET });
    await c.policies.publish({
      text: Buffer.from('Politika e privatësisë v1'),
      version: 'pp-1',
      effective: '2026-10-01',
      material: false,
      languages: ['sq', 'en'],
    });
  });
  afterEach(() => h.close());

  const at = (minutes: number) => new Date(Date.parse('2026-11-01T09:00:00Z') + minutes * 60_000).toISOString();
  const consent = (over: Partial<ConsentInput> & { email?: string } = {}): ConsentInput => {
    const { email = 'arta.hoxha@example.com', ...rest } = over;
    return {
      subject: { email: sensitive(email) },
      source: 'checkout',
      decisions: [{ purpose: 'marketing', decision: 'granted' }],
      policyVersion: 'pp-1',
      gpc: false,
      locale: 'sq',
      at: at(0),
      ...rest,
    };
  };
  const record = (over: Partial<ConsentInput> & { email?: string } = {}) =>
    c.consent.record(consent(over), `test/${++n}`);
  const ref = (email: string) => h.ledger.subjectRef(sensitive(email));
  const marketing = async (email: string) => {
    const s = await c.consent.state(ref(email));
    return s.erased ? 'erased' : s.purposes.find((p) => p.purpose === 'marketing');
  };

  it.each([
    ['an unknown policy version', { policyVersion: 'pp-9' }, 'CONSENT_POLICY_VERSION_UNKNOWN'],
    [
      'an unknown purpose',
      { decisions: [{ purpose: 'profiling', decision: 'granted' as const }] },
      'CONSENT_PURPOSE_UNKNOWN',
    ],
    [
      'a decision for necessary',
      { decisions: [{ purpose: 'necessary', decision: 'denied' as const }] },
      'CONSENT_PURPOSE_NOT_CONSENTABLE',
    ],
    [
      'a purpose twice',
      {
        decisions: [
          { purpose: 'marketing', decision: 'denied' as const },
          { purpose: 'marketing', decision: 'granted' as const },
        ],
      },
      'CONSENT_PURPOSE_REPEATED',
    ],
    ['a future time', { at: '2026-11-01T11:00:00.000Z' }, 'CONSENT_TIME_IN_FUTURE'],
    ['no identifier', { subject: {} }, 'CONSENT_SUBJECT_MISSING'],
  ])('refuses %s with its code, and records nothing', async (_name, over, code) => {
    const head = await h.ledger.head();
    await expect(record(over as Partial<ConsentInput>)).rejects.toMatchObject({ code });
    expect((await h.ledger.head()).seq).toBe(head.seq);
  });

  it('records concurrent requests together, each once, and answers each only after its entry is stored', async () => {
    const emails = Array.from({ length: 12 }, (_, i) => `batch-${i}@example.com`);
    const answers = await Promise.all(
      emails.map((email, i) => c.consent.record(consent({ email }), `plugin/batch-${i}`)),
    );
    expect(answers.every((a) => !a.duplicate)).toBe(true);
    for (const a of answers) expect(await h.ledger.byKey(`consent.recorded/${a.eventId}`)).not.toBeNull();
    const again = await Promise.all(
      emails.map((email, i) => c.consent.record(consent({ email }), `plugin/batch-${i}`)),
    );
    expect(again.every((a) => a.duplicate)).toBe(true);
    expect((await h.ledger.read(0, 100)).filter((e) => e.kind === 'consent.recorded')).toHaveLength(12);
    expect((await h.ledger.verify()).ok).toBe(true);
  });

  it('falls back to one transaction per request when a shared one fails, so only a failing request fails', async () => {
    const original = h.ledger.recordMany.bind(h.ledger);
    // Every shared transaction fails; a request's own one succeeds.
    const recordMany = jest
      .spyOn(h.ledger, 'recordMany')
      .mockImplementation((facts) => (facts.length > 1 ? Promise.reject(new Error('batch refused')) : original(facts)));
    const answers = await Promise.allSettled(
      [1, 2, 3].map((i) => c.consent.record(consent({ email: `fallback-${i}@example.com` }), `plugin/fallback-${i}`)),
    );
    recordMany.mockRestore();
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect((await h.ledger.read(0, 100)).filter((e) => e.kind === 'consent.recorded')).toHaveLength(3);
  });

  it('records once per natural key, and the state names the version and rule', async () => {
    const first = await c.consent.record(consent(), 'plugin/msg-1');
    const again = await c.consent.record(consent(), 'plugin/msg-1');
    expect(again).toEqual({ ...first, duplicate: true });
    expect(first.duplicate).toBe(false);
    expect((await h.ledger.read(0, 100)).filter((e) => e.kind === 'consent.recorded')).toHaveLength(1);
    expect(await marketing('arta.hoxha@example.com')).toMatchObject({
      decision: 'granted',
      rule: 'explicit',
      policyVersion: 'pp-1',
      source: 'checkout',
    });
    const state = await c.consent.state(ref('arta.hoxha@example.com'));
    expect(!state.erased && state.purposes.find((p) => p.purpose === 'statistics')).toMatchObject({
      decision: 'denied',
      rule: 'no-record',
    });
  });

  it('GPC denies marketing and statistics until the person grants them explicitly afterwards', async () => {
    await record({
      gpc: true,
      decisions: [
        { purpose: 'marketing', decision: 'granted' },
        { purpose: 'preferences', decision: 'granted' },
      ],
      at: at(1),
    });
    const s1 = await c.consent.state(ref('arta.hoxha@example.com'));
    expect(!s1.erased && s1.purposes.map((p) => [p.purpose, p.decision, p.rule])).toEqual([
      ['marketing', 'denied', 'gpc'],
      ['preferences', 'granted', 'explicit'],
      ['statistics', 'denied', 'gpc'],
    ]);
    await record({
      gpc: true,
      overridesGpc: true,
      source: 'account-page',
      decisions: [{ purpose: 'marketing', decision: 'granted' }],
      at: at(2),
    });
    expect(await marketing('arta.hoxha@example.com')).toMatchObject({ decision: 'granted', rule: 'explicit' });
  });

  it('a withdrawal via link, account page or admin each wins over an earlier grant', async () => {
    for (const [i, source] of (['unsubscribe-link', 'account-page', 'admin'] as const).entries()) {
      const email = `besa.${i}@example.al`;
      await record({ email, at: at(1) });
      if (source === 'unsubscribe-link') {
        const { token } = await c.unsubscribe.issue(sensitive(email));
        await c.unsubscribe.withdraw(token);
      } else {
        await record({
          email,
          source,
          decisions: [{ purpose: 'marketing', decision: 'denied' }],
          at: at(2),
          operator: source === 'admin' ? 'ops-drita' : undefined,
        });
      }
      expect(await marketing(email)).toMatchObject({ decision: 'denied', source });
      expect(await c.consent.mayReceiveMarketing(sensitive(email))).toBe(false);
    }
  });

  it('a replayed or forged token changes nothing, and a token for one subject cannot touch another', async () => {
    await record({ email: 'drita@example.com' });
    await record({ email: 'erion@example.com' });
    const { token } = await c.unsubscribe.issue(sensitive('drita@example.com'));
    const first = await c.unsubscribe.withdraw(token);
    const head = await h.ledger.head();
    expect(await c.unsubscribe.withdraw(token)).toEqual({ ...first, duplicate: true });
    const [id] = token.split('.');
    for (const forged of [
      `${id}.${'A'.repeat(22)}`,
      `${'B'.repeat(22)}.${token.split('.')[1]}`,
      'erion@example.com',
      '',
    ]) {
      await expect(c.unsubscribe.withdraw(forged)).rejects.toMatchObject({ code: 'UNSUBSCRIBE_TOKEN_INVALID' });
    }
    expect((await h.ledger.head()).seq).toBe(head.seq);
    expect(await marketing('erion@example.com')).toMatchObject({ decision: 'granted' });
    expect(token).not.toContain('drita');
  });

  it("links a visitor's earlier choices to the person at checkout", async () => {
    const visitorId = 'v_8d2k4m6n8p0r2t4v';
    await c.consent.record(
      {
        ...consent(),
        subject: { visitorId },
        source: 'banner',
        decisions: [{ purpose: 'statistics', decision: 'granted' }],
      },
      'test/v1',
    );
    await c.consent.record(
      { ...consent({ at: at(5) }), subject: { email: sensitive('fatos@example.com'), visitorId, wpUserId: 12 } },
      'test/v2',
    );
    const state = await c.consent.state(ref('fatos@example.com'));
    expect(
      !state.erased && state.purposes.filter((p) => p.rule !== 'no-record').map((p) => [p.purpose, p.decision]),
    ).toEqual([
      ['marketing', 'granted'],
      ['statistics', 'granted'],
    ]);
    expect(await c.consent.history(ref('fatos@example.com'))).toHaveLength(2);
  });

  it('publishes versions idempotently, refuses another text under a label, and lists who must consent again', async () => {
    await record({ email: 'gent@example.com', at: '2026-10-20T10:00:00.000Z' });
    await expect(
      c.policies.publish({
        text: Buffer.from('other text'),
        version: 'pp-1',
        effective: '2026-10-01',
        material: false,
        languages: ['sq'],
      }),
    ).rejects.toMatchObject({ code: 'POLICY_VERSION_CONFLICT' });
    expect((await c.policies.reconsent()).subjects).toEqual([]);
    await c.policies.publish({
      text: Buffer.from('Politika v2'),
      version: 'pp-2',
      effective: '2026-11-01',
      material: true,
      languages: ['sq', 'en'],
    });
    expect((await c.policies.current()).version).toBe('pp-2');
    expect((await c.policies.list()).map((v) => v.version)).toEqual(['pp-2', 'pp-1']);
    const before = await c.policies.reconsent();
    expect(before.subjects.map((s) => s.subject)).toEqual([
      (await h.ledger.linkedRefs(ref('gent@example.com'))).subject,
    ]);
    await record({ email: 'gent@example.com', policyVersion: 'pp-2', at: '2026-11-01T09:30:00.000Z' });
    expect((await c.policies.reconsent()).subjects).toEqual([]);
  });

  it('after a shred the state reads erased and receipts are gone', async () => {
    const { eventId } = await record({ email: 'hana@example.com' });
    expect((await c.receipts.get(eventId)).piiPrincipalId).toBe('h***@example.com');
    await h.ledger.shred(ref('hana@example.com'));
    expect(await c.consent.state(ref('hana@example.com'))).toEqual({ erased: true });
    await expect(c.receipts.get(eventId)).rejects.toMatchObject({ code: 'CONSENT_SUBJECT_ERASED' });
    expect(await c.consent.mayReceiveMarketing(sensitive('hana@example.com'))).toBe(false);
    expect(
      (await h.ledger.timeline(ref('hana@example.com'))).every((e) => e.personal === null || e.personal === ERASED),
    ).toBe(true);
  });

  it('history and projection agree after any sequence of grants, denials, GPC records and policy changes', async () => {
    const people = ['ilir@example.com', 'jeta@example.com', 'klea@example.com'];
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('consent' as const),
        person: fc.integer({ min: 0, max: 2 }),
        minute: fc.integer({ min: 0, max: 50 }),
        gpc: fc.boolean(),
        overridesGpc: fc.boolean(),
        source: fc.constantFrom('checkout', 'banner', 'account-page', 'admin', 'import') as fc.Arbitrary<
          ConsentInput['source']
        >,
        decisions: fc.uniqueArray(
          fc.record({
            purpose: fc.constantFrom('preferences', 'statistics', 'marketing'),
            decision: fc.constantFrom('granted' as const, 'denied' as const),
          }),
          { minLength: 1, maxLength: 3, selector: (d) => d.purpose },
        ),
      }),
      fc.record({ kind: fc.constant('unsubscribe' as const), person: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant('policy' as const), material: fc.boolean() }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        run++;
        const versions = ['pp-1'];
        for (const s of steps) {
          if (s.kind === 'policy') {
            const version = `pp-r${run}-${versions.length}`;
            await c.policies.publish({
              text: Buffer.from(version),
              version,
              effective: '2026-10-15',
              material: s.material,
              languages: ['sq'],
            });
            versions.push(version);
          } else if (s.kind === 'unsubscribe') {
            const { token } = await c.unsubscribe.issue(sensitive(`r${run}.${people[s.person]}`));
            await c.unsubscribe.withdraw(token);
          } else {
            await record({
              email: `r${run}.${people[s.person]}`,
              source: s.source,
              decisions: s.decisions,
              gpc: s.gpc,
              overridesGpc: s.overridesGpc,
              at: at(s.minute),
              policyVersion: versions[versions.length - 1]!,
            });
          }
        }
        const live = await c.store.allStates();
        await c.projector.rebuild();
        expect(await c.store.allStates()).toEqual(live);
        // …and each person's state is what the pure rules make of their history in the ledger alone.
        for (const p of people) {
          const r = ref(`r${run}.${p}`);
          const events: ConsentEvent[] = (await c.consent.history(r)).map((e) => ({
            ...e,
            overridesGpc: false,
            ...(e as unknown as { overridesGpc?: boolean }),
          }));
          const timeline = await h.ledger.timeline(r);
          const model = reduce(
            timeline
              .filter((e) => e.kind === 'consent.recorded')
              .map((e) => ({ ...(e.detail as unknown as ConsentEvent), at: e.at, seq: e.seq })),
          );
          const state = await c.consent.state(r);
          if (state.erased) throw new Error('unexpected erasure');
          expect(
            state.purposes.filter((x) => x.rule !== 'no-record').map((x) => [x.purpose, x.decision, x.rule, x.eventId]),
          ).toEqual(
            [...model.values()]
              .sort((a, b) => a.purpose.localeCompare(b.purpose))
              .map((x) => [x.purpose, x.decision, x.rule, x.eventId]),
          );
          expect(events.length).toBe(timeline.filter((e) => e.kind === 'consent.recorded').length);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
}
