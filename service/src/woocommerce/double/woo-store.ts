import { EventEmitter } from 'node:events';
import { toGmtString } from './woo-format.js';
import type {
  BookingRecord,
  CustomerRecord,
  LineItem,
  Meta,
  NoteRecord,
  OrderRecord,
  RefundRecord,
} from './woo-records.js';

export type WooResource = 'order' | 'customer';
export type WooEvent = 'created' | 'updated' | 'deleted' | 'restored';
/** What the shop would hand to its webhooks (`do_action` hooks mapped by get_topic_hooks()). */
export type StoreChange = { resource: WooResource; event: WooEvent; id: number };

type Sequences = {
  post: number;
  user: number;
  comment: number;
  orderMeta: number;
  userMeta: number;
  item: number;
  itemMeta: number;
  booking: number;
};

/**
 * The in-memory shop. Tests mutate it the way the shop would (checkout, wp-admin, cron) and the
 * REST routes use the same methods, so webhooks fire the same way from both. Ids follow WordPress:
 * orders and refunds share the posts sequence, notes are comments, customers are users.
 */
export class WooStore {
  readonly orders = new Map<number, OrderRecord>();
  readonly customers = new Map<number, CustomerRecord>();
  readonly notes = new Map<number, NoteRecord>();
  readonly refunds = new Map<number, RefundRecord>();
  readonly bookings = new Map<number, BookingRecord>();
  readonly changes = new EventEmitter();
  /** Bumped on every order mutation; sorted views are cached per version. */
  version = 0;
  private readonly seq: Sequences = {
    post: 0,
    user: 0,
    comment: 0,
    orderMeta: 0,
    userMeta: 0,
    item: 0,
    itemMeta: 0,
    booking: 0,
  };
  private readonly notesByOrder = new Map<number, number[]>();
  private readonly refundsByOrder = new Map<number, RefundRecord[]>();
  private readonly sortCache = new Map<string, { version: number; rows: OrderRecord[] }>();
  private statusIndex = { version: -1, byStatus: new Map<string, OrderRecord[]>() };

  constructor(readonly now: () => number = Date.now) {}

  nowGmt(): string {
    return toGmtString(this.now());
  }

  next(kind: keyof Sequences): number {
    return ++this.seq[kind];
  }
  /** Keep sequences ahead of imported ids. */
  bump(kind: keyof Sequences, id: number): void {
    if (id > this.seq[kind]) this.seq[kind] = id;
  }

  private emit(change: StoreChange): void {
    this.changes.emit('change', change);
  }
  private touch(): void {
    this.version++;
  }

  // ---- orders -------------------------------------------------------------------------------
  putOrder(order: OrderRecord, event?: WooEvent): OrderRecord {
    this.orders.set(order.id, order);
    this.bump('post', order.id);
    this.touch();
    if (event) this.emit({ resource: 'order', event, id: order.id });
    return order;
  }

  updateOrder(id: number, patch: Partial<OrderRecord>, opts: { silent?: boolean } = {}): OrderRecord {
    const current = this.mustOrder(id);
    const next: OrderRecord = { ...current, ...patch, modified: patch.modified ?? this.nowGmt() };
    return this.putOrder(next, opts.silent ? undefined : 'updated');
  }

  /** `DELETE /orders/<id>` without force, or wp-admin "Trash": status trash + `order.deleted` {id}. */
  trashOrder(id: number): OrderRecord {
    const current = this.mustOrder(id);
    const trashMeta = this.meta('orderMeta', [
      { key: '_wp_trash_meta_status', value: `wc-${current.status}` },
      { key: '_wp_trash_meta_time', value: String(Math.floor(this.now() / 1000)) },
    ]);
    const next = {
      ...current,
      status: 'trash',
      trashedFrom: current.status,
      modified: this.nowGmt(),
      meta_data: [...current.meta_data, ...trashMeta],
    };
    return this.putOrder(next, 'deleted');
  }

  /** WC_Order::untrash() (wp-admin "Restore"; no REST route): `order.restored` then `order.updated`. */
  untrashOrder(id: number): OrderRecord {
    const current = this.mustOrder(id);
    const { trashedFrom, ...rest } = current;
    const meta_data = rest.meta_data.filter((m) => !m.key.startsWith('_wp_trash_meta_'));
    const next = { ...rest, meta_data, status: trashedFrom ?? 'pending', modified: this.nowGmt() };
    this.putOrder(next, 'restored');
    this.emit({ resource: 'order', event: 'updated', id });
    return next;
  }

  /** Permanent delete (`force=true`, batch delete): NO webhook, as recorded. */
  deleteOrder(id: number): OrderRecord {
    const current = this.mustOrder(id);
    this.orders.delete(id);
    for (const noteId of this.notesByOrder.get(id) ?? []) this.notes.delete(noteId);
    this.notesByOrder.delete(id);
    for (const r of this.refundsByOrder.get(id) ?? []) this.refunds.delete(r.id);
    this.refundsByOrder.delete(id);
    this.touch();
    return current;
  }

  mustOrder(id: number): OrderRecord {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    return order;
  }

  /** All orders sorted by `orderby` (+ id tiebreak), cached until the next mutation. */
  sortedOrders(orderby: 'date' | 'modified' | 'id', order: 'asc' | 'desc'): readonly OrderRecord[] {
    const key = `${orderby}:${order}`;
    const cached = this.sortCache.get(key);
    if (cached && cached.version === this.version) return cached.rows;
    const field = orderby === 'date' ? 'created' : orderby === 'modified' ? 'modified' : null;
    const dir = order === 'asc' ? 1 : -1;
    const rows = [...this.orders.values()].sort((a, b) => {
      if (field && a[field] !== b[field]) return (a[field] < b[field] ? -1 : 1) * dir;
      return (a.id - b.id) * dir;
    });
    this.sortCache.set(key, { version: this.version, rows });
    return rows;
  }

  /**
   * One status's orders by modification time (+ id), ascending — `sortedOrders('modified', 'asc')`
   * split by status, rebuilt after a mutation. A status-filtered walk counts and pages from it
   * without scanning the shop's other orders.
   */
  ordersByModified(status: string): readonly OrderRecord[] {
    if (this.statusIndex.version !== this.version) {
      const byStatus = new Map<string, OrderRecord[]>();
      for (const o of this.sortedOrders('modified', 'asc')) {
        const rows = byStatus.get(o.status);
        if (rows) rows.push(o);
        else byStatus.set(o.status, [o]);
      }
      this.statusIndex = { version: this.version, byStatus };
    }
    return this.statusIndex.byStatus.get(status) ?? [];
  }

  /** Every status some order has now (with `ordersByModified`: the `status=any` walk). */
  orderStatuses(): string[] {
    this.ordersByModified('');
    return [...this.statusIndex.byStatus.keys()];
  }

  // ---- notes ----------------------------------------------------------------------------------
  /** Adding a note does not save the order, so no webhook (as recorded). */
  addNote(
    orderId: number,
    note: Omit<NoteRecord, 'id' | 'orderId' | 'created'> & { id?: number; created?: string },
  ): NoteRecord {
    const record: NoteRecord = {
      ...note,
      id: note.id ?? this.next('comment'),
      orderId,
      created: note.created ?? this.nowGmt(),
    };
    this.bump('comment', record.id);
    this.notes.set(record.id, record);
    const list = this.notesByOrder.get(orderId) ?? [];
    list.push(record.id);
    this.notesByOrder.set(orderId, list);
    return record;
  }

  /** Newest first (date, then id), as `GET /orders/<id>/notes` returns them. */
  notesOf(orderId: number): NoteRecord[] {
    const ids = this.notesByOrder.get(orderId) ?? [];
    return ids
      .map((id) => this.notes.get(id))
      .filter((n): n is NoteRecord => !!n)
      .sort((a, b) => (a.created === b.created ? b.id - a.id : a.created < b.created ? 1 : -1));
  }

  deleteNote(id: number): void {
    const note = this.notes.get(id);
    if (!note) return;
    this.notes.delete(id);
    this.notesByOrder.set(
      note.orderId,
      (this.notesByOrder.get(note.orderId) ?? []).filter((n) => n !== id),
    );
  }

  // ---- refunds --------------------------------------------------------------------------------
  /** `wc_create_refund()`: fires `order.updated` on the parent (hook woocommerce_order_refunded). */
  addRefund(
    refund: Omit<RefundRecord, 'id' | 'created'> & { id?: number; created?: string },
    opts: { silent?: boolean } = {},
  ): RefundRecord {
    const record: RefundRecord = {
      ...refund,
      id: refund.id ?? this.next('post'),
      created: refund.created ?? this.nowGmt(),
    };
    this.bump('post', record.id);
    this.refunds.set(record.id, record);
    this.refundsByOrder.set(record.orderId, [
      ...(this.refundsByOrder.get(record.orderId) ?? []).filter((r) => r.id !== record.id),
      record,
    ]);
    if (!opts.silent) {
      const order = this.mustOrder(record.orderId);
      const refunded = this.refundsOf(order.id).reduce((s, r) => s + Number(r.amount), 0);
      const fully = refunded >= Number(order.total);
      this.updateOrder(order.id, fully ? { status: 'refunded' } : {});
    }
    return record;
  }

  /** Newest first (date, then id), WooCommerce's default `orderby=date&order=desc`. */
  refundsOf(orderId?: number): RefundRecord[] {
    // Indexed by order: rendering a page of orders must not scan every refund of the shop per order.
    const rows =
      orderId === undefined
        ? [...this.refunds.values()]
        : (this.refundsByOrder.get(orderId) ?? []).filter((r) => this.refunds.get(r.id) === r);
    return rows.sort((a, b) => (a.created === b.created ? b.id - a.id : a.created < b.created ? 1 : -1));
  }

  // ---- customers ------------------------------------------------------------------------------
  putCustomer(customer: CustomerRecord, event?: WooEvent): CustomerRecord {
    this.customers.set(customer.id, customer);
    this.bump('user', customer.id);
    if (event === 'created') {
      this.emit({ resource: 'customer', event: 'created', id: customer.id });
      this.emit({ resource: 'customer', event: 'updated', id: customer.id }); // recorded: create also sends updated
    } else if (event) this.emit({ resource: 'customer', event, id: customer.id });
    return customer;
  }

  updateCustomer(id: number, patch: Partial<CustomerRecord>): CustomerRecord {
    const current = this.customers.get(id);
    if (!current) throw new Error(`no customer ${id}`);
    return this.putCustomer({ ...current, ...patch, modified: this.nowGmt() }, 'updated');
  }

  /**
   * wp_delete_user(): `customer.deleted` {id} only for role customer; the user's orders get
   * customer_id 0 (no order.updated) and KEEP their billing data, as recorded.
   */
  deleteCustomer(id: number): CustomerRecord {
    const current = this.customers.get(id);
    if (!current) throw new Error(`no customer ${id}`);
    this.customers.delete(id);
    for (const order of this.orders.values()) {
      // Recorded: date_modified moves to the deletion time, yet no order.updated is sent.
      if (order.customer_id === id) this.orders.set(order.id, { ...order, customer_id: 0, modified: this.nowGmt() });
    }
    this.touch();
    if (current.role === 'customer') this.emit({ resource: 'customer', event: 'deleted', id });
    return current;
  }

  // ---- bookings -------------------------------------------------------------------------------
  putBooking(booking: BookingRecord): BookingRecord {
    this.bookings.set(booking.id, booking);
    this.bump('booking', booking.id);
    return booking;
  }

  // ---- helpers for builders -------------------------------------------------------------------
  meta(kind: 'orderMeta' | 'userMeta', entries: readonly { key: string; value: unknown }[]): Meta[] {
    return entries.map((m) => ({ id: this.next(kind), key: m.key, value: m.value }));
  }

  itemMeta(entries: readonly { key: string; value: unknown }[]): Meta[] {
    return entries.map((m) => ({ id: this.next('itemMeta'), key: m.key, value: m.value }));
  }

  lineItem(item: Omit<LineItem, 'id'>): LineItem {
    return { id: this.next('item'), ...item };
  }
}
