import type { EntryDraft } from '../chain.js';
import { storedRef } from '../ledger-rows.js';
import { appendRow } from './sqlite-append.js';
import { packRows, unpackRows } from './sqlite-ledger-writer.js';

const draft = (key: string, over: Partial<EntryDraft> = {}): EntryDraft => ({
  key,
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

describe('rows crossing to the ledger writer thread', () => {
  it('arrive as the rows an append on this thread writes, newlines in keys and texts included', () => {
    const drafts = [
      draft('order-1/status', {
        detail: '{"note":"rreshti i parë\\nrreshti i dytë"}',
        dataKeyId: 'dk-1',
        ciphertext: Buffer.from([0, 10, 13, 255]),
      }),
      draft('key with a\nnewline', { source: 'line\none', categories: ['contact', 'identity'] }),
      draft('order-2/çelës-ë', { subject: storedRef('a'.repeat(64)) }),
    ];
    expect(unpackRows(packRows(drafts))).toEqual(drafts.map(appendRow));
  });
});
