import { AppError } from '../platform/errors.js';
import type { DsrRow, ItemRow } from './dsr-store.js';
import { RECHECK, stepKey } from './flows.js';

/**
 * What `dsr retry` runs. `resume`: the latest round's steps not yet recorded (a request stuck at a
 * step, or in needs attention before its flow ended). `recheck`: a new round for an erasure whose
 * steps all ran — in needs attention, the flagged items are erased again, checked, and the receipt
 * follows; settled (completed or partially completed), it is checked again.
 */
export type RetryPlan = { mode: 'resume' | 'recheck'; round: number; steps: string[] };

/** The ledger key of re-check round `round` of a request's current pass (its `dsr.retry` entry). */
export const recheckKey = (row: Pick<DsrRow, 'id' | 'pass'>, round: number) =>
  `dsr.retry/${row.id}/p${row.pass}/r${round}`;

type Lookup = (key: string) => Promise<{ detail: string | null } | null>;

export async function planRetry(row: DsrRow, flowSteps: readonly string[], byKey: Lookup): Promise<RetryPlan> {
  if (row.status === 'refused') throw nothingToRetry(row, 'refused');
  let round = 0;
  let steps: readonly string[] = flowSteps;
  for (let r = 1; ; r++) {
    const started = await byKey(recheckKey(row, r));
    if (!started) break;
    round = r;
    steps = (JSON.parse(started.detail ?? '{}') as { steps?: string[] }).steps ?? [];
  }
  const remaining: string[] = [];
  for (const step of steps)
    if (!(await byKey(stepKey(step.replace(/^dsr\./, ''), row.id, row.pass, round)))) remaining.push(step);
  if (remaining.length > 0) {
    if (row.stuckStep || row.status === 'needs_attention') return { mode: 'resume', round, steps: remaining };
    throw nothingToRetry(row, row.status === 'in_progress' ? 'running' : 'not-started');
  }
  if (row.kind !== 'erasure') throw nothingToRetry(row, 'finished');
  if (row.status === 'needs_attention')
    return { mode: 'recheck', round: round + 1, steps: [...RECHECK.needsAttention] };
  if (row.status === 'completed' || row.status === 'partially_completed')
    return { mode: 'recheck', round: round + 1, steps: [...RECHECK.settled] };
  throw nothingToRetry(row, 'running');
}

/** The plan items a residue report asks to erase again: named items, and every erasable item of an order a search found. */
export function flaggedItems(residue: readonly { item: string }[], items: readonly ItemRow[]): string[] {
  const flagged = new Set(residue.map((r) => r.item));
  const ofFoundOrder = (i: ItemRow) =>
    (i.resource === 'order' || i.resource === 'order-notes') &&
    i.resourceId !== null &&
    flagged.has(`order-${i.resourceId}`);
  return items
    .filter((i) => i.action !== 'retain' && i.resource !== 'ledger' && (flagged.has(i.item) || ofFoundOrder(i)))
    .map((i) => i.item);
}

const nothingToRetry = (row: DsrRow, reason: 'refused' | 'running' | 'not-started' | 'finished') =>
  new AppError('DSR_NOTHING_TO_RETRY', { requestId: row.id, kind: row.kind, status: row.status, reason });
