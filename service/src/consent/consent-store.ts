import type { PolicyVersionView } from '../../../shared/src/contracts/consent.js';
import { storedSubjectRef, type SubjectRef } from '../ledger/index.js';
import type { Database } from '../platform/db/database.js';
import { execute, executeMany, query } from '../platform/db/sql.js';
import type { PurposeState } from './consent-rules.js';

type Statement = readonly [sql: string, params: readonly unknown[]];

const UPSERT_STATE = `INSERT INTO consent_state (ref, purpose, decision, rule, at, seq, event_id, policy_version, source)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (ref, purpose) DO UPDATE SET decision = excluded.decision, rule = excluded.rule, at = excluded.at, seq = excluded.seq,
    event_id = excluded.event_id, policy_version = excluded.policy_version, source = excluded.source
  WHERE excluded.at > consent_state.at OR (excluded.at = consent_state.at AND excluded.seq > consent_state.seq)`;
const UPSERT_VERSION = `INSERT INTO consent_policy_versions (version, sha256, languages, effective, material, published_at, seq)
  VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (version) DO NOTHING`;
const ADVANCE = `INSERT INTO consent_cursor (name, seq) VALUES ('projection', $1)
  ON CONFLICT (name) DO UPDATE SET seq = excluded.seq WHERE excluded.seq > consent_cursor.seq`;

type StateRow = {
  ref: string;
  purpose: string;
  decision: string;
  rule: string;
  at: string;
  seq: number | string;
  event_id: string;
  policy_version: string;
  source: string;
};
type VersionRow = {
  version: string;
  sha256: string;
  languages: string;
  effective: string;
  material: boolean | number;
  published_at: string;
  seq: number | string;
};

export type ProjectedState = PurposeState & { readonly ref: string };
export type ProjectionWrite = {
  states: readonly ProjectedState[];
  versions: readonly (PolicyVersionView & { seq: number })[];
  upToSeq: number;
};

/**
 * The consent projections in SQL, one text for SQLite and PostgreSQL. Writes are conditional upserts
 * (the later event wins), so applying an event twice, or out of order, leaves the same state.
 */
export class ConsentStore {
  constructor(private readonly db: Database) {}

  /** Applies projected rows and advances the cursor, atomically. */
  async apply({ states, versions, upToSeq }: ProjectionWrite): Promise<void> {
    const statements: Statement[] = [
      ...states.map(
        (s) =>
          [
            UPSERT_STATE,
            [s.ref, s.purpose, s.decision, s.rule, s.at, s.seq, s.eventId, s.policyVersion, s.source],
          ] as const,
      ),
      ...versions.map(
        (v) =>
          [
            UPSERT_VERSION,
            [v.version, v.sha256, JSON.stringify(v.languages), v.effective, v.material, v.publishedAt, v.seq],
          ] as const,
      ),
      [ADVANCE, [upToSeq]],
    ];
    await executeMany(this.db, statements);
  }

  async cursor(): Promise<number> {
    const rows = await query<{ seq: number | string }>(
      this.db,
      "SELECT seq FROM consent_cursor WHERE name = 'projection'",
    );
    return rows[0] ? Number(rows[0].seq) : 0;
  }

  /** Forgets the projections (not the tokens), so they can be rebuilt from the ledger. */
  async reset(): Promise<void> {
    await executeMany(this.db, [
      ['DELETE FROM consent_state', []],
      ['DELETE FROM consent_policy_versions', []],
      ['DELETE FROM consent_cursor', []],
    ]);
  }

  async statesOf(refs: readonly string[]): Promise<ProjectedState[]> {
    if (refs.length === 0) return [];
    const marks = refs.map((_, i) => `$${i + 1}`).join(', ');
    const rows = await query<StateRow>(
      this.db,
      `SELECT * FROM consent_state WHERE ref IN (${marks}) ORDER BY ref, purpose`,
      refs,
    );
    return rows.map(toState);
  }

  async allStates(): Promise<ProjectedState[]> {
    return (await query<StateRow>(this.db, 'SELECT * FROM consent_state ORDER BY ref, purpose')).map(toState);
  }

  async versions(): Promise<PolicyVersionView[]> {
    return (
      await query<VersionRow>(this.db, 'SELECT * FROM consent_policy_versions ORDER BY effective DESC, seq DESC')
    ).map(toVersion);
  }

  async version(label: string): Promise<PolicyVersionView | null> {
    const rows = await query<VersionRow>(this.db, 'SELECT * FROM consent_policy_versions WHERE version = $1', [label]);
    return rows[0] ? toVersion(rows[0]) : null;
  }

  /** The version in effect on `day` (YYYY-MM-DD): the latest effective on or before it. */
  async current(day: string, materialOnly = false): Promise<PolicyVersionView | null> {
    const rows = await query<VersionRow>(
      this.db,
      `SELECT * FROM consent_policy_versions WHERE effective <= $1 ${materialOnly ? 'AND material = $2' : ''} ORDER BY effective DESC, seq DESC LIMIT 1`,
      materialOnly ? [day, true] : [day],
    );
    return rows[0] ? toVersion(rows[0]) : null;
  }

  /** Subjects (linked refs grouped) whose latest consent is dated before `before`. */
  async lastConsentBefore(before: string, limit: number): Promise<{ subject: string; lastConsentAt: string }[]> {
    const rows = await query<{ subject: string; last: string }>(
      this.db,
      `SELECT COALESCE(r.subject, s.ref) AS subject, MAX(s.at) AS last FROM consent_state s
       LEFT JOIN ledger_subject_refs r ON r.ref = s.ref
       GROUP BY COALESCE(r.subject, s.ref) HAVING MAX(s.at) < $1 ORDER BY subject LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => ({ subject: r.subject, lastConsentAt: r.last }));
  }

  async saveToken(tokenHash: string, ref: SubjectRef, issuedAt: string): Promise<void> {
    await execute(
      this.db,
      'INSERT INTO consent_unsubscribe_tokens (token_hash, ref, issued_at) VALUES ($1, $2, $3) ON CONFLICT (token_hash) DO NOTHING',
      [tokenHash, ref, issuedAt],
    );
  }

  async tokenRef(tokenHash: string): Promise<SubjectRef | null> {
    const rows = await query<{ ref: string }>(
      this.db,
      'SELECT ref FROM consent_unsubscribe_tokens WHERE token_hash = $1',
      [tokenHash],
    );
    return rows[0] ? storedSubjectRef(rows[0].ref) : null;
  }
}

const toState = (r: StateRow): ProjectedState => ({
  ref: r.ref,
  purpose: r.purpose,
  decision: r.decision as ProjectedState['decision'],
  rule: r.rule as ProjectedState['rule'],
  at: r.at,
  seq: Number(r.seq),
  eventId: r.event_id,
  policyVersion: r.policy_version,
  source: r.source as ProjectedState['source'],
});

const toVersion = (r: VersionRow): PolicyVersionView => ({
  version: r.version,
  sha256: r.sha256,
  languages: JSON.parse(r.languages) as string[],
  effective: r.effective,
  material: Boolean(r.material),
  publishedAt: r.published_at,
});
