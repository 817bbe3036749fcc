import { loadPolicy, type Policy } from '../../../shared/src/policy/index.js';
import type { Fact, Ledger, SubjectRef } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/log/logger.js';
import type { WooBooking, WooClient, WooCustomer, WooOrder } from '../woocommerce/index.js';
import { appointmentFromBooking, type Appointment } from './bookings.js';
import { notesOf } from './order-pages.js';
import {
  APPOINTMENT,
  appointmentPart,
  digestOf,
  heldParts,
  orderBody,
  prepareListed,
  prepareOrder,
  refOf,
  withSubject,
  type PlanContext,
  type PreparedOrder,
} from './order-plan.js';
import type { SyncSettings } from './settings.js';
import type { SyncedResource, SyncState } from './sync-state.js';

export type SyncDeps = {
  woo: WooClient;
  ledger: Ledger;
  policy: Policy;
  state: SyncState;
  clock: Clock;
  log: Logger;
  timeZone: string;
  sessionMinutes: number;
  /** Fetch each order's notes (one request per changed order: WooCommerce has no bulk read for them). */
  fetchNotes: boolean;
};

export type SyncOutcome = 'recorded' | 'unchanged' | 'ignored' | 'deleted';

type Plan = { facts: Fact[]; resource: 'order' | 'customer'; id: number; state: SyncedResource };

export { ANONYMISED_EMAIL } from './order-plan.js';

/**
 * Makes the ledger know what the shop holds: each resource is fetched (never taken from a queue),
 * classified through the policy, and recorded as facts whose natural keys carry a keyed digest of
 * their values — so an unchanged resource writes nothing and a changed one writes only what changed.
 */
export class SyncService {
  readonly #plan: PlanContext;

  constructor(private readonly deps: SyncDeps) {
    const { ledger, policy, timeZone, sessionMinutes } = deps;
    this.#plan = {
      policy,
      timeZone,
      sessionMinutes,
      fingerprint: (v) => ledger.fingerprint(v),
      subjectRef: (e) => ledger.subjectRef(e),
    };
  }

  /** Whether a walk should fetch each order's notes. */
  get fetchesNotes(): boolean {
    return this.deps.fetchNotes;
  }

  /** Fetches and records one resource; a resource WooCommerce no longer has is recorded as deleted. */
  async sync(resource: 'order' | 'customer', id: number): Promise<SyncOutcome> {
    try {
      if (resource === 'order') {
        const order = await this.deps.woo.get<WooOrder>(`orders/${id}`);
        const notes = this.deps.fetchNotes ? await this.deps.woo.get<unknown[]>(`orders/${id}/notes`) : undefined;
        return await this.applyOrder(order, notes);
      }
      return await this.applyCustomer(await this.deps.woo.get<WooCustomer>(`customers/${id}`));
    } catch (err) {
      if (err instanceof AppError && err.code === 'WOO_NOT_FOUND') return this.recordDeleted(resource, id);
      throw err;
    }
  }

  /** An order as a page lists it, prepared for applyPage (order-plan.ts; the backfill does this on a worker thread). */
  prepare(order: WooOrder, notes: unknown[] | undefined): PreparedOrder {
    return prepareListed(this.#plan, order, notes);
  }

  /**
   * A page of prepared orders: reads the page's sync state in one query and records the whole page
   * in one ledger transaction. Each unchanged order costs a digest comparison and writes nothing.
   */
  async applyPage(orders: readonly PreparedOrder[]): Promise<SyncOutcome[]> {
    const live = orders.filter((o) => o.status !== 'checkout-draft');
    const before = await this.deps.state.getMany(
      'order',
      live.map((o) => o.id),
    );
    const planned = new Map<number, Plan | 'unchanged'>();
    for (const o of live) planned.set(o.id, await this.#planPrepared(o, before.get(o.id) ?? null));
    await this.#commit([...planned.values()].filter((p): p is Plan => typeof p !== 'string'));
    return orders.map((o) => {
      const p = planned.get(o.id);
      return p === undefined ? 'ignored' : typeof p === 'string' ? p : 'recorded';
    });
  }

  /** Each order's notes, `concurrency` requests at a time at most; an empty map when notes are not synced. */
  async notesOf(orders: readonly WooOrder[], concurrency = 8): Promise<Map<number, unknown[]>> {
    return this.deps.fetchNotes ? notesOf(this.deps.woo, orders, concurrency) : new Map();
  }

  async applyOrder(order: WooOrder, notes?: unknown[]): Promise<SyncOutcome> {
    if (order.status === 'checkout-draft') return 'ignored';
    const before = await this.deps.state.get('order', order.id);
    // The digest first: an unchanged order (a replayed webhook) costs no classification.
    const digest = digestOf(this.#plan, orderBody(order, notes));
    if (before?.digest === digest) return 'unchanged';
    const plan = await this.#planPrepared(prepareOrder(this.#plan, order, notes, digest), before);
    if (typeof plan === 'string') return plan;
    await this.#commit([plan]);
    return 'recorded';
  }

  async #planPrepared(order: PreparedOrder, before: SyncedResource | null): Promise<Plan | 'unchanged'> {
    if (before?.digest === order.digest) return 'unchanged';
    const subject = await this.#subjectOf(order.ref, before?.subject ?? null, `order-${order.id}`);
    const facts: Fact[] = subject ? order.held.map((p) => withSubject(p, subject)) : [];
    if (subject && order.payment) facts.push(withSubject(order.payment, subject));
    if (before?.status !== order.status) facts.push(this.#statusFact(order, subject, before?.status ?? null));
    if (subject) for (const a of order.appointments) facts.push(withSubject(a, subject));
    return {
      facts,
      resource: 'order',
      id: order.id,
      state: { subject, digest: order.digest, status: order.status, modifiedGmt: order.modifiedGmt },
    };
  }

  /** Ledger first, then the sync state: a crash between them re-plans and re-appends idempotently. */
  async #commit(plans: readonly Plan[]): Promise<void> {
    if (plans.length === 0) return;
    await this.deps.ledger.recordMany(plans.flatMap((p) => p.facts));
    await this.deps.state.putMany(
      plans.map((p) => ({ resource: p.resource, id: p.id, state: p.state })),
      this.deps.clock.now(),
    );
  }

  async applyCustomer(customer: WooCustomer): Promise<SyncOutcome> {
    const digest = digestOf(this.#plan, customer);
    const before = await this.deps.state.get('customer', customer.id);
    if (before?.digest === digest) return 'unchanged';
    const subject = await this.#subjectOf(
      refOf(this.#plan, customer.email),
      before?.subject ?? null,
      `customer-${customer.id}`,
    );
    const facts = subject
      ? heldParts(this.#plan, 'customer', customer.id, customer).map((p) => withSubject(p, subject))
      : [];
    if (!before)
      facts.push({
        key: `customer-${customer.id}/registered`,
        kind: 'customer.registered',
        subject,
        source: `customer-${customer.id}`,
        detail: { customerId: customer.id },
      });
    await this.#commit([
      {
        facts,
        resource: 'customer',
        id: customer.id,
        state: { subject, digest, status: 'active', modifiedGmt: customer.date_modified_gmt ?? null },
      },
    ]);
    return 'recorded';
  }

  /** A booking from the WooCommerce Bookings API; its subject is its order's (or customer's). */
  async applyBooking(booking: WooBooking): Promise<SyncOutcome> {
    const owner =
      (booking.order_id && (await this.deps.state.get('order', booking.order_id))) ||
      (booking.customer_id && (await this.deps.state.get('customer', booking.customer_id))) ||
      null;
    if (!owner?.subject) return 'ignored';
    const digest = digestOf(this.#plan, booking);
    const before = await this.deps.state.get('booking', booking.id);
    if (before?.digest === digest) return 'unchanged';
    await this.deps.ledger.record(
      withSubject(appointmentPart(this.#plan, appointmentFromBooking(booking)), owner.subject),
    );
    await this.deps.state.put(
      'booking',
      booking.id,
      { subject: owner.subject, digest, status: booking.status ?? null, modifiedGmt: null },
      this.deps.clock.now(),
    );
    return 'recorded';
  }

  /**
   * Does the subject have a session in the future, and when does the last one end? Reads and
   * decrypts the subject's appointment entries only, nothing else.
   */
  async sessions(
    ref: SubjectRef,
    now: Date = this.deps.clock.now(),
  ): Promise<{ upcoming: boolean; lastEnd: string | null; erased: boolean }> {
    const latest = new Map<string, Appointment | null>();
    for (const e of await this.deps.ledger.timeline(ref, { kinds: [APPOINTMENT] })) {
      latest.set(
        e.source ?? '',
        e.personal && !('erased' in (e.personal as object)) ? (e.personal as unknown as Appointment) : null,
      );
    }
    const live = [...latest.values()].filter(
      (a): a is Appointment => a !== null && !/cancel|trash/.test(a.status ?? ''),
    );
    const ends = live
      .map((a) => a.end)
      .filter((e): e is string => e !== null)
      .sort();
    return {
      upcoming: ends.some((e) => Date.parse(e) > now.getTime()),
      lastEnd: ends.at(-1) ?? null,
      erased: [...latest.values()].includes(null),
    };
  }

  async recordDeleted(resource: 'order' | 'customer', id: number): Promise<SyncOutcome> {
    const before = await this.deps.state.get(resource, id);
    if (before?.status === 'deleted') return 'unchanged';
    await this.deps.ledger.record({
      key: `${resource}-${id}/deleted`,
      kind: `${resource}.deleted`,
      subject: before?.subject ?? null,
      source: `${resource}-${id}`,
      detail: { resource, id },
    });
    await this.deps.state.put(
      resource,
      id,
      { subject: before?.subject ?? null, digest: 'deleted', status: 'deleted', modifiedGmt: null },
      this.deps.clock.now(),
    );
    // WooCommerce sets a deleted customer's orders to guest (customer_id 0) and sends no order webhook: sync them now.
    if (resource === 'customer' && before?.subject)
      for (const orderId of await this.deps.state.idsOfSubject('order', before.subject))
        await this.sync('order', orderId);
    return 'deleted';
  }

  async #subjectOf(ref: SubjectRef | null, previous: SubjectRef | null, source: string): Promise<SubjectRef | null> {
    // The address changed: both refs are one person, and either finds the whole history.
    if (ref && previous && previous !== ref) await this.deps.ledger.link(previous, ref, { source });
    return ref ?? previous;
  }

  #statusFact(order: PreparedOrder, subject: SubjectRef | null, previous: string | null): Fact {
    const kind = order.status === 'trash' ? 'order.trashed' : previous === 'trash' ? 'order.restored' : 'order.status';
    return {
      key: `order-${order.id}/status/${previous ?? 'new'}-${order.status}@${order.modifiedGmt ?? 'unknown'}`,
      kind,
      subject,
      source: `order-${order.id}`,
      detail: { orderId: order.id, status: order.status, previous },
    };
  }
}

/** The sync as configured: the bundled policy and the SYNC_* / SHOP_TIMEZONE settings. */
export function configuredSync(
  config: { readonly sync: Pick<SyncSettings, 'timeZone' | 'sessionMinutes' | 'orderNotes'> },
  deps: Pick<SyncDeps, 'woo' | 'ledger' | 'state' | 'clock' | 'log'>,
): SyncService {
  return new SyncService({
    ...deps,
    policy: loadPolicy(),
    timeZone: config.sync.timeZone,
    sessionMinutes: config.sync.sessionMinutes,
    fetchNotes: config.sync.orderNotes,
  });
}
