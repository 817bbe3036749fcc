import { canonicalJson } from './canonical-json.js';
import {
  canonical,
  canonicalOf,
  canonicalTail,
  ChainVerifier,
  GENESIS,
  link,
  type EntryDraft,
  type LedgerEntry,
} from './chain.js';
import { storedRef } from './ledger-rows.js';

const draft = (i: number, over: Partial<EntryDraft> = {}): EntryDraft => ({
  key: `k-${i}`,
  kind: 'test.fact',
  subject: null,
  purpose: null,
  legalBasis: null,
  categories: [],
  source: null,
  detail: null,
  at: '2026-11-01T10:00:00.000Z',
  ciphertext: null,
  dataKeyId: null,
  ...over,
});

const chainOf = (n: number) => {
  const out: LedgerEntry[] = [];
  for (let i = 1; i <= n; i++)
    out.push(link(out[out.length - 1] ?? GENESIS, draft(i, { ciphertext: Buffer.from([i]) })));
  return out;
};

const verify = (entries: LedgerEntry[], expected?: { seq: number; hash: string }) => {
  const v = new ChainVerifier(undefined, expected);
  for (const e of entries) if (!v.push(e)) break;
  return v.finish();
};

describe('the hash chain', () => {
  it('links each entry to the one before', () => {
    const [a, b] = chainOf(2);
    expect(a).toMatchObject({ seq: 1, prevHash: GENESIS.hash });
    expect(b!.prevHash).toBe(a!.hash);
    expect(verify(chainOf(5))).toEqual({ ok: true, checked: 5, head: { seq: 5, hash: chainOf(5)[4]!.hash } });
  });

  it('covers every field, including the ciphertext and the data key id', () => {
    const entries = chainOf(3);
    for (const change of [
      { ciphertext: Buffer.from([9]) },
      { dataKeyId: 'x' },
      { categories: ['contact'] },
      { at: '2026-11-01T10:00:01.000Z' },
      { detail: '{"a":1}' },
    ]) {
      const tampered = entries.map((e) => (e.seq === 2 ? { ...e, ...change } : e));
      expect(verify(tampered)).toMatchObject({ ok: false, checked: 1, break: { seq: 2, reason: 'hash-mismatch' } });
    }
  });

  it('names a missing entry, a reordering, and a truncated tail', () => {
    const entries = chainOf(5);
    expect(verify(entries.filter((e) => e.seq !== 3))).toMatchObject({ break: { seq: 3, reason: 'missing-entry' } });
    expect(verify([entries[0]!, entries[2]!, entries[1]!])).toMatchObject({
      break: { seq: 2, reason: 'missing-entry' },
    });
    expect(verify(entries.slice(0, 3), { seq: 5, hash: entries[4]!.hash })).toMatchObject({
      ok: false,
      break: { seq: 4, reason: 'truncated' },
    });
    expect(verify(entries, { seq: 4, hash: entries[3]!.hash })).toMatchObject({ ok: true });
    expect(verify(entries, { seq: 4, hash: 'f'.repeat(64) })).toMatchObject({
      ok: false,
      break: { seq: 4, reason: 'head-mismatch' },
    });
  });
});

describe('the canonical encoding', () => {
  it('is one JSON array of the format, seq, previous hash and every field, however the tail was written ahead', () => {
    const awkward = 'a\u0001"\\é😀\u2028/';
    const d = draft(7, {
      key: awkward,
      subject: storedRef('ab'.repeat(32)),
      categories: ['contact', 'identity'],
      source: awkward,
      detail: JSON.stringify({ note: awkward }),
      ciphertext: Buffer.from([0, 171, 255]),
      dataKeyId: 'key-1',
    });
    const text = canonical(42, 'f'.repeat(64), d);
    expect(JSON.parse(text)).toEqual([
      2,
      42,
      'f'.repeat(64),
      awkward,
      'test.fact',
      'ab'.repeat(32),
      null,
      null,
      ['contact', 'identity'],
      awkward,
      d.detail,
      d.at,
      '00ABFF',
      'key-1',
    ]);
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    expect(canonicalOf(42, 'f'.repeat(64), canonicalTail(d))).toBe(text);
  });
});

describe('canonicalJson', () => {
  it('encodes equal values identically, whatever their key order', () => {
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":null,"d":true}]}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
