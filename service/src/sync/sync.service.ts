import { loadPolicy, type Policy } from '../../../shared/src/policy/index.js';
import type { Config } from '../config.js';
import type { Fact, Ledger, SubjectRef } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/log/logger.js';
import { sensitive } from '../platform/sensitive.js';
import type { WooClient } from '../woocommerce/index.js';
import { appointmentFromBooking, appointmentsFromOrder, type Appointment, type WcBooking } from './bookings.js';
import { groupByPolicy, type Resource } from './classify.js';
import { flatten } from './flatten.js';
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

type WooOrder = {
  id: number; status: string; customer_id?: number; date_modified_gmt?: string | null;
  billing?: { email?: string }; payment_method?: string; transaction_id?: string; line_items?: { id?: number; name?: string; meta_data?: { key?: string; value?: unknown }[] }[];
  [k: string]: unknown;
};
type Plan = { facts: Fact[]; resource: 'order' | 'customer'; id: number; state: SyncedResource };
type WooCustomer = { id: number; email?: string; date_modified_gmt?: string | null; [k: string]: unknown };

const APPOINTMENT = 'appointment.held';

/**
 * The address WooCommerce's anonymiser writes (wp_privacy_anonymize_data('email'), recorded in
 * shared/fixtures order.updated-after-privacy-erasure), and so our erasure too. It is nobody's.
 */
export const ANONYMISED_EMAIL = 'deleted@site.invalid';
const isPlaceholderEmail = (email: string) => email.trim().toLowerCase() === ANONYMISED_EMAIL;

/**
 * Makes the ledger know what the shop holds: each resource is fetched (never taken from a queue),
 * classified through the policy, and recorded as facts whose natural keys carry a keyed digest of
 * their values — so an unchanged resource writes nothing and a changed one writes only what changed.
 */
export class SyncService {
  constructor(private readonly deps: SyncDeps) {}

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

  /**
   * A page of orders as listed: fetches their notes (if configured, at most `concurrency` at once;
   * `notes` when the caller prefetched them), reads the page's sync state in one query and records
   * the whole page in one ledger transaction. Each unchanged order costs a digest and writes nothing.
   */
  async applyPage(orders: readonly WooOrder[], concurrency = 8, notes?: ReadonlyMap<number, unknown[]>): Promise<SyncOutcome[]> {
    const live = orders.filter((o) => o.status !== 'checkout-draft');
    const [byOrder, before] = await Promise.all([
      notes ?? this.notesOf(live, concurrency),
      this.deps.state.getMany('order', live.map((o) => o.id)),
    ]);
    const planned = new Map<number, Plan | 'unchanged'>();
    for (const o of live) planned.set(o.id, await this.#planOrder(o, byOrder.get(o.id), before.get(o.id) ?? null));
    await this.#commit([...planned.values()].filter((p): p is Plan => typeof p !== 'string'));
    return orders.map((o) => {
      const p = planned.get(o.id);
      return p === undefined ? 'ignored' : typeof p === 'string' ? p : 'recorded';
    });
  }

  /**
   * Each order's notes (personal data: WooCommerce has no bulk read for them, so one request per
   * order), `concurrency` requests at a time at most; an empty map when notes are not synced.
   */
  async notesOf(orders: readonly WooOrder[], concurrency = 8): Promise<Map<number, unknown[]>> {
    const out = new Map<number, unknown[]>();
    if (!this.deps.fetchNotes) return out;
    const todo = orders.filter((o) => o.status !== 'checkout-draft');
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const o = todo[next++]!;
        out.set(o.id, await this.deps.woo.get<unknown[]>(`orders/${o.id}/notes`));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
    return out;
  }

  async applyOrder(order: WooOrder, notes?: unknown[]): Promise<SyncOutcome> {
    if (order.status === 'checkout-draft') return 'ignored';
    const plan = await this.#planOrder(order, notes, await this.deps.state.get('order', order.id));
    if (typeof plan === 'string') return plan;
    await this.#commit([plan]);
    return 'recorded';
  }

  /**
   * A keyed digest of the resource as WooCommerce rendered it (navigation links left out). Its JSON
   * text is hashed as is: WooCommerce renders fields in a fixed order, and the digest only decides
   * whether to re-plan — facts carry canonical keys, so a re-plan never duplicates an entry.
   */
  #digest(body: object): string {
    return this.deps.ledger.fingerprint(JSON.stringify({ ...body, _links: undefined }));
  }

  async #planOrder(order: WooOrder, notes: unknown[] | undefined, before: SyncedResource | null): Promise<Plan | 'unchanged'> {
    const body = notes ? { ...order, notes } : order;
    const digest = this.#digest(body);
    if (before?.digest === digest) return 'unchanged';

    const subject = await this.#subjectOf(order.billing?.email, before?.subject ?? null, `order-${order.id}`);
    const facts: Fact[] = subject ? this.#heldFacts('order', order.id, subject, body) : [];
    if (subject && order.payment_method) facts.push(this.#paymentDisclosure(order, subject));
    if (before?.status !== order.status) facts.push(this.#statusFact(order, subject, before?.status ?? null));
    if (subject) {
      for (const a of appointmentsFromOrder(this.deps.policy, order, { timeZone: this.deps.timeZone, defaultMinutes: this.deps.sessionMinutes })) {
        facts.push(this.#appointmentFact(a, subject));
      }
    }
    return { facts, resource: 'order', id: order.id, state: { subject, digest, status: order.status, modifiedGmt: order.date_modified_gmt ?? null } };
  }

  /** Ledger first, then the sync state: a crash between them re-plans and re-appends idempotently. */
  async #commit(plans: readonly Plan[]): Promise<void> {
    if (plans.length === 0) return;
    await this.deps.ledger.recordMany(plans.flatMap((p) => p.facts));
    await this.deps.state.putMany(plans.map((p) => ({ resource: p.resource, id: p.id, state: p.state })), this.deps.clock.now());
  }

  async applyCustomer(customer: WooCustomer): Promise<SyncOutcome> {
    const digest = this.#digest(customer);
    const before = await this.deps.state.get('customer', customer.id);
    if (before?.digest === digest) return 'unchanged';
    const subject = await this.#subjectOf(customer.email, before?.subject ?? null, `customer-${customer.id}`);
    const facts = subject ? this.#heldFacts('customer', customer.id, subject, customer) : [];
    if (!before) facts.push({ key: `customer-${customer.id}/registered`, kind: 'customer.registered', subject, source: `customer-${customer.id}`, detail: { customerId: customer.id } });
    await this.#commit([{ facts, resource: 'customer', id: customer.id, state: { subject, digest, status: 'active', modifiedGmt: customer.date_modified_gmt ?? null } }]);
    return 'recorded';
  }

  /** A booking from the WooCommerce Bookings API; its subject is its order's (or customer's). */
  async applyBooking(booking: WcBooking): Promise<SyncOutcome> {
    const owner = (booking.order_id && (await this.deps.state.get('order', booking.order_id))) || (booking.customer_id && (await this.deps.state.get('customer', booking.customer_id))) || null;
    if (!owner?.subject) return 'ignored';
    const digest = this.#digest(booking);
    const before = await this.deps.state.get('booking', booking.id);
    if (before?.digest === digest) return 'unchanged';
    await this.deps.ledger.record(this.#appointmentFact(appointmentFromBooking(booking), owner.subject as SubjectRef));
    await this.deps.state.put('booking', booking.id, { subject: owner.subject, digest, status: booking.status ?? null, modifiedGmt: null }, this.deps.clock.now());
    return 'recorded';
  }

  /**
   * Does the subject have a session in the future, and when does the last one end? Reads and
   * decrypts the subject's appointment entries only, nothing else.
   */
  async sessions(ref: SubjectRef, now: Date = this.deps.clock.now()): Promise<{ upcoming: boolean; lastEnd: string | null; erased: boolean }> {
    const latest = new Map<string, Appointment | null>();
    for (const e of await this.deps.ledger.timeline(ref, { kinds: [APPOINTMENT] })) {
      latest.set(e.source ?? '', e.personal && !('erased' in (e.personal as object)) ? (e.personal as unknown as Appointment) : null);
    }
    const live = [...latest.values()].filter((a): a is Appointment => a !== null && !/cancel|trash/.test(a.status ?? ''));
    const ends = live.map((a) => a.end).filter((e): e is string => e !== null).sort();
    return { upcoming: ends.some((e) => Date.parse(e) > now.getTime()), lastEnd: ends.at(-1) ?? null, erased: [...latest.values()].includes(null) };
  }

  async recordDeleted(resource: 'order' | 'customer', id: number): Promise<SyncOutcome> {
    const before = await this.deps.state.get(resource, id);
    if (before?.status === 'deleted') return 'unchanged';
    await this.deps.ledger.record({
      key: `${resource}-${id}/deleted`, kind: `${resource}.deleted`, subject: (before?.subject ?? null) as SubjectRef | null,
      source: `${resource}-${id}`, detail: { resource, id },
    });
    await this.deps.state.put(resource, id, { subject: before?.subject ?? null, digest: 'deleted', status: 'deleted', modifiedGmt: null }, this.deps.clock.now());
    return 'deleted';
  }

  async #subjectOf(email: string | undefined, previous: string | null, source: string): Promise<SubjectRef | null> {
    // An anonymised order carries the placeholder address. Linking to it would join every erased
    // customer into one subject (seen on the real store); what is left of the order stays with whoever it was.
    const ref = email && !isPlaceholderEmail(email) ? this.deps.ledger.subjectRef(sensitive(email)) : null;
    // The address changed: both refs are one person, and either finds the whole history.
    if (ref && previous && previous !== ref) await this.deps.ledger.link(previous as SubjectRef, ref, { source });
    return ref ?? (previous as SubjectRef | null);
  }

  #heldFacts(resource: Resource, id: number, subject: SubjectRef, body: object): Fact[] {
    // The modification time changes with every save; it says when, not what is held.
    const leaves = flatten(body).filter((l) => !l.path.startsWith('date_modified'));
    return groupByPolicy(this.deps.policy, resource, leaves).map((g) => ({
      key: `${resource}-${id}/${g.category}/${g.purpose}/${this.deps.ledger.fingerprint(g.fields)}`,
      kind: 'data.held',
      subject,
      purpose: g.purpose,
      legalBasis: g.legalBasis,
      categories: [g.category],
      source: `${resource}-${id}`,
      detail: { resource, id, fields: Object.keys(g.fields).sort(), retention: g.retention, special: g.special },
      personal: sensitive(g.fields),
    }));
  }

  #paymentDisclosure(order: WooOrder, subject: SubjectRef): Fact {
    const processor = this.deps.policy.recipients.find((r) => r.id.includes('payment'))?.id ?? 'payment-processor';
    const values = { payment_method: order.payment_method ?? '', transaction_id: order.transaction_id ?? '' };
    return {
      key: `order-${order.id}/disclosure/${processor}/${this.deps.ledger.fingerprint(values)}`,
      kind: 'disclosure.recorded', subject, purpose: 'payment', legalBasis: 'contract', categories: ['payment'],
      source: `order-${order.id}`, detail: { recipient: processor, orderId: order.id }, personal: sensitive(values),
    };
  }

  #statusFact(order: WooOrder, subject: SubjectRef | null, previous: string | null): Fact {
    const kind = order.status === 'trash' ? 'order.trashed' : previous === 'trash' ? 'order.restored' : 'order.status';
    return {
      key: `order-${order.id}/status/${previous ?? 'new'}-${order.status}@${order.date_modified_gmt ?? 'unknown'}`,
      kind, subject, source: `order-${order.id}`, detail: { orderId: order.id, status: order.status, previous },
    };
  }

  #appointmentFact(a: Appointment, subject: SubjectRef): Fact {
    return {
      key: `${a.key}/${this.deps.ledger.fingerprint(a as unknown as Record<string, string>)}`,
      kind: APPOINTMENT, subject, purpose: 'booking', legalBasis: 'contract', categories: ['appointment'],
      source: a.key, detail: { source: a.source, orderId: a.orderId }, personal: sensitive(a as unknown as Record<string, string>),
    };
  }
}

/** The sync as configured: the bundled policy and the SYNC_* / SHOP_TIMEZONE settings. */
export function configuredSync(config: Config, deps: Pick<SyncDeps, 'woo' | 'ledger' | 'state' | 'clock' | 'log'>): SyncService {
  return new SyncService({
    ...deps, policy: loadPolicy(), timeZone: config.sync.timeZone, sessionMinutes: config.sync.sessionMinutes, fetchNotes: config.sync.orderNotes,
  });
}
