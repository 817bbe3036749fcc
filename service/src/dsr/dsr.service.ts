import { createHash, randomUUID } from 'node:crypto';
import type { Corrections, CreateDsrRequest, DsrStatus } from '../../../shared/src/contracts/dsr.js';
import type { Ledger, MasterKeyring } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { sensitive, type Sensitive } from '../platform/sensitive.js';
import { canTransition, deadlineFlag, dueDate, extendedDue, OPEN_STATUSES } from './dsr-rules.js';
import type { DsrRow, DsrStore } from './dsr-store.js';
import { stepKey } from './flows.js';
import { flaggedItems, planRetry, recheckKey } from './retry.js';

export type DsrSettings = { deadline: string; maxExtension: string; warnDays: number };
/** Who acted: `plugin/<key id>` (with `/wp-user:<id>` when a WordPress user acted in wp-admin), `admin/<operator>`, or `system/<job>`. */
export type Actor = string;
/** Search terms kept sealed for the residue check: phones and names seen on the subject's records. */
/** `fullPhones`: the phones as written (the plugin's SQL search needs no REST-safe shortening). */
export type Terms = { phones: string[]; names: string[]; fullPhones?: string[] };

/** Requests: opening, the state machine with every transition ledgered, deadlines, sealed values. */
export class DsrService {
  constructor(
    private readonly deps: {
      store: DsrStore;
      ledger: Ledger;
      keyring: MasterKeyring;
      clock: Clock;
      settings: DsrSettings;
      /** Starts (or resumes) the request's flow: enqueues ids only. */
      start: (row: DsrRow) => Promise<void>;
    },
  ) {}

  get store() {
    return this.deps.store;
  }

  /** Opens a request; `naturalId` (e.g. the plugin's message id) makes a retried POST return the same request. */
  async open(body: CreateDsrRequest, actor: Actor, naturalId?: string): Promise<DsrRow> {
    if (body.kind === 'rectification' && (!body.corrections || Object.keys(body.corrections).length === 0))
      throw new AppError('DSR_CORRECTIONS_MISSING');
    const { ledger, keyring, clock, settings, store } = this.deps;
    const id = naturalId ? uuidFrom(naturalId) : randomUUID();
    const existing = await store.get(id);
    if (existing) return existing;
    const now = clock.now();
    const receivedAt = body.receivedAt ? new Date(body.receivedAt) : now;
    if (receivedAt.getTime() > now.getTime() + 60_000)
      throw new AppError('REQUEST_INVALID', { fields: { receivedAt: ['is in the future'] } });
    const subject = ledger.subjectRef(sensitive(body.email));
    const email = keyring.sealSecret(body.email, `dsr:${id}:email`);
    const corrections = body.corrections
      ? keyring.sealSecret(JSON.stringify(body.corrections), `dsr:${id}:corrections`).sealed
      : null;
    const due = dueDate(receivedAt, settings.deadline).toISOString();
    await ledger.record({
      key: `dsr.received/${id}`,
      kind: 'dsr.received',
      subject,
      purpose: 'legal-obligations',
      legalBasis: 'legal-obligation',
      source: `request-${id}`,
      detail: {
        requestId: id,
        kind: body.kind,
        actor,
        wpRequestId: body.wpRequestId ?? null,
        identity: body.identity.method,
        verified: body.identity.verified,
        dueAt: due,
        fields: body.corrections ? Object.keys(body.corrections).sort() : [],
      },
      at: receivedAt,
    });
    await store.insert({
      id,
      kind: body.kind,
      status: 'received',
      subject,
      emailSealed: email.sealed,
      termsSealed: null,
      correctionsSealed: corrections,
      masterKeyId: email.masterKeyId,
      wpRequestId: body.wpRequestId ?? null,
      identityMethod: body.identity.method,
      locale: body.locale ?? 'sq',
      source: actor.split('/')[0]!,
      receivedAt: receivedAt.toISOString(),
      dueAt: due,
      extendedAt: null,
      extensionReason: null,
      completedAt: null,
      reason: null,
      flag: null,
      stuckStep: null,
      stuckReason: null,
      pass: 1,
      connector: null,
      version: 0,
      updatedAt: now.toISOString(),
    });
    let row = (await store.get(id))!;
    if (body.identity.verified) row = await this.verify(id, actor);
    return row;
  }

  async get(id: string): Promise<DsrRow> {
    const row = await this.deps.store.get(id);
    if (!row) throw new AppError('DSR_REQUEST_NOT_FOUND', { requestId: id });
    return row;
  }

  /** Identity confirmed: the request moves to verified and its work starts. */
  async verify(id: string, actor: Actor): Promise<DsrRow> {
    await this.transition(id, 'verified', actor);
    const row = await this.transition(id, 'in_progress', actor);
    await this.deps.start(row);
    return row;
  }

  async refuse(id: string, actor: Actor, reason: string): Promise<DsrRow> {
    return this.transition(id, 'refused', actor, { reason });
  }

  /**
   * One state change, ledgered first under a key made of the row's version (a retry re-records the
   * same key, a no-op), then applied to the row only if nobody changed it meanwhile.
   */
  async transition(
    id: string,
    to: DsrStatus,
    actor: Actor,
    extra: { reason?: string; pass?: number } = {},
  ): Promise<DsrRow> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await this.get(id);
      if (row.status === to && extra.pass === undefined) return row;
      if (!canTransition(row.status, to))
        throw new AppError('DSR_TRANSITION_INVALID', { requestId: id, from: row.status, to });
      const at = this.deps.clock.now().toISOString();
      await this.deps.ledger.record({
        key: `dsr.status/${id}/${row.version}`,
        kind: 'dsr.status',
        subject: row.subject,
        source: `request-${id}`,
        detail: {
          requestId: id,
          from: row.status,
          to,
          actor,
          ...(extra.reason ? { reason: extra.reason } : {}),
          ...(extra.pass ? { pass: extra.pass } : {}),
        },
      });
      const done = to === 'completed' || to === 'refused' || to === 'partially_completed';
      if (
        await this.deps.store.update(
          id,
          row.version,
          {
            status: to,
            reason: extra.reason ?? row.reason,
            pass: extra.pass,
            completedAt: done ? at : row.completedAt,
            stuckStep: null,
            stuckReason: null,
          },
          at,
        )
      )
        return await this.get(id);
    }
    throw new AppError('DSR_TRANSITION_INVALID', { requestId: id, to, reason: 'concurrent-update' });
  }

  async extend(id: string, actor: Actor, months: number, reason: string): Promise<DsrRow> {
    const row = await this.get(id);
    if (!OPEN_STATUSES.includes(row.status))
      throw new AppError('DSR_TRANSITION_INVALID', { requestId: id, from: row.status, to: 'extended' });
    const next = extendedDue(
      { dueAt: new Date(row.dueAt), extendedAt: row.extendedAt },
      months,
      this.deps.settings.maxExtension,
    );
    if (next === 'already-extended') throw new AppError('DSR_ALREADY_EXTENDED', { requestId: id });
    if (next === 'too-long')
      throw new AppError('DSR_EXTENSION_TOO_LONG', { requestId: id, max: this.deps.settings.maxExtension });
    const at = this.deps.clock.now().toISOString();
    await this.deps.ledger.record({
      key: `dsr.extended/${id}`,
      kind: 'dsr.extended',
      subject: row.subject,
      source: `request-${id}`,
      detail: { requestId: id, actor, from: row.dueAt, to: next.toISOString(), reason },
    });
    await this.deps.store.update(
      id,
      row.version,
      { dueAt: next.toISOString(), extendedAt: at, extensionReason: reason, flag: null },
      at,
    );
    return this.get(id);
  }

  /** Flags requests due within the warning window and overdue ones; each flag is ledgered once. */
  async flagDeadlines(): Promise<{ dueSoon: number; overdue: number }> {
    const now = this.deps.clock.now();
    const counts = { dueSoon: 0, overdue: 0 };
    for (const row of await this.deps.store.list({ statuses: OPEN_STATUSES })) {
      const flag = deadlineFlag(new Date(row.dueAt), now, this.deps.settings.warnDays);
      if (!flag) continue;
      counts[flag === 'overdue' ? 'overdue' : 'dueSoon']++;
      if (row.flag === flag) continue;
      await this.deps.ledger.record({
        key: `dsr.${flag}/${row.id}/${row.dueAt}`,
        kind: `dsr.${flag}`,
        subject: row.subject,
        source: `request-${row.id}`,
        detail: { requestId: row.id, dueAt: row.dueAt },
      });
      await this.deps.store.update(row.id, row.version, { flag }, now.toISOString());
    }
    return counts;
  }

  /** Out of retries: the request stays in its state, visibly stuck at `step` with a reason (a code, no personal data). */
  async markStuck(id: string, step: string, reason: string): Promise<void> {
    const row = await this.get(id);
    await this.deps.ledger.record({
      key: `dsr.stuck/${id}/${step}/${row.version}`,
      kind: 'dsr.stuck',
      subject: row.subject,
      source: `request-${id}`,
      detail: { requestId: id, step, reason },
    });
    await this.deps.store.update(
      id,
      row.version,
      { stuckStep: step, stuckReason: reason },
      this.deps.clock.now().toISOString(),
    );
  }

  /**
   * `dsr retry` (retry.ts decides what runs): a request stuck at a step, or in needs_attention before its
   * flow ended, resumes at its first step not yet recorded; an erasure whose steps all ran gets a re-check
   * round — in needs_attention the items the last residue check flagged are erased again, then checked,
   * then the receipt; completed or partially completed, it is checked again. The retry is ledgered with its
   * actor (a re-check under its round's key); needs_attention moves back to in_progress as a ledgered
   * transition; stuck marks are cleared. Nothing to retry: DSR_NOTHING_TO_RETRY. `restart` enqueues ids only.
   */
  async retry(
    id: string,
    actor: Actor,
    flowSteps: readonly string[],
    restart: (row: DsrRow, steps: string[], retry: number, round: number) => Promise<void>,
  ): Promise<{ row: DsrRow; remaining: string[]; round: number }> {
    let row = await this.get(id);
    const byKey = (key: string) => this.deps.ledger.byKey(key);
    const plan = await planRetry(row, flowSteps, byKey);
    await this.deps.ledger.record({
      key: plan.mode === 'recheck' ? recheckKey(row, plan.round) : `dsr.retry/${id}/${row.version}`,
      kind: 'dsr.retry',
      subject: row.subject,
      source: `request-${id}`,
      detail: {
        requestId: id,
        actor,
        pass: row.pass,
        status: row.status,
        stuckStep: row.stuckStep,
        stuckReason: row.stuckReason,
        from: plan.steps[0]!,
        mode: plan.mode,
        round: plan.round,
        steps: plan.steps,
      },
    });
    if (plan.round > 0 && plan.steps.includes('dsr.execute-erasure')) {
      const check = await byKey(stepKey('check-residue', id, row.pass, plan.round - 1));
      const residue = (JSON.parse(check?.detail ?? '{}') as { residue?: { item: string }[] }).residue ?? [];
      await this.deps.store.reopenItems(id, flaggedItems(residue, await this.deps.store.items(id, row.pass)));
    }
    if (row.status === 'needs_attention') await this.transition(id, 'in_progress', actor, { reason: 'retry' });
    else if (
      row.stuckStep &&
      !(await this.deps.store.update(
        id,
        row.version,
        { stuckStep: null, stuckReason: null },
        this.deps.clock.now().toISOString(),
      ))
    )
      throw new AppError('DSR_TRANSITION_INVALID', { requestId: id, to: 'retry', reason: 'concurrent-update' });
    row = await this.get(id);
    await restart(row, plan.steps, row.version + 1, plan.round);
    return { row, remaining: plan.steps, round: plan.round };
  }

  email(row: DsrRow): Sensitive<string> {
    return sensitive(this.deps.keyring.openSecret(row.emailSealed, row.masterKeyId, `dsr:${row.id}:email`));
  }

  corrections(row: DsrRow): Sensitive<Corrections> {
    if (!row.correctionsSealed) throw new AppError('DSR_CORRECTIONS_MISSING', { requestId: row.id });
    return sensitive(
      JSON.parse(
        this.deps.keyring.openSecret(row.correctionsSealed, row.masterKeyId, `dsr:${row.id}:corrections`),
      ) as Corrections,
    );
  }

  async sealTerms(row: DsrRow, terms: Terms): Promise<void> {
    const sealed = this.deps.keyring.sealSecret(JSON.stringify(terms), `dsr:${row.id}:terms`);
    // Sealed under the same master key id as the e-mail (the current one at opening, or re-sealed now).
    if (sealed.masterKeyId !== row.masterKeyId) return;
    await this.deps.store.update(
      row.id,
      row.version,
      { termsSealed: sealed.sealed },
      this.deps.clock.now().toISOString(),
    );
  }

  terms(row: DsrRow): Sensitive<Terms> {
    if (!row.termsSealed) return sensitive({ phones: [], names: [] });
    return sensitive(
      JSON.parse(this.deps.keyring.openSecret(row.termsSealed, row.masterKeyId, `dsr:${row.id}:terms`)) as Terms,
    );
  }
}

/** A UUID (v4 layout) derived from a natural key, so a retried POST finds the request it opened. */
export function uuidFrom(natural: string): string {
  const h = createHash('sha256').update(`dsr-request\n${natural}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
