import type { Ledger } from '../ledger/index.js';
import type { DsrRow } from './dsr-store.js';

/** One request's entries in the ledger, oldest first: each step's kind, time and detail (ids, enums, counts — never the e-mail). */
export async function requestSteps(ledger: Pick<Ledger, 'entriesOf'>, row: Pick<DsrRow, 'id' | 'subject'>) {
  return (await ledger.entriesOf([row.subject]))
    .filter((e) => e.kind.startsWith('dsr.') && e.detail?.includes(row.id))
    .map((e) => ({ kind: e.kind, at: e.at, detail: JSON.parse(e.detail!) as Record<string, unknown> }));
}
