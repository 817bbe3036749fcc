import { z } from 'zod';
import {
  ConsentDecision,
  ConsentSource,
  PolicyVersionView,
  PurposeDecision,
} from '../../../shared/src/contracts/consent.js';
import type { Ledger, LedgerEntry } from '../ledger/index.js';
import { effectsOf } from './consent-rules.js';
import type { ConsentStore, ProjectedState, ProjectionWrite } from './consent-store.js';

export const CONSENT_RECORDED = 'consent.recorded';
export const POLICY_PUBLISHED = 'policy.published';

/** The clear part of a consent.recorded entry: what the projection is rebuilt from. */
export const ConsentDetail = z.object({
  eventId: z.string(),
  source: ConsentSource,
  decisions: z.array(PurposeDecision),
  gpc: z.boolean(),
  overridesGpc: z.boolean(),
  policyVersion: z.string(),
  policySha256: z.string(),
  locale: z.string(),
  orderId: z.number().optional(),
  operator: z.string().optional(),
  effects: z.array(z.object({ purpose: z.string(), decision: ConsentDecision, rule: z.enum(['explicit', 'gpc']) })),
});
export type ConsentDetail = z.infer<typeof ConsentDetail>;

export const PolicyDetail = PolicyVersionView;

/** Projected rows for a page of ledger entries; entries of other kinds are skipped. Pure. */
export function project(entries: readonly LedgerEntry[]): Omit<ProjectionWrite, 'upToSeq'> {
  const states: ProjectedState[] = [];
  const versions: ProjectionWrite['versions'][number][] = [];
  for (const entry of entries) {
    if (entry.kind === CONSENT_RECORDED && entry.subject && entry.detail) {
      const d = ConsentDetail.parse(JSON.parse(entry.detail));
      // Effects are recomputed from the decisions, not read from the stored copy: the rules decide.
      for (const effect of effectsOf(d)) {
        states.push({
          ...effect,
          ref: entry.subject,
          at: entry.at,
          seq: entry.seq,
          eventId: d.eventId,
          policyVersion: d.policyVersion,
          source: d.source,
        });
      }
    } else if (entry.kind === POLICY_PUBLISHED && entry.detail) {
      versions.push({ ...PolicyDetail.parse(JSON.parse(entry.detail)), seq: entry.seq });
    }
  }
  return { states, versions };
}

const PAGE = 1_000;

/**
 * Keeps the consent projections caught up with the ledger, from a stored cursor. Any number of
 * triggers (jobs, reads) coalesce into runs; a run that starts after a call covers that call's entries.
 */
export class ConsentProjector {
  #queued: Promise<void> | null = null;
  #tail: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { ledger: Ledger; store: ConsentStore }) {}

  catchUp(): Promise<void> {
    if (this.#queued) return this.#queued;
    const run = this.#tail.then(() => {
      this.#queued = null;
      return this.#run();
    });
    this.#queued = run;
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Projects only when the ledger is ahead: reads that must see the latest writes call this first. */
  async fresh(): Promise<void> {
    if ((await this.deps.ledger.head()).seq > (await this.deps.store.cursor())) await this.catchUp();
  }

  /** Forgets the projections and rebuilds them from the ledger alone. */
  async rebuild(): Promise<void> {
    await this.#tail;
    await this.deps.store.reset();
    await this.catchUp();
  }

  async #run(): Promise<void> {
    let after = await this.deps.store.cursor();
    for (;;) {
      const page = await this.deps.ledger.read(after, PAGE);
      if (page.length === 0) return;
      after = page[page.length - 1]!.seq;
      await this.deps.store.apply({ ...project(page), upToSeq: after });
      if (page.length < PAGE) return;
    }
  }
}
