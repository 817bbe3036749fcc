import type {
  ConsentDecision,
  ConsentRule,
  ConsentSource,
  PurposeDecision,
} from '../../../shared/src/contracts/consent.js';
import { AppError } from '../platform/errors.js';

/** Purposes a `Sec-GPC: 1` record denies unless the person grants them explicitly. */
export const GPC_PURPOSES: readonly string[] = ['marketing', 'statistics'];

/** Tolerated client clock skew for a consent's time; anything later is refused as future-dated. */
export const MAX_FUTURE_SKEW_MS = 120_000;

/** One consent event as the ledger holds it (clear, non-personal). */
export type ConsentEvent = {
  readonly eventId: string;
  /** The ledger sequence number: breaks ties between events dated the same instant. */
  readonly seq: number;
  readonly at: string;
  readonly source: ConsentSource;
  readonly decisions: readonly PurposeDecision[];
  readonly gpc: boolean;
  readonly overridesGpc: boolean;
  readonly policyVersion: string;
};

/** What one event says about one purpose, and which rule made it so. */
export type Effect = {
  readonly purpose: string;
  readonly decision: ConsentDecision;
  readonly rule: Exclude<ConsentRule, 'no-record'>;
};

/** A purpose's current state: the effect of the latest event touching it. */
export type PurposeState = Effect & {
  readonly at: string;
  readonly seq: number;
  readonly eventId: string;
  readonly policyVersion: string;
  readonly source: ConsentSource;
};

/**
 * The effects of one event. Explicit decisions stand; a GPC record denies marketing and statistics
 * (rule `gpc`) whatever it says about them, unless the person was told about the signal and chose
 * anyway (`overridesGpc`), in which case only the purposes it left undecided are denied by GPC.
 */
export function effectsOf(event: Pick<ConsentEvent, 'decisions' | 'gpc' | 'overridesGpc'>): Effect[] {
  const effects = new Map<string, Effect>(
    event.decisions.map((d) => [d.purpose, { purpose: d.purpose, decision: d.decision, rule: 'explicit' as const }]),
  );
  if (event.gpc) {
    for (const purpose of GPC_PURPOSES) {
      if (event.overridesGpc && effects.has(purpose)) continue;
      effects.set(purpose, { purpose, decision: 'denied', rule: 'gpc' });
    }
  }
  return [...effects.values()].sort((a, b) => a.purpose.localeCompare(b.purpose));
}

/** Later wins: by the person's time, then by ledger order. */
export const isLater = (a: { at: string; seq: number }, b: { at: string; seq: number }) =>
  a.at > b.at || (a.at === b.at && a.seq > b.seq);

/** The state per purpose after any set of events, in any order: each purpose takes its latest event's effect. */
export function reduce(events: Iterable<ConsentEvent>): Map<string, PurposeState> {
  const state = new Map<string, PurposeState>();
  for (const e of events) {
    for (const effect of effectsOf(e)) {
      const current = state.get(effect.purpose);
      if (!current || isLater(e, current)) {
        state.set(effect.purpose, {
          ...effect,
          at: e.at,
          seq: e.seq,
          eventId: e.eventId,
          policyVersion: e.policyVersion,
          source: e.source,
        });
      }
    }
  }
  return state;
}

/** Merges per-ref states (a person's linked identifiers) into one: per purpose, the latest wins. */
export function mergeStates(states: Iterable<PurposeState>): Map<string, PurposeState> {
  const merged = new Map<string, PurposeState>();
  for (const s of states) {
    const current = merged.get(s.purpose);
    if (!current || isLater(s, current)) merged.set(s.purpose, s);
  }
  return merged;
}

/**
 * Refuses decisions the policy cannot take: purposes it does not know, necessary purposes (they do
 * not rest on consent), the same purpose twice. `consentable` and `necessary` come from the policy.
 */
export function checkDecisions(
  decisions: readonly PurposeDecision[],
  purposes: { consentable: ReadonlySet<string>; necessary: ReadonlySet<string> },
): void {
  const seen = new Set<string>();
  for (const { purpose } of decisions) {
    if (purpose === 'necessary' || purposes.necessary.has(purpose))
      throw new AppError('CONSENT_PURPOSE_NOT_CONSENTABLE', { purpose });
    if (!purposes.consentable.has(purpose)) throw new AppError('CONSENT_PURPOSE_UNKNOWN', { purpose });
    if (seen.has(purpose)) throw new AppError('CONSENT_PURPOSE_REPEATED', { purpose });
    seen.add(purpose);
  }
}

export function checkNotFuture(at: string, now: Date): void {
  if (Date.parse(at) > now.getTime() + MAX_FUTURE_SKEW_MS) throw new AppError('CONSENT_TIME_IN_FUTURE');
}

/** The marketing answer a mailer gets: yes only under a current, explicit grant. */
export function mayReceiveMarketing(purposes: Iterable<{ purpose: string; decision: ConsentDecision }>): boolean {
  for (const p of purposes) if (p.purpose === 'marketing') return p.decision === 'granted';
  return false;
}
