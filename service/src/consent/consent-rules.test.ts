import fc from 'fast-check';
import { checkDecisions, effectsOf, reduce, type ConsentEvent } from './consent-rules.js';
import { newUnsubscribeToken, receiptPath, receiptSignatureValid, verifyUnsubscribeToken } from './links.js';
import { maskEmail } from './receipts.js';

const event = (over: Partial<ConsentEvent>): ConsentEvent => ({
  eventId: 'e',
  seq: 1,
  at: '2026-11-01T10:00:00.000Z',
  source: 'banner',
  decisions: [],
  gpc: false,
  overridesGpc: false,
  policyVersion: 'pp-1',
  ...over,
});

describe('GPC precedence', () => {
  it('denies marketing and statistics on a GPC record, whatever it says', () => {
    expect(
      effectsOf(
        event({
          gpc: true,
          decisions: [
            { purpose: 'marketing', decision: 'granted' },
            { purpose: 'preferences', decision: 'granted' },
          ],
        }),
      ),
    ).toEqual([
      { purpose: 'marketing', decision: 'denied', rule: 'gpc' },
      { purpose: 'preferences', decision: 'granted', rule: 'explicit' },
      { purpose: 'statistics', decision: 'denied', rule: 'gpc' },
    ]);
  });
  it('lets an explicit override stand for the purposes it decides, and only those', () => {
    expect(
      effectsOf(event({ gpc: true, overridesGpc: true, decisions: [{ purpose: 'marketing', decision: 'granted' }] })),
    ).toEqual([
      { purpose: 'marketing', decision: 'granted', rule: 'explicit' },
      { purpose: 'statistics', decision: 'denied', rule: 'gpc' },
    ]);
  });
  it('a later explicit grant wins over an earlier GPC denial; an earlier one does not', () => {
    const gpc = event({ eventId: 'g', seq: 2, gpc: true, at: '2026-11-01T10:05:00.000Z' });
    const later = event({
      eventId: 'l',
      seq: 3,
      at: '2026-11-01T10:06:00.000Z',
      decisions: [{ purpose: 'marketing', decision: 'granted' }],
    });
    const earlier = { ...later, eventId: 'x', at: '2026-11-01T10:04:00.000Z' };
    expect(reduce([gpc, later]).get('marketing')).toMatchObject({
      decision: 'granted',
      rule: 'explicit',
      eventId: 'l',
    });
    expect(reduce([earlier, gpc]).get('marketing')).toMatchObject({ decision: 'denied', rule: 'gpc', eventId: 'g' });
  });
});

describe('the state reducer', () => {
  const arbEvent = fc
    .record({
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      minute: fc.integer({ min: 0, max: 30 }),
      gpc: fc.boolean(),
      overridesGpc: fc.boolean(),
      decisions: fc.uniqueArray(
        fc.record({
          purpose: fc.constantFrom('preferences', 'statistics', 'marketing'),
          decision: fc.constantFrom('granted' as const, 'denied' as const),
        }),
        { maxLength: 3, selector: (d) => d.purpose },
      ),
    })
    .map((e) => event({ ...e, eventId: `e${e.seq}`, at: new Date(Date.UTC(2026, 10, 1, 10, e.minute)).toISOString() }));

  it('does not depend on the order events arrive in', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbEvent, { selector: (e) => e.seq, maxLength: 20 }), (events) => {
        expect(reduce([...events].reverse())).toEqual(reduce(events));
      }),
    );
  });
});

describe('decisions the policy cannot take', () => {
  const purposes = {
    consentable: new Set(['preferences', 'statistics', 'marketing']),
    necessary: new Set(['necessary']),
  };
  it.each([
    ['necessary', 'CONSENT_PURPOSE_NOT_CONSENTABLE'],
    ['profiling', 'CONSENT_PURPOSE_UNKNOWN'],
  ])('refuses %s', (purpose, code) => {
    expect(() => checkDecisions([{ purpose, decision: 'granted' }], purposes)).toThrow(
      expect.objectContaining({ code }),
    );
  });
});

describe('signed links', () => {
  const secret = Buffer.alloc(32, 1);
  it('verify their own tokens and nothing else', () => {
    const { token, tokenHash } = newUnsubscribeToken(secret);
    expect(verifyUnsubscribeToken(secret, token)).toBe(tokenHash);
    expect(verifyUnsubscribeToken(Buffer.alloc(32, 2), token)).toBeNull();
    const [id, sig0] = token.split('.') as [string, string];
    expect(verifyUnsubscribeToken(secret, `${id}.${sig0.startsWith('A') ? 'B' : 'A'}${sig0.slice(1)}`)).toBeNull();
    const now = new Date('2026-11-24T10:00:00Z');
    const link = new URL(`http://x${receiptPath(secret, 'ab'.repeat(16), now)}`).searchParams;
    const [exp, sig] = [link.get('exp'), link.get('sig')];
    expect(receiptSignatureValid(secret, 'ab'.repeat(16), exp, sig, now)).toBe(true);
    expect(receiptSignatureValid(secret, 'cd'.repeat(16), exp, sig, now)).toBe(false);
    // The expiry is signed: moved later, the link is refused; past it, refused too.
    expect(receiptSignatureValid(secret, 'ab'.repeat(16), String(Number(exp) + 86_400), sig, now)).toBe(false);
    expect(receiptSignatureValid(secret, 'ab'.repeat(16), exp, sig, new Date(now.getTime() + 30 * 86_400_000))).toBe(
      false,
    );
    expect(receiptSignatureValid(secret, 'ab'.repeat(16), exp, sig, new Date(now.getTime() + 29 * 86_400_000))).toBe(
      true,
    );
  });

  it('show a masked e-mail on a receipt', () => {
    expect(maskEmail('drita.hoxha@example.al')).toBe('d***@example.al');
    expect(maskEmail('ë@example.al')).toBe('ë***@example.al');
    expect(maskEmail('broken')).toBe('***');
  });
});
