import type {
  ConsentDecision,
  ConsentRule,
  ConsentSource,
  PolicyVersionView,
  PurposeDecision,
} from '../../../shared/src/contracts/consent.js';
import { ERASED, type Fact, type JsonObject, type Ledger, type LedgerEntry, type SubjectRef } from '../ledger/index.js';
import { Batcher, oneByOne, type Settled } from '../platform/batcher.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { sensitive, type Sensitive } from '../platform/sensitive.js';
import {
  checkDecisions,
  checkNotFuture,
  effectsOf,
  mayReceiveMarketing,
  mergeStates,
  type PurposeState,
} from './consent-rules.js';
import { CONSENT_RECORDED, ConsentDetail, type ConsentProjector } from './consent-projector.js';
import type { ConsentStore } from './consent-store.js';
import { eventIdOf, receiptPath } from './links.js';

/** A consent as the service takes it: the email already wrapped, nothing else personal. */
export type ConsentInput = {
  subject: { email?: Sensitive<string>; wpUserId?: number; visitorId?: string };
  source: ConsentSource;
  decisions: readonly PurposeDecision[];
  policyVersion: string;
  gpc: boolean;
  overridesGpc?: boolean;
  orderId?: number;
  locale: string;
  at: string;
  operator?: string;
};

export type PurposeView = {
  purpose: string;
  decision: ConsentDecision;
  rule: ConsentRule;
  policyVersion: string | null;
  at: string | null;
  eventId: string | null;
  source: ConsentSource | null;
};
export type SubjectState = { erased: true } | { erased: false; purposes: PurposeView[] };

export type ConsentPurposes = { consentable: ReadonlySet<string>; necessary: ReadonlySet<string> };

export type ConsentDeps = {
  ledger: Ledger;
  store: ConsentStore;
  projector: ConsentProjector;
  clock: Clock;
  linkSecret: Buffer;
  purposes: ConsentPurposes;
  /** Asks for the projection to catch up (the consent.project job); must not carry personal data. */
  scheduleProjection(upToSeq: number): Promise<void>;
  /** Pushes a consent change made outside WordPress to the plugin (the delivery.deliver job). */
  pushToWordPress(eventId: string): Promise<void>;
};

/** Sources whose changes WordPress does not know about yet, so they are pushed to it. */
const PUSHED: ReadonlySet<ConsentSource> = new Set(['unsubscribe-link', 'admin']);

/** The version label of a withdrawal made before any policy version was published. */
export const NO_VERSION = 'none';

export type Recorded = { eventId: string; duplicate: boolean; receiptPath: string };

export class ConsentService {
  readonly #versions = new Map<string, PolicyVersionView>(); // published versions never change
  /** Concurrent requests share one ledger transaction; each answers only once its batch committed. */
  readonly #ledgerWrites = new Batcher<Fact, LedgerEntry>((facts) => this.#recordTogether(facts));

  constructor(private readonly deps: ConsentDeps) {}

  /** Pseudonymous refs for each identifier given; the first is the subject the entry is filed under. */
  refsOf(subject: ConsentInput['subject']): SubjectRef[] {
    const { ledger } = this.deps;
    const refs: SubjectRef[] = [];
    if (subject.email) refs.push(ledger.subjectRef(subject.email));
    // Namespaced so they can never equal an email's ref; hashed with the pepper like emails.
    if (subject.wpUserId !== undefined) refs.push(ledger.subjectRef(sensitive(`wp-user:${subject.wpUserId}`)));
    if (subject.visitorId !== undefined) refs.push(ledger.subjectRef(sensitive(`visitor:${subject.visitorId}`)));
    return refs;
  }

  /** Records one consent event under `naturalKey`; a repeated key records nothing and answers the same. */
  async record(input: ConsentInput, naturalKey: string): Promise<Recorded> {
    const refs = this.refsOf(input.subject);
    if (refs.length === 0) throw new AppError('CONSENT_SUBJECT_MISSING');
    const personal: JsonObject = {};
    if (input.subject.email) personal.email = input.subject.email.reveal().trim();
    if (input.subject.wpUserId !== undefined) personal.wpUserId = input.subject.wpUserId;
    return this.#append(refs as [SubjectRef, ...SubjectRef[]], personal, input, naturalKey);
  }

  /** Records an event for a subject known only by its ref (an unsubscribe token's). */
  async recordFor(ref: SubjectRef, input: Omit<ConsentInput, 'subject'>, naturalKey: string): Promise<Recorded> {
    return this.#append([ref], {}, input, naturalKey);
  }

  /** The label of the version in effect today, or NO_VERSION: a withdrawal never waits for a policy. */
  async currentVersionLabel(): Promise<string> {
    return (await this.deps.store.current(this.deps.clock.now().toISOString().slice(0, 10)))?.version ?? NO_VERSION;
  }

  async #append(
    refs: [SubjectRef, ...SubjectRef[]],
    personal: JsonObject,
    input: Omit<ConsentInput, 'subject'>,
    naturalKey: string,
  ): Promise<Recorded> {
    const { ledger, clock, linkSecret } = this.deps;
    checkNotFuture(input.at, clock.now());
    checkDecisions(input.decisions, this.deps.purposes);
    const version =
      input.policyVersion === NO_VERSION
        ? { version: NO_VERSION, sha256: '0'.repeat(64) }
        : await this.policyVersion(input.policyVersion);
    const eventId = eventIdOf(naturalKey);
    const key = `${CONSENT_RECORDED}/${eventId}`;
    const answer = { eventId, receiptPath: receiptPath(linkSecret, eventId, clock.now()) };
    if (await ledger.byKey(key)) return { ...answer, duplicate: true };

    const overridesGpc = input.overridesGpc ?? false;
    const detail: ConsentDetail = {
      eventId,
      source: input.source,
      decisions: [...input.decisions],
      gpc: input.gpc,
      overridesGpc,
      policyVersion: version.version,
      policySha256: version.sha256,
      locale: input.locale,
      ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
      ...(input.operator ? { operator: input.operator } : {}),
      effects: effectsOf({ decisions: input.decisions, gpc: input.gpc, overridesGpc }),
    };
    const [primary, ...others] = refs;
    const entry = await this.#ledgerWrites.add({
      key,
      kind: CONSENT_RECORDED,
      subject: primary,
      purpose: 'privacy-compliance',
      legalBasis: 'legal-obligation',
      categories: 'email' in personal ? ['consent-records', 'contact'] : ['consent-records'],
      source: input.orderId !== undefined ? `order-${input.orderId}` : `consent/${input.source}`,
      detail: detail as unknown as JsonObject,
      at: input.at,
      personal: sensitive(personal),
    });
    // A visitor id or user id seen with an email (log-in, checkout) is the same person from now on.
    for (const other of others) await this.#link(primary, other, input.at);
    await this.deps.scheduleProjection(entry.seq);
    if (PUSHED.has(input.source)) await this.deps.pushToWordPress(eventId);
    return { ...answer, duplicate: false };
  }

  readonly #linked = new Set<string>(); // pairs known to be one subject already (links are never undone)

  async #link(primary: SubjectRef, other: SubjectRef, at: string): Promise<void> {
    const pair = `${primary}/${other}`;
    if (this.#linked.has(pair)) return;
    if (!(await this.deps.ledger.areLinked(primary, other)))
      await this.deps.ledger.link(primary, other, { source: 'consent', at });
    if (this.#linked.size > 100_000) this.#linked.clear();
    this.#linked.add(pair);
  }

  /** One transaction for the batch; if it fails, each fact alone, so one bad fact fails only its own request. */
  async #recordTogether(facts: readonly Fact[]): Promise<Settled<LedgerEntry>[]> {
    const { ledger } = this.deps;
    try {
      return (await ledger.recordMany(facts)).map((value) => ({ status: 'fulfilled', value }));
    } catch (err) {
      if (facts.length === 1) return [{ status: 'rejected', reason: err }];
      return oneByOne(facts, (fact) => ledger.record(fact));
    }
  }

  async policyVersion(label: string): Promise<PolicyVersionView> {
    let version = this.#versions.get(label) ?? (await this.deps.store.version(label));
    if (!version) {
      await this.deps.projector.fresh(); // published by another process a moment ago?
      version = await this.deps.store.version(label);
    }
    if (!version) throw new AppError('CONSENT_POLICY_VERSION_UNKNOWN', { policyVersion: label });
    this.#versions.set(label, version);
    return version;
  }

  /** The current state per consentable purpose across every linked ref, or `erased` after a shred. */
  async state(ref: SubjectRef): Promise<SubjectState> {
    const { ledger, store, projector } = this.deps;
    await projector.fresh();
    const { subject, refs } = await ledger.linkedRefs(ref);
    const rows = await store.statesOf(refs);
    if (rows.length > 0 && subject && (await ledger.isShredded(subject))) return { erased: true };
    const merged = mergeStates(rows);
    const purposes = [...this.deps.purposes.consentable].sort().map((purpose): PurposeView => {
      const s: PurposeState | undefined = merged.get(purpose);
      return s
        ? {
            purpose,
            decision: s.decision,
            rule: s.rule,
            policyVersion: s.policyVersion,
            at: s.at,
            eventId: s.eventId,
            source: s.source,
          }
        : {
            purpose,
            decision: 'denied',
            rule: 'no-record',
            policyVersion: null,
            at: null,
            eventId: null,
            source: null,
          };
    });
    return { erased: false, purposes };
  }

  /** Every consent event of the subject (all linked refs), oldest first; no personal values. */
  async history(ref: SubjectRef) {
    const timeline = await this.deps.ledger.timeline(ref);
    return timeline
      .filter((e) => e.kind === CONSENT_RECORDED && e.detail)
      .map((e) => {
        const d = ConsentDetail.parse(e.detail);
        return {
          eventId: d.eventId,
          seq: e.seq,
          at: e.at,
          source: d.source,
          decisions: d.decisions,
          effects: d.effects,
          gpc: d.gpc,
          policyVersion: d.policyVersion,
          erased: e.personal === ERASED,
        };
      });
  }

  /** A mailer's question: may this address receive marketing? Only a current explicit grant says yes. */
  async mayReceiveMarketing(email: Sensitive<string>): Promise<boolean> {
    const state = await this.state(this.deps.ledger.subjectRef(email));
    return !state.erased && mayReceiveMarketing(state.purposes);
  }
}
