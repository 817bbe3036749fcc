import { addIsoPeriod, classifyField, type Policy } from '../../../shared/src/policy/index.js';
import { ERASABLE_ORDER_FIELDS } from '../../../shared/src/contracts/dsr.js';
import { appointmentFromBooking, appointmentsFromOrder, flatten } from '../sync/index.js';
import type { WooBooking, WooOrder } from '../woocommerce/index.js';
import type { Collected } from './connectors/connector.js';

/** WooCommerce's anonymiser placeholders (class-wc-privacy-erasers.php), where REST refuses empty values. */
export const PLACEHOLDER = { text: '[deleted]', email: 'deleted@site.invalid' } as const;

/**
 * The erasure plan, pure: every item the shop holds about the subject, each to be erased, anonymised,
 * or retained with the policy's reason and an end date. Holds come from the policy's field map (which
 * holds may keep which field) and from the data: unpaid or processing orders (`open-order`), sessions
 * not yet over (`upcoming-session`, until the session's end plus a margin), paid orders (`accounting`,
 * until the end of the financial year plus the accounting period). Fingerprints (keyed digests of the
 * values to anonymise) let the residue check see a value that silently survived, without keeping it.
 */

export type { Collected };

export type ItemAction = 'erase' | 'anonymise' | 'retain';
export type PlanItem = {
  /** Stable within a request: `order-12/anonymise`, `order-12/retain/accounting`, `customer-3`, `ledger`. */
  readonly item: string;
  readonly resource: 'order' | 'order-notes' | 'customer' | 'booking' | 'ledger' | 'reviews';
  readonly resourceId: number | null;
  readonly action: ItemAction;
  /** Field paths (order fields, `meta_data[k]`, `line_items[*].meta_data[k]`), or a count for notes. */
  readonly fields: readonly string[];
  readonly hold: string | null;
  /** ISO date the hold ends; null for a hold without a known end (an open order), or no hold. */
  readonly until: string | null;
  /** Field path → keyed digest of the value before anonymisation. */
  readonly fingerprints: Record<string, string>;
};

export type PlanOptions = {
  policy: Policy;
  now: Date;
  /** Kept after a session's end (ISO period, e.g. P1D). */
  sessionMargin: string;
  timeZone: string;
  sessionMinutes: number;
  fingerprint: (value: unknown) => string;
};

const OPEN = new Set(['pending', 'on-hold', 'processing']);
const PAID = new Set(['processing', 'completed', 'refunded']);
const ERASABLE = new Set<string>(ERASABLE_ORDER_FIELDS);

type Hold = { id: string; until: string | null };

/** The holds that apply to one order now. */
export function orderHolds(order: WooOrder, bookings: readonly WooBooking[], o: PlanOptions): Map<string, Hold> {
  const holds = new Map<string, Hold>();
  if (OPEN.has(order.status)) holds.set('open-order', { id: 'open-order', until: null });
  const ends = [
    ...appointmentsFromOrder(o.policy, order as never, { timeZone: o.timeZone, defaultMinutes: o.sessionMinutes })
      .filter((a) => !/cancel/.test(a.status ?? ''))
      .map((a) => a.end),
    ...bookings
      .filter((b) => b.order_id === order.id && !/cancel|trash/.test(b.status ?? ''))
      .map((b) => appointmentFromBooking(b).end),
  ]
    .filter((e): e is string => !!e && Date.parse(e) > o.now.getTime())
    .sort();
  if (ends.length && order.status !== 'cancelled' && order.status !== 'refunded') {
    holds.set('upcoming-session', {
      id: 'upcoming-session',
      until: addIsoPeriod(new Date(ends.at(-1)!), o.sessionMargin).toISOString(),
    });
  }
  const paidAt = order.date_paid_gmt ?? (PAID.has(order.status) ? order.date_created_gmt : null);
  if (paidAt) {
    const rule = o.policy.retention.find((r) => r.id === 'accounting');
    const yearEnd = new Date(Date.UTC(new Date(`${paidAt}Z`.replace(/ZZ$/, 'Z')).getUTCFullYear(), 11, 31, 23, 59, 59));
    if (rule) holds.set('accounting', { id: 'accounting', until: addIsoPeriod(yearEnd, rule.period).toISOString() });
  }
  return holds;
}

const later = (a: Hold, b: Hold) => (a.until === null ? a : b.until === null ? b : a.until >= b.until ? a : b);

/** Which personal fields of an order are candidates: erasable order fields, order meta, line-item meta. */
export function candidateFields(order: WooOrder): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const leaf of flatten({ ...order, notes: undefined, refunds: undefined })) {
    const generic = leaf.path.replace(/\[\d+\]/g, '[*]');
    const isMeta = /^meta_data\[|^line_items\[\*\]\.meta_data\[/.test(generic);
    if (!ERASABLE.has(generic) && !isMeta) continue;
    if (generic === 'customer_id' && Number(leaf.value) === 0) continue;
    const prev = out.get(generic);
    out.set(generic, prev === undefined ? leaf.value : [prev, leaf.value].flat());
  }
  return out;
}

/**
 * A value unchanged by the erasure yet anonymous: an IP whose last part was already 0, a field already
 * holding WooCommerce's placeholder (a second erasure of a held order: its user agent is `[deleted]`), empty.
 */
export const alreadyAnonymous = (field: string, value: unknown) => {
  if (value === '' || value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  if (field === 'customer_ip_address') return /(\.0|::)$/.test(value);
  return value === PLACEHOLDER.text || value === PLACEHOLDER.email || /^[+0\s()-]*0[0\s()-]*$/.test(value);
};

/**
 * The notes an erasure itself writes, which say nothing about the person: WooCommerce's after its anonymiser
 * ran, and the plugin's on a held order (HoldNote: "Privacy Bridge: …", in either language, holds and dates only).
 */
export const ERASURE_NOTE = /^(Personal data removed\.?$|Privacy Bridge: )/;

export function planOrder(order: WooOrder, bookings: readonly WooBooking[], o: PlanOptions): PlanItem[] {
  const holds = orderHolds(order, bookings, o);
  const anonymise: string[] = [];
  const fingerprints: Record<string, string> = {};
  const retained = new Map<string, { hold: Hold; fields: string[] }>();
  for (const [path, value] of candidateFields(order)) {
    // Already erased (a second request, a hold released after WooCommerce's placeholders): nothing to do or keep.
    if ([value].flat().every((v) => alreadyAnonymous(path, v))) continue;
    const entry = classifyField(o.policy, 'order', path);
    const active = (entry?.holds ?? []).map((h) => holds.get(h)).filter((h): h is Hold => !!h);
    if (active.length === 0) {
      anonymise.push(path);
      fingerprints[path] = o.fingerprint(value);
      continue;
    }
    const hold = active.reduce(later);
    const group = retained.get(hold.id) ?? { hold, fields: [] };
    group.fields.push(path);
    retained.set(hold.id, group);
  }
  const items: PlanItem[] = [];
  if (anonymise.length)
    items.push({
      item: `order-${order.id}/anonymise`,
      resource: 'order',
      resourceId: order.id,
      action: 'anonymise',
      fields: anonymise.sort(),
      hold: null,
      until: null,
      fingerprints,
    });
  const notes = ((order.notes ?? []) as { note?: string }[]).filter((n) => !ERASURE_NOTE.test(n.note ?? '')).length;
  if (notes > 0) {
    // The notes go with the policy's holds for notes, and stay while a session is still to come: that order is
    // left as it is (issue 20.4). Accounting keeps the invoice fields only (policy.json: notes are not on its list),
    // so a paid past order's notes, which often name the session and the psychologist, are erased.
    const noteHold =
      (classifyField(o.policy, 'order', 'notes[0].note')?.holds ?? []).map((h) => holds.get(h)).find(Boolean) ??
      holds.get('upcoming-session');
    items.push(
      noteHold
        ? {
            item: `order-${order.id}/notes/retain`,
            resource: 'order-notes',
            resourceId: order.id,
            action: 'retain',
            fields: [`${notes} notes`],
            hold: noteHold.id,
            until: noteHold.until,
            fingerprints: {},
          }
        : {
            item: `order-${order.id}/notes`,
            resource: 'order-notes',
            resourceId: order.id,
            action: 'erase',
            fields: [`${notes} notes`],
            hold: null,
            until: null,
            fingerprints: { count: String(notes) },
          },
    );
  }
  for (const { hold, fields } of retained.values()) {
    items.push({
      item: `order-${order.id}/retain/${hold.id}`,
      resource: 'order',
      resourceId: order.id,
      action: 'retain',
      fields: fields.sort(),
      hold: hold.id,
      until: hold.until,
      fingerprints: {},
    });
  }
  return items;
}

/** The whole plan for a subject. */
export function planErasure(c: Collected, o: PlanOptions): PlanItem[] {
  const items = c.orders.flatMap((order) => planOrder(order, c.bookings, o));
  // The account stays while a contract still runs on it (an open order, a session to come).
  const accountHolds = c.orders
    .flatMap((order) => [...orderHolds(order, c.bookings, o).values()])
    .filter((h) => h.id !== 'accounting');
  if (c.customer) {
    const hold = accountHolds.length ? accountHolds.reduce(later) : null;
    items.push(
      hold
        ? {
            item: `customer-${c.customer.id}`,
            resource: 'customer',
            resourceId: c.customer.id,
            action: 'retain',
            fields: ['account'],
            hold: hold.id,
            until: hold.until,
            fingerprints: {},
          }
        : {
            item: `customer-${c.customer.id}`,
            resource: 'customer',
            resourceId: c.customer.id,
            action: 'erase',
            fields: ['account'],
            hold: null,
            until: null,
            fingerprints: {},
          },
    );
  }
  for (const b of c.bookings) {
    const end = appointmentFromBooking(b).end;
    const upcoming = end && Date.parse(end) > o.now.getTime() && !/cancel|trash/.test(b.status ?? '');
    items.push(
      upcoming
        ? {
            item: `booking-${b.id}`,
            resource: 'booking',
            resourceId: b.id,
            action: 'retain',
            fields: ['booking'],
            hold: 'upcoming-session',
            until: addIsoPeriod(new Date(end), o.sessionMargin).toISOString(),
            fingerprints: {},
          }
        : {
            item: `booking-${b.id}`,
            resource: 'booking',
            resourceId: b.id,
            action: 'erase',
            fields: ['booking'],
            hold: null,
            until: null,
            fingerprints: {},
          },
    );
  }
  items.push({
    item: 'reviews',
    resource: 'reviews',
    resourceId: null,
    action: 'erase',
    fields: ['product reviews'],
    hold: null,
    until: null,
    fingerprints: {},
  });
  items.push({
    item: 'ledger',
    resource: 'ledger',
    resourceId: null,
    action: 'erase',
    fields: ['consent records', 'ledger values'],
    hold: null,
    until: null,
    fingerprints: {},
  });
  return items;
}
