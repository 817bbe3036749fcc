import { FactShape, isWellFormedFact } from './fact-shape.js';

const ok = {
  key: 'order-1/status/new-pending@2026-01-01T00:00:00',
  kind: 'order.status',
  subject: 'a'.repeat(64),
  purpose: 'payment',
  legalBasis: 'contract',
  categories: ['payment'],
  source: 'order-1',
};
const cases: [string, unknown][] = [
  ['minimal', { key: 'k', kind: 'a.b' }],
  ['full', ok],
  ['nulls', { ...ok, subject: null, purpose: null, legalBasis: null, source: null }],
  ['extra fields ignored', { ...ok, detail: { x: 1 }, personal: {} }],
  ['not an object', 'x'],
  ['null', null],
  ['array', []],
  ['no key', { kind: 'a.b' }],
  ['empty key', { ...ok, key: '' }],
  ['key 300', { ...ok, key: 'k'.repeat(300) }],
  ['key 301', { ...ok, key: 'k'.repeat(301) }],
  ['key number', { ...ok, key: 1 }],
  ['kind one part', { ...ok, kind: 'order' }],
  ['kind upper', { ...ok, kind: 'Order.status' }],
  ['kind digit first', { ...ok, kind: '1order.status' }],
  ['kind three parts', { ...ok, kind: 'a-b.c-1.d' }],
  ['kind trailing dot', { ...ok, kind: 'a.' }],
  ['kind newline', { ...ok, kind: 'a.b\n' }],
  ['subject short', { ...ok, subject: 'a'.repeat(63) }],
  ['subject upper', { ...ok, subject: 'A'.repeat(64) }],
  ['subject number', { ...ok, subject: 5 }],
  ['subject empty', { ...ok, subject: '' }],
  ['purpose 64', { ...ok, purpose: 'p'.repeat(64) }],
  ['purpose 65', { ...ok, purpose: 'p'.repeat(65) }],
  ['purpose empty', { ...ok, purpose: '' }],
  ['legalBasis 65', { ...ok, legalBasis: 'l'.repeat(65) }],
  ['legalBasis number', { ...ok, legalBasis: 1 }],
  ['source 200', { ...ok, source: 's'.repeat(200) }],
  ['source 201', { ...ok, source: 's'.repeat(201) }],
  ['source astral', { ...ok, source: '😀'.repeat(100) }],
  ['source astral over', { ...ok, source: '😀'.repeat(101) }],
  ['key astral 300', { ...ok, key: '😀'.repeat(300) }],
  ['key astral 301', { ...ok, key: '😀'.repeat(301) }],
  ['category astral', { ...ok, categories: ['😀'.repeat(64)] }],
  ['category astral over', { ...ok, categories: ['😀'.repeat(65)] }],
  ['categories null', { ...ok, categories: null }],
  ['categories empty', { ...ok, categories: [] }],
  ['categories 64', { ...ok, categories: Array.from({ length: 64 }, () => 'c') }],
  ['categories 65', { ...ok, categories: Array.from({ length: 65 }, () => 'c') }],
  ['category empty', { ...ok, categories: [''] }],
  ['category 65', { ...ok, categories: ['c'.repeat(65)] }],
  ['category number', { ...ok, categories: [1] }],
  ['categories string', { ...ok, categories: 'payment' }],
];

describe('isWellFormedFact', () => {
  it.each(cases)("gives zod FactShape's verdict: %s", (_name, fact) => {
    expect(isWellFormedFact(fact)).toBe(FactShape.safeParse(fact).success);
  });
});
