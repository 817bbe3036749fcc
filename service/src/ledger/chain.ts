import { createHash } from 'node:crypto';

/**
 * The hash chain, pure: no clock, no database, no environment.
 * Every field of an entry is covered, including the ciphertext (so shredding a key
 * leaves the chain verifiable) and the data key id.
 */
export type EntryDraft = {
  /** Natural key: appending a draft whose key is stored already returns the stored entry. */
  readonly key: string;
  readonly kind: string;
  readonly subject: string | null;
  readonly purpose: string | null;
  readonly legalBasis: string | null;
  readonly categories: readonly string[];
  readonly source: string | null;
  /** Non-personal facts in clear (ids, enums, counts, hashes), as canonical JSON text. */
  readonly detail: string | null;
  /** ISO-8601 UTC. */
  readonly at: string;
  readonly ciphertext: Buffer | null;
  readonly dataKeyId: string | null;
};

export type ChainHead = { readonly seq: number; readonly hash: string };
export type LedgerEntry = EntryDraft & { readonly seq: number; readonly prevHash: string; readonly hash: string };

export const GENESIS: ChainHead = { seq: 0, hash: '0'.repeat(64) };
export const CANONICAL_FORMAT = 2;

/**
 * The canonical encoding: a fixed-order JSON array, so no key ordering or whitespace question arises.
 * The ciphertext is upper-case hex (as SQLite's hex() spells it, so SQLite can turn format 1 rows into
 * this text and back with unhex()). SQLite stores this text itself and derives its columns from it.
 */
export function canonical(seq: number, prevHash: string, d: EntryDraft): string {
  return JSON.stringify([
    CANONICAL_FORMAT, seq, prevHash, d.key, d.kind, d.subject, d.purpose, d.legalBasis, d.categories, d.source, d.detail, d.at,
    d.ciphertext === null ? null : d.ciphertext.toString('hex').toUpperCase(), d.dataKeyId,
  ]);
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function link(head: ChainHead, draft: EntryDraft): LedgerEntry {
  return linkEncoded(head, draft).entry;
}

/** `link`, with the canonical text that was hashed (what SQLite stores). */
export function linkEncoded(head: ChainHead, d: EntryDraft): { entry: LedgerEntry; canonical: string } {
  const seq = head.seq + 1;
  const text = canonical(seq, head.hash, d);
  // Spelled out field by field: a spread copy of the draft was a twelfth of a batched append's CPU.
  const entry = {
    key: d.key, kind: d.kind, subject: d.subject, purpose: d.purpose, legalBasis: d.legalBasis, categories: d.categories,
    source: d.source, detail: d.detail, at: d.at, ciphertext: d.ciphertext, dataKeyId: d.dataKeyId,
    seq, prevHash: head.hash, hash: sha256(text),
  };
  return { entry, canonical: text };
}

/**
 * An entry as stored: the canonical text that was hashed at append, verbatim (SQLite). `prevHash` is
 * read from that text; null when the text is not shaped as canonical() writes it.
 */
export type EncodedEntry = { readonly seq: number; readonly prevHash: string | null; readonly hash: string; readonly canonical: string };

export type ChainBreak = {
  readonly seq: number;
  readonly reason: 'missing-entry' | 'out-of-order' | 'prev-hash-mismatch' | 'hash-mismatch' | 'truncated' | 'head-mismatch';
  readonly detail: string;
};

/**
 * Streaming verifier: push entries in sequence order, then `finish()`. Holds one head, never the chain,
 * so a million entries verify in constant memory.
 */
export class ChainVerifier {
  #head: ChainHead;
  #count = 0;
  #break: ChainBreak | null = null;
  #seen: ChainHead | null = null;

  constructor(
    from: ChainHead = GENESIS,
    private readonly expected?: ChainHead,
  ) {
    this.#head = from;
  }

  /** False once the chain is broken: stop feeding it. */
  push(entry: LedgerEntry): boolean {
    if (!this.#links(entry)) return false;
    if (sha256(canonical(entry.seq, entry.prevHash, entry)) !== entry.hash) {
      this.#break = { seq: entry.seq, reason: 'hash-mismatch', detail: `entry ${entry.seq} was altered after it was written` };
      return false;
    }
    this.#advance(entry);
    return true;
  }

  /**
   * `push` for a stored canonical text: the text is the entry, so it must be this seq's text and hash
   * to the stored hash; the verdicts are `push`'s for the entry the text spells.
   */
  pushEncoded(entry: EncodedEntry): boolean {
    if (!this.#links(entry)) return false;
    if (entry.prevHash === null || !entry.canonical.startsWith(`[${CANONICAL_FORMAT},${entry.seq},"`) || sha256(entry.canonical) !== entry.hash) {
      this.#break = { seq: entry.seq, reason: 'hash-mismatch', detail: `entry ${entry.seq} was altered after it was written` };
      return false;
    }
    this.#advance(entry);
    return true;
  }

  /** A prevHash of null (unreadable text) passes here, for pushEncoded to name as altered. */
  #links(entry: { readonly seq: number; readonly prevHash: string | null }): boolean {
    if (this.#break) return false;
    const want = this.#head.seq + 1;
    if (entry.seq !== want) {
      this.#break =
        entry.seq > want
          ? { seq: want, reason: 'missing-entry', detail: `entry ${want} is missing (entry ${this.#head.seq} is followed by ${entry.seq})` }
          : { seq: entry.seq, reason: 'out-of-order', detail: `entry ${entry.seq} appears after entry ${this.#head.seq}` };
      return false;
    }
    if (entry.prevHash !== null && entry.prevHash !== this.#head.hash) {
      this.#break = { seq: entry.seq, reason: 'prev-hash-mismatch', detail: `entry ${entry.seq} does not link to entry ${this.#head.seq}` };
      return false;
    }
    return true;
  }

  #advance(entry: ChainHead): void {
    if (this.expected && entry.seq === this.expected.seq) this.#seen = { seq: entry.seq, hash: entry.hash };
    this.#head = { seq: entry.seq, hash: entry.hash };
    this.#count++;
  }

  /** Where this verifier stands, to hand to `join` on another thread. */
  segment(): VerifySegment {
    return { checked: this.#count, head: this.#head, break: this.#break, seen: this.#seen };
  }

  /**
   * Adopts a segment verified elsewhere by a verifier started at `{ seq: first.seq - 1, hash: first.prevHash }`
   * with the same `expected`, `first` being the segment's first entry. When `first` links onto this head,
   * that start is exactly this verifier's state, so the result is what pushing the segment's entries here
   * would have given; when it does not, the break is named here, as `push` would. A segment that failed
   * (`{ error }`) throws only if its first entry links, since otherwise `push` would have stopped first.
   */
  join(first: { readonly seq: number; readonly prevHash: string | null }, segment: VerifySegment | { readonly error: unknown }): boolean {
    if (!this.#links(first)) return false;
    if ('error' in segment) throw segment.error;
    this.#count += segment.checked;
    if (segment.checked > 0) this.#head = segment.head; // else its first entry broke: the head stays here, as in `push`
    if (segment.seen) this.#seen = segment.seen;
    this.#break = segment.break;
    return this.#break === null;
  }

  finish(): VerifyResult {
    const base = { checked: this.#count, head: this.#head };
    if (this.#break) return { ok: false, ...base, break: this.#break };
    const expected = this.expected;
    if (expected && this.#head.seq < expected.seq) {
      const seq = this.#head.seq + 1;
      return { ok: false, ...base, break: { seq, reason: 'truncated', detail: `the chain ends at ${this.#head.seq} but ${expected.seq} was recorded: entries from ${seq} are gone` } };
    }
    if (expected && this.#seen && this.#seen.hash !== expected.hash) {
      return { ok: false, ...base, break: { seq: expected.seq, reason: 'head-mismatch', detail: `entry ${expected.seq} differs from the recorded head` } };
    }
    return { ok: true, ...base };
  }
}

export type VerifySegment = { readonly checked: number; readonly head: ChainHead; readonly break: ChainBreak | null; readonly seen: ChainHead | null };

/**
 * Feeds a stream of stored entries to `verifier`. Keep this loop shape (a labelled break): a variant
 * with `return` inside `for await` measured 190 MB of RSS instead of 120 verifying 1M entries.
 */
export async function feedEncoded(verifier: ChainVerifier, pages: AsyncIterable<readonly EncodedEntry[]>): Promise<void> {
  pages: for await (const page of pages) {
    for (const encoded of page) if (!verifier.pushEncoded(encoded)) break pages;
  }
}

export type VerifyResult =
  | { readonly ok: true; readonly checked: number; readonly head: ChainHead }
  | { readonly ok: false; readonly checked: number; readonly head: ChainHead; readonly break: ChainBreak };
