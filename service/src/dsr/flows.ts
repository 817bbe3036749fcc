import { z } from 'zod';
import type { DsrKind } from '../../../shared/src/contracts/dsr.js';

/**
 * The flow vocabulary: the steps of each flow, their ledger keys, job ids, payload and retry options.
 * Words only — no queue, no service — so the service, the retry planner, the jobs and the producer
 * all read it without importing one another.
 */

/** The steps of each flow, in order: a step runs once the one before it completed (BullMQ parent/child). */
export const FLOWS = {
  access: ['dsr.collect', 'dsr.assemble', 'dsr.deliver-export'],
  erasure: ['dsr.plan-erasure', 'dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue', 'dsr.receipt'],
  release: ['dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue', 'dsr.receipt'],
  rectification: ['dsr.rectify'],
} as const;

/**
 * What `dsr retry` runs again for an erasure whose steps all ran: in needs attention, the items the
 * last residue check flagged are erased again, then checked, then the receipt; a completed erasure
 * an operator wants re-checked is only checked (its receipt stands unless residue is found).
 */
export const RECHECK = {
  // Shred again too: an export file or a data key made since the first shred would be residue.
  needsAttention: ['dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue', 'dsr.receipt'],
  settled: ['dsr.check-residue'],
} as const;

/** The steps of a request's current flow (an erasure pass after the first is a release). */
export const stepsOf = (kind: DsrKind | 'release', pass: number): readonly string[] =>
  kind === 'erasure' && pass > 1 ? FLOWS.release : FLOWS[kind];

/**
 * Every DSR step job carries the request id, the erasure pass and the round: ids only, never an e-mail.
 * Round 0 is the flow as opened; a retry of a request whose steps all ran (`dsr retry`) runs its
 * re-check steps as round 1, 2, … so their ledger keys are new facts, not repeats of the first run.
 */
export const StepPayload = z.object({
  requestId: z.uuid(),
  pass: z.int().min(1).max(100),
  round: z.int().min(0).max(100).default(0),
});
export type StepPayload = z.infer<typeof StepPayload>;

/** The ledger key a step's completion is recorded under (`step` without its `dsr.` prefix). */
export const stepKey = (step: string, requestId: string, pass: number, round = 0) =>
  `dsr.${step}/${requestId}${pass > 1 ? `/p${pass}` : ''}${round > 0 ? `/r${round}` : ''}`;

/** jobIds from natural keys (no `:`), so adding a flow twice adds nothing new. */
export const jobIdOf = (step: string, requestId: string, pass: number) =>
  `${step.replace('.', '-')}-${requestId}-p${pass}`;

/** How often a step is tried, and the first back-off (DSR_JOB_ATTEMPTS, DSR_JOB_BACKOFF_MS). */
export type StepRetry = { attempts: number; backoffMs: number };

export const stepOptions = (s: StepRetry) => ({
  attempts: s.attempts,
  backoff: { type: 'exponential' as const, delay: s.backoffMs },
  removeOnComplete: { age: 7 * 86_400 },
  removeOnFail: { age: 30 * 86_400 },
});
