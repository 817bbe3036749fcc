import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { Sensitive } from '../platform/sensitive.js';
import { canonicalJson, JsonText, type JsonObject, type JsonValue } from './canonical-json.js';
import type { ChainHead, EntryDraft, LedgerEntry, VerifyResult } from './chain.js';
import { open, seal } from './envelope.js';
import { FactShape, isWellFormedFact } from './fact-shape.js';
import type { MasterKeyring } from './keyring.js';
import type { LedgerStore, StoredDataKey } from './ledger-store.js';
import {
  checkHold,
  copyDraft,
  holdKey,
  keptPart,
  keptValues,
  releasedFact,
  RETAINED,
  retainedKey,
  type ReleaseContext,
  type RetainCandidate,
  type Retention,
} from './holds.js';
import { keyedFingerprint, subjectRef, type SubjectRef } from './subject-ref.js';

/** A fact to record. Personal values go in `personal` (encrypted under the subject's data key), never elsewhere. */
export type Fact = {
  readonly key: string;
  readonly kind: string;
  readonly subject?: SubjectRef | null;
  readonly purpose?: string | null;
  readonly legalBasis?: string | null;
  readonly categories?: readonly string[];
  readonly source?: string | null;
  /** Non-personal facts in clear: ids, enums, counts, hashes (as JsonText: their canonicalJson text). */
  readonly detail?: JsonObject | JsonText | null;
  readonly at?: Date | string;
  readonly personal?: Sensitive<JsonValue | JsonText>;
};

const detailText = (detail: JsonObject | JsonText): string =>
  detail instanceof JsonText ? detail.text : canonicalJson(detail);
const personalText = (personal: JsonValue | JsonText): string =>
  personal instanceof JsonText ? personal.text : JSON.stringify(personal);

/** Categories as the chain records them: sorted, each once (most facts name one: no copy then). */
const sortedUnique = (categories: readonly string[] = []): readonly string[] =>
  categories.length <= 1 ? categories : [...new Set(categories)].sort();

/** A data key made for a subject by this append: stored with its entries, cached once they committed. */
type FreshKey = { subject: string; stored: StoredDataKey; key: Buffer };

/** Drafts per chunk handed to a store that writes while the next chunk is sealed. */
const CHUNK = 100;

function* chunksOf<T>(count: number, make: (i: number) => T): Generator<T[]> {
  for (let from = 0; from < count; from += CHUNK) {
    const chunk: T[] = [];
    for (let i = from; i < Math.min(count, from + CHUNK); i++) chunk.push(make(i));
    yield chunk;
  }
}

/** What a read returns in place of a value whose data key was shredded. */
export const ERASED = Object.freeze({ erased: true as const });
export type Erased = typeof ERASED;

export type TimelineEntry = RetainCandidate & { readonly personal: JsonValue | Erased | null };

export type LedgerDeps = { store: LedgerStore; keyring: MasterKeyring; pepper: Buffer; clock: Clock };

/** The privacy ledger: append facts, read a subject's timeline, shred a subject, verify the chain. */
export class Ledger {
  readonly #keyCache = new Map<string, Buffer>(); // data key id → unwrapped key
  readonly #activeKey = new Map<string, string>(); // subject id → data key id
  readonly #subjectOf = new Map<SubjectRef, string>(); // ref → subject id
  // subject id → the key an append under way made for it: an append started meanwhile (the backfill's next
  // page) uses it too instead of making a second; if that append fails, the in-transaction check refuses it.
  readonly #pendingKeys = new Map<string, { id: string; key: Buffer }>();

  constructor(private readonly deps: LedgerDeps) {}

  subjectRef(email: Sensitive<string>): SubjectRef {
    return subjectRef(email, this.deps.pepper);
  }

  /** keyedFingerprint under this ledger's pepper. */
  fingerprint(value: JsonValue | JsonText): string {
    return keyedFingerprint(value, this.deps.pepper);
  }

  async record(fact: Fact): Promise<LedgerEntry> {
    return (await this.recordMany([fact]))[0]!;
  }

  /** Appends in one transaction. Facts whose key is already stored return the stored entry. */
  async recordMany(facts: readonly Fact[]): Promise<LedgerEntry[]> {
    try {
      return await this.#append(facts);
    } catch (err) {
      // Another process shredded a subject whose key we had cached: forget it and try once more.
      if (!(err instanceof AppError && err.code === 'LEDGER_KEY_UNAVAILABLE')) throw err;
      this.#forgetKeys();
      return this.#append(facts);
    }
  }

  /**
   * New subjects' data keys go into the append's own transaction, and are cached only once it committed.
   * The store gets the drafts sealed CHUNK at a time (SQLite's writer thread writes one while the next is sealed).
   */
  async #append(facts: readonly Fact[]): Promise<LedgerEntry[]> {
    const { store } = this.deps;
    const fresh: FreshKey[] = [];
    try {
      const draft = await this.#drafter(facts, fresh);
      const newKeys = fresh.map((k) => k.stored);
      const entries = await store.append(chunksOf(facts.length, draft), facts.length, newKeys);
      for (const k of fresh) this.#remember(k.subject, k.stored.id, k.key);
      return entries;
    } finally {
      for (const k of fresh)
        if (this.#pendingKeys.get(k.subject)?.id === k.stored.id) this.#pendingKeys.delete(k.subject);
    }
  }

  /**
   * Validates every fact first (the first invalid one throws), then resolves each distinct subject's
   * data key once per call — one store round trip for all the refs, not two per fact. Returns the
   * sealing of the i-th fact into its draft.
   */
  async #drafter(facts: readonly Fact[], fresh: FreshKey[]): Promise<(i: number) => EntryDraft> {
    const now = this.deps.clock.now().toISOString(); // one clock read per batch, for facts without `at`
    const ats = facts.map((fact) => this.#validate(fact, now));
    const firstAt = new Map<SubjectRef, string>();
    facts.forEach((fact, i) => {
      if (fact.personal !== undefined && !firstAt.has(fact.subject!)) firstAt.set(fact.subject!, ats[i]!);
    });
    const keys = new Map<SubjectRef, { id: string; key: Buffer }>();
    const unresolved: SubjectRef[] = [];
    for (const ref of firstAt.keys()) {
      const cached = this.#cachedKeyOf(ref);
      if (cached) keys.set(ref, cached);
      else unresolved.push(ref);
    }
    if (unresolved.length > 0) {
      const subjects = await this.deps.store.ensureSubjects(unresolved);
      for (const ref of unresolved) {
        const subject = subjects.get(ref)!;
        keys.set(ref, await this.#activeDataKey(subject, firstAt.get(ref)!, fresh));
        this.#subjectOf.set(ref, subject);
      }
    }
    return (i) => {
      const fact = facts[i]!;
      const dataKey = fact.personal === undefined ? undefined : keys.get(fact.subject!)!;
      return {
        key: fact.key,
        kind: fact.kind,
        subject: fact.subject ?? null,
        purpose: fact.purpose ?? null,
        legalBasis: fact.legalBasis ?? null,
        categories: sortedUnique(fact.categories),
        source: fact.source ?? null,
        detail: fact.detail ? detailText(fact.detail) : null,
        at: ats[i]!,
        ciphertext: dataKey
          ? seal(dataKey.key, Buffer.from(personalText(fact.personal!.reveal()), 'utf8'), fact.key)
          : null,
        dataKeyId: dataKey?.id ?? null,
      };
    };
  }

  /** Throws LEDGER_ENTRY_INVALID; returns the fact's time as ISO-8601. */
  #validate(fact: Fact, now: string): string {
    const shape = isWellFormedFact(fact) ? null : FactShape.safeParse(fact);
    if (shape && !shape.success)
      throw new AppError('LEDGER_ENTRY_INVALID', { key: fact.key, fields: z.flattenError(shape.error).fieldErrors });
    if (shape)
      throw new AppError('LEDGER_ENTRY_INVALID', { key: fact.key, reason: 'fact-shape check and schema disagree' });
    const at = fact.at === undefined || fact.at === null ? now : new Date(fact.at).toISOString();
    if (fact.personal !== undefined && !fact.subject)
      throw new AppError('LEDGER_ENTRY_INVALID', { key: fact.key, reason: 'personal values need a subject' });
    return at;
  }

  /** Two refs of one subject in one batch share the key made for the first. */
  async #activeDataKey(subject: string, at: string, fresh: FreshKey[]): Promise<{ id: string; key: Buffer }> {
    const cachedId = this.#activeKey.get(subject);
    const cached = cachedId && this.#keyCache.get(cachedId);
    if (cachedId && cached) return { id: cachedId, key: cached };
    const made = fresh.find((k) => k.subject === subject);
    if (made) return { id: made.stored.id, key: made.key };
    const pending = this.#pendingKeys.get(subject);
    if (pending) return pending;
    const stored = await this.deps.store.activeDataKey(subject);
    if (stored) return this.#remember(subject, stored.id, this.deps.keyring.unwrap(stored));
    const key = this.deps.keyring.newDataKey(subject, at);
    fresh.push({ subject, ...key });
    this.#pendingKeys.set(subject, { id: key.stored.id, key: key.key });
    return { id: key.stored.id, key: key.key };
  }

  /**
   * The steady state of a batch: the ref's subject and that subject's active key are both cached, so
   * no store round trip. A ref cached before another process merged its subject still finds a key of
   * the same person (merges move keys); a key shredded meanwhile fails the append's in-transaction
   * liveness check, which clears the caches and retries.
   */
  #cachedKeyOf(ref: SubjectRef): { id: string; key: Buffer } | undefined {
    const subject = this.#subjectOf.get(ref);
    const id = subject === undefined ? undefined : this.#activeKey.get(subject);
    const key = id === undefined ? undefined : this.#keyCache.get(id);
    return key && { id: id!, key };
  }

  #forgetKeys() {
    this.#pendingKeys.clear();
    this.#activeKey.clear();
    this.#keyCache.clear();
    this.#subjectOf.clear();
  }

  #remember(subject: string, id: string, key: Buffer) {
    if (this.#keyCache.size > 10_000) this.#keyCache.clear();
    if (this.#subjectOf.size > 10_000) this.#subjectOf.clear();
    this.#keyCache.set(id, key);
    this.#activeKey.set(subject, id);
    return { id, key };
  }

  /**
   * Every entry of the subject (all linked refs), personal values decrypted or ERASED. A value a hold
   * keeps (holds.ts) reads through its hold's copy after the subject's shred, until the hold is released;
   * the copies themselves are not listed. With `kinds`, only entries of those kinds are read and decrypted
   * (e.g. appointments alone).
   */
  async timeline(ref: SubjectRef, options: { kinds?: readonly string[] } = {}): Promise<TimelineEntry[]> {
    return (await this.#read(ref, options.kinds)).entries;
  }

  async #read(ref: SubjectRef, kinds?: readonly string[]) {
    const { store, keyring } = this.deps;
    const all = await store.entriesOf((await this.linkedRefs(ref)).refs);
    const copies = all.filter((e) => e.kind === RETAINED);
    const entries = all.filter((e) => e.kind !== RETAINED && (!kinds || kinds.includes(e.kind)));
    const ids = [...new Set([...entries, ...copies].map((e) => e.dataKeyId).filter((id): id is string => id !== null))];
    // Always read the stored keys: a key shredded by another process must not decrypt from a cache.
    const live = new Map((await store.dataKeys(ids)).filter((k) => k.wrapped).map((k) => [k.id, keyring.unwrap(k)]));
    const kept = copies.length > 0 ? keptValues(copies, live) : new Map<string, JsonValue>();
    const read = entries.map(({ ciphertext, detail, ...entry }): TimelineEntry => {
      let personal: TimelineEntry['personal'] = null;
      if (ciphertext && entry.dataKeyId) {
        const key = live.get(entry.dataKeyId);
        personal = key
          ? (JSON.parse(open(key, ciphertext, entry.key).toString('utf8')) as JsonValue)
          : (kept.get(entry.key) ?? ERASED);
      }
      return { ...entry, detail: detail === null ? null : (JSON.parse(detail) as JsonObject), personal };
    });
    return { entries: read, copyKeys: new Set(copies.map((c) => c.key)) };
  }

  /**
   * Re-seals what holds keep of the subject's values under each hold's own key, before the subject's keys
   * are shredded: `choose` names, for each entry, the holds that keep it and what of it. A copy already made
   * is not made again (a retry after a crash), and a value already erased cannot be kept. Returns the
   * copies made and the holds they went to.
   */
  async retain(
    ref: SubjectRef,
    choose: (entry: RetainCandidate) => readonly Retention[],
    context: { detail?: JsonObject } = {},
  ): Promise<{ copies: number; holds: string[] }> {
    const subject = await this.deps.store.subjectOf(ref);
    if (!subject) return { copies: 0, holds: [] };
    const { entries, copyKeys } = await this.#read(ref);
    const at = this.deps.clock.now().toISOString();
    const sealed = new Map<string, Awaited<ReturnType<typeof holdKey>>>();
    const drafts: EntryDraft[] = [];
    for (const { personal, ...entry } of entries) {
      if (personal === null || personal === ERASED) continue;
      for (const { hold, keep } of choose(entry)) {
        const part = keptPart(personal, keep);
        if (part === undefined || copyKeys.has(retainedKey(checkHold(hold), entry.key))) continue;
        if (!sealed.has(hold)) sealed.set(hold, await holdKey(this.deps, hold, subject, at));
        drafts.push(copyDraft(entry, hold, keep === 'all', part, sealed.get(hold)!, at, context.detail));
      }
    }
    if (drafts.length === 0) return { copies: 0, holds: [] };
    const fresh = [...sealed.values()].flatMap((k) => (k.fresh ? [k.fresh] : []));
    const written = await this.deps.store.append(
      chunksOf(drafts.length, (i) => drafts[i]!),
      drafts.length,
      fresh,
    );
    return { copies: written.length, holds: [...sealed.keys()] };
  }

  /** A hold ended: destroys its keys, so what it kept reads erased like the rest of the subject. Ledgered first, as a shred is. */
  async releaseHold(
    hold: string,
    context: ReleaseContext = {},
  ): Promise<{ entry: LedgerEntry | null; destroyed: string[] }> {
    const live = await this.deps.store.liveHoldKeys(checkHold(hold));
    if (live.length === 0) return { entry: null, destroyed: [] };
    const { ids, fact } = releasedFact(hold, live, context);
    const entry = await this.record(fact);
    return { entry, destroyed: await this.deps.store.shredDataKeys(ids) };
  }

  /**
   * Crypto-shredding: destroys every data key of the subject, so all their encrypted values become
   * unreadable while the chain still verifies. The shred is ledgered first, keyed by the keys it
   * destroys, so a retry after a crash neither loses nor repeats it.
   */
  async shred(
    ref: SubjectRef,
    context: { source?: string; detail?: JsonObject } = {},
  ): Promise<{ entry: LedgerEntry | null; destroyed: string[] }> {
    const { store } = this.deps;
    const subject = await store.subjectOf(ref);
    const live = subject ? await store.liveDataKeys(subject) : [];
    if (!subject || live.length === 0) return { entry: null, destroyed: [] };
    const ids = live.map((k) => k.id);
    const digest = createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32);
    const entry = await this.record({
      key: `subject.shredded/${subject}/${digest}`,
      kind: 'subject.shredded',
      subject,
      source: context.source ?? null,
      detail: { ...context.detail, dataKeys: ids.length },
    });
    const destroyed = await store.shredDataKeys(ids);
    for (const id of ids) this.#keyCache.delete(id);
    this.#activeKey.delete(subject);
    return { entry, destroyed };
  }

  /** Records that two refs are one person (an email changed); either finds the whole timeline. */
  async link(
    existing: SubjectRef,
    added: SubjectRef,
    context: { source?: string; at?: Date | string } = {},
  ): Promise<LedgerEntry> {
    await this.deps.store.mergeSubjects(existing, added);
    this.#forgetKeys();
    return this.record({
      key: `subject.linked/${existing}/${added}`,
      kind: 'subject.linked',
      subject: added,
      source: context.source ?? null,
      detail: { linkedTo: existing },
      at: context.at,
    });
  }

  /** Re-wraps every live data key under the current master key. Entries are untouched. */
  async rotateMasterKey(): Promise<{ rewrapped: number; entry: LedgerEntry }> {
    const { store, keyring } = this.deps;
    let rewrapped = 0;
    let after = '';
    for (;;) {
      const page = await store.liveDataKeysPage(after, 500);
      for (const k of page) {
        if (k.masterKeyId === keyring.current.id) continue;
        await store.rewrapDataKey(k.id, keyring.rewrap(k), keyring.current.id);
        rewrapped++;
      }
      if (page.length < 500) break;
      after = page[page.length - 1]!.id;
    }
    const at = this.deps.clock.now().toISOString();
    const entry = await this.record({
      key: `ledger.master-key-rotated/${keyring.current.id}/${at}`,
      kind: 'ledger.master-key-rotated',
      detail: { masterKeyId: keyring.current.id, rewrapped },
      at,
    });
    return { rewrapped, entry };
  }

  head() {
    return this.deps.store.head();
  }

  read(afterSeq: number, limit: number) {
    return this.deps.store.read(afterSeq, Math.min(Math.max(limit, 1), 1_000));
  }

  /** Streams the whole chain through the verifier; `expected` is a head recorded earlier (detects truncation). */
  verify(expected?: ChainHead): Promise<VerifyResult> {
    return this.deps.store.verify(expected);
  }

  /** The entry recorded under a natural key, if any (personal values still sealed). */
  byKey(key: string): Promise<LedgerEntry | null> {
    return this.deps.store.byKey(key);
  }

  /** Entries recorded about exactly these refs (no linked ones), ascending, personal values still sealed. */
  entriesOf(refs: readonly string[]): Promise<LedgerEntry[]> {
    return this.deps.store.entriesOf(refs);
  }

  /** Every entry after `afterSeq` in order, in bounded memory. */
  scan(afterSeq = 0): AsyncIterable<LedgerEntry> {
    return this.deps.store.scan(afterSeq);
  }

  /** `scan` in pages: one await per page. */
  scanPages(afterSeq = 0): AsyncIterable<readonly LedgerEntry[]> {
    return this.deps.store.scanPages(afterSeq);
  }

  /** Whether two refs are known to be one subject (linked, or the same ref seen before). */
  async areLinked(a: SubjectRef, b: SubjectRef): Promise<boolean> {
    const [sa, sb] = await Promise.all([this.deps.store.subjectOf(a), this.deps.store.subjectOf(b)]);
    return sa !== null && sa === sb;
  }

  /** The subject a ref belongs to (null: never seen) and every ref linked to it; `[ref]` alone when unseen. */
  async linkedRefs(ref: SubjectRef): Promise<{ subject: SubjectRef | null; refs: SubjectRef[] }> {
    const subject = await this.deps.store.subjectOf(ref);
    return { subject, refs: subject ? await this.deps.store.refsOf(subject) : [ref] };
  }

  /** Whether no data key of the subject is live (every one shredded, or none made). */
  async isShredded(subject: SubjectRef): Promise<boolean> {
    return (await this.deps.store.liveDataKeys(subject)).length === 0;
  }
}
