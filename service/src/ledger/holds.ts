import { createHash } from 'node:crypto';
import { AppError } from '../platform/errors.js';
import { canonicalJson, type JsonObject, type JsonValue } from './canonical-json.js';
import type { EntryDraft, LedgerEntry } from './chain.js';
import { open, seal } from './envelope.js';
import type { MasterKeyring } from './keyring.js';
import type { LedgerStore, StoredDataKey } from './ledger-store.js';
import { storedSubjectRef, type SubjectRef } from './subject-ref.js';

/**
 * Holds: what the shop keeps by right of an erased subject (an order for accounting, a session still to
 * come) stays readable in the ledger until its hold ends. Entries are never rewritten, so before the
 * subject's keys are shredded each kept value is re-sealed, as a new entry of kind RETAINED, under a key
 * of its hold (a hold key: StoredDataKey.hold); the timeline reads a shredded entry through the live
 * copies of it, and the hold's release shreds the hold key, so the copies read erased like the rest.
 * The chain covers the copies as it covers every entry: it still verifies after both shreds.
 */
export const RETAINED = 'ledger.value-retained';
export const HOLD_RELEASED = 'ledger.hold-released';

/** Which hold keeps which part of an entry's values: all of them, or the fields (keys of its object) `keep` accepts. */
export type Retention = { readonly hold: string; readonly keep: 'all' | ((field: string) => boolean) };
/** An entry as a hold's choice sees it (a timeline entry but its values): its detail parsed, no ciphertext. */
export type RetainCandidate = Omit<LedgerEntry, 'ciphertext' | 'detail'> & { readonly detail: JsonObject | null };

/** Hold labels go in clear into keys and details: ids and item names, never personal values. */
const HOLD_LABEL = /^[A-Za-z0-9._@/-]{1,300}$/;
export function checkHold(hold: string): string {
  if (!HOLD_LABEL.test(hold)) throw new AppError('LEDGER_ENTRY_INVALID', { reason: 'hold label not an id' });
  return hold;
}

export const retainedKey = (hold: string, of: string) => `${RETAINED}/${hold}/${of}`;

/** The part of a value a hold keeps; undefined when it keeps nothing of it. */
export function keptPart(value: JsonValue, keep: Retention['keep']): JsonValue | undefined {
  if (keep === 'all') return value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const part = Object.fromEntries(Object.entries(value).filter(([field]) => keep(field)));
  return Object.keys(part).length > 0 ? part : undefined;
}

type Copy = { readonly whole: boolean; readonly value: JsonValue };

/**
 * What the live copies among `all` (a subject's entries) still say of each entry, by the entry's key: a
 * whole copy is the value, partial ones join field by field. `live` maps live data key ids to their keys.
 */
export function keptValues(all: readonly LedgerEntry[], live: ReadonlyMap<string, Buffer>): Map<string, JsonValue> {
  const copies = new Map<string, Copy[]>();
  for (const c of all) {
    const key = c.kind === RETAINED && c.ciphertext && c.dataKeyId ? live.get(c.dataKeyId) : undefined;
    if (!key) continue;
    const detail = JSON.parse(c.detail ?? '{}') as { of?: string; whole?: boolean };
    if (typeof detail.of !== 'string') continue;
    const value = JSON.parse(open(key, c.ciphertext!, c.key).toString('utf8')) as JsonValue;
    copies.set(detail.of, [...(copies.get(detail.of) ?? []), { whole: detail.whole === true, value }]);
  }
  const out = new Map<string, JsonValue>();
  for (const [of, list] of copies) {
    const whole = list.find((c) => c.whole);
    out.set(of, whole ? whole.value : Object.assign({}, ...list.map((c) => c.value as JsonObject)));
  }
  return out;
}

type SealedHold = { id: string; key: Buffer; fresh: StoredDataKey | null };

/** The hold's live key (a retry re-seals under the key it sealed under before), else a fresh one for `subject`. */
export async function holdKey(
  deps: { store: LedgerStore; keyring: MasterKeyring },
  hold: string,
  subject: string,
  at: string,
): Promise<SealedHold> {
  const [live] = await deps.store.liveHoldKeys(hold);
  if (live) return { id: live.id, key: deps.keyring.unwrap(live), fresh: null };
  const made = deps.keyring.newDataKey(subject, at, hold);
  return { id: made.stored.id, key: made.key, fresh: made.stored };
}

/** The copy of an entry's kept part, sealed under the hold's key; bound to its own natural key (AAD). */
export function copyDraft(
  e: RetainCandidate,
  hold: string,
  whole: boolean,
  value: JsonValue,
  sealed: SealedHold,
  at: string,
  detail: JsonObject = {},
): EntryDraft {
  const key = retainedKey(hold, e.key);
  return {
    key,
    kind: RETAINED,
    subject: e.subject,
    purpose: e.purpose,
    legalBasis: e.legalBasis,
    categories: e.categories,
    source: e.source,
    detail: canonicalJson({ ...detail, of: e.key, hold, whole }),
    at,
    ciphertext: seal(sealed.key, Buffer.from(JSON.stringify(value), 'utf8'), key),
    dataKeyId: sealed.id,
  };
}

/** The fact recording a hold's release, keyed by the keys it destroys (a retry neither loses nor repeats it). */
export function releasedFact(hold: string, keys: readonly StoredDataKey[], context: ReleaseContext) {
  const ids = keys.map((k) => k.id);
  const digest = createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32);
  return {
    ids,
    fact: {
      key: `${HOLD_RELEASED}/${hold}/${digest}`,
      kind: HOLD_RELEASED,
      subject: storedSubjectRef(keys[0]!.subject) as SubjectRef,
      source: context.source ?? null,
      detail: { ...context.detail, hold, dataKeys: ids.length },
    },
  };
}
export type ReleaseContext = { source?: string; detail?: JsonObject };
