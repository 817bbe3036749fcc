import { addIsoPeriod } from '../../../shared/src/policy/index.js';
import type { DsrStatus } from '../../../shared/src/contracts/dsr.js';

/** The request state machine and its deadlines, as pure functions (no clock, no database). */

const NEXT: Record<DsrStatus, readonly DsrStatus[]> = {
  received: ['verified', 'refused'],
  verified: ['in_progress', 'refused'],
  in_progress: ['completed', 'partially_completed', 'needs_attention', 'refused'],
  // An operator resolves what the residue check found, or the engine runs again.
  needs_attention: ['in_progress', 'completed', 'partially_completed', 'refused'],
  // Retained items are erased when their hold ends; the last release completes the request.
  // A re-check an operator asked for (`dsr retry`) may find residue after the fact.
  partially_completed: ['in_progress', 'completed', 'needs_attention'],
  completed: ['needs_attention'],
  refused: [],
};

export const OPEN_STATUSES: readonly DsrStatus[] = ['received', 'verified', 'in_progress', 'needs_attention'];

export function canTransition(from: DsrStatus, to: DsrStatus): boolean {
  return NEXT[from].includes(to);
}

/** Due one calendar month after receipt (31 January → last day of February), per the configured period. */
export function dueDate(receivedAt: Date, deadline: string): Date {
  return addIsoPeriod(receivedAt, deadline);
}

/** An extension is allowed once, by at most `maxExtension` months, and needs a reason. */
export function extendedDue(
  current: { dueAt: Date; extendedAt: string | null },
  months: number,
  maxExtension: string,
): Date | 'already-extended' | 'too-long' {
  if (current.extendedAt) return 'already-extended';
  const max = addIsoPeriod(current.dueAt, maxExtension).getTime();
  const next = addIsoPeriod(current.dueAt, `P${months}M`);
  return next.getTime() > max ? 'too-long' : next;
}

export type DeadlineFlag = 'overdue' | 'due-soon' | null;

export function deadlineFlag(due: Date, now: Date, warnDays = 7): DeadlineFlag {
  if (now.getTime() > due.getTime()) return 'overdue';
  return due.getTime() - now.getTime() <= warnDays * 86_400_000 ? 'due-soon' : null;
}

/** Median of a list of numbers (null when empty). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * What the shop's connector answered it could not change (WooCommerce's REST API: an order's IP and user
 * agent are read-only, line-item meta such as the booking's is not writable): for each field, how many of the
 * request's orders still hold it, and what the operator can do about it. Null when everything was changed.
 */
export function unchangeableOf(
  id: string,
  items: readonly { resourceId: number | null; result: { unchangeable?: unknown } | null }[],
): { fields: Record<string, number>; todo: string } | null {
  const orders = new Map<string, Set<number | null>>();
  for (const { resourceId, result } of items)
    for (const field of Array.isArray(result?.unchangeable) ? result.unchangeable : [])
      if (typeof field === 'string') orders.set(field, (orders.get(field) ?? new Set()).add(resourceId));
  if (orders.size === 0) return null;
  return {
    fields: Object.fromEntries([...orders].map(([field, of]) => [field, of.size])),
    todo:
      "WooCommerce's REST API cannot change these fields. Install and activate the Privacy Bridge plugin on the shop's WordPress, " +
      `set WORDPRESS_URL and PLUGIN_SIGNING_KEYS (and leave DSR_VIA_PLUGIN unset), restart, then run: privacy-bridge dsr retry ${id} --operator NAME`,
  };
}
