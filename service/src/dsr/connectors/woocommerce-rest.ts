import type { Corrections, EraseCommand, EraseCommandResult } from '../../../../shared/src/contracts/dsr.js';
import { AppError } from '../../platform/errors.js';
import type { Sensitive } from '../../platform/sensitive.js';
import type { WooClient } from '../../woocommerce/index.js';
import type { WooBooking, WooCustomer, WooOrder } from '../../woocommerce/index.js';
import { PLACEHOLDER } from '../erasure-plan.js';
import { mapLimit, type Collected, type ShopConnector } from './connector.js';

/** What REST cannot change: IP and user agent are read-only, line-item meta is not writable by PUT. */
const READ_ONLY = new Set(['customer_ip_address', 'customer_user_agent']);
const same = (a: unknown, b: string) => typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * WooCommerce through its REST API (wc/v3, wc-bookings/v1). A real store lists about 200–350
 * orders/s and needs one more request per order for its notes, so notes are fetched with bounded
 * concurrency (the client's semaphore, WOOCOMMERCE_CONCURRENCY).
 */
export class WooRestConnector implements ShopConnector {
  readonly id = 'woocommerce-rest' as const;

  constructor(
    private readonly woo: WooClient,
    private readonly concurrency = 8,
  ) {}

  estimateSeconds(orders: number): number {
    // ~250 orders/s listed; a notes request takes ~0.15 s on a real store, `concurrency` at a time.
    return Math.ceil(orders / 250 + (orders * 0.15) / this.concurrency);
  }

  async collect(email: Sensitive<string>, _requestId: string): Promise<Collected> {
    const address = email.reveal();
    const customers = await this.woo.get<WooCustomer[]>('customers', { email: address, role: 'all' });
    const customer = customers.find((c) => same(c.email, address)) ?? null;
    const byId = new Map<number, WooOrder>();
    // search= finds guest orders with the e-mail; customer= the account's orders whatever their billing e-mail.
    for await (const page of this.woo.pages<WooOrder>('orders', { search: address, status: 'any' })) {
      for (const o of page) if (same(o.billing?.email, address)) byId.set(o.id, o);
    }
    if (customer)
      for await (const page of this.woo.pages<WooOrder>('orders', { customer: customer.id, status: 'any' }))
        for (const o of page) byId.set(o.id, o);
    const orders = [...byId.values()].sort((a, b) => a.id - b.id);
    await mapLimit(orders, this.concurrency, async (o) => {
      o.notes = await this.woo.get<{ id: number }[]>(`orders/${o.id}/notes`);
    });
    return { customer, orders, bookings: await this.#bookings(customer, orders) };
  }

  async #bookings(customer: WooCustomer | null, orders: readonly WooOrder[]): Promise<WooBooking[]> {
    const ids = new Set(orders.map((o) => o.id));
    const out = new Map<number, WooBooking>();
    try {
      if (customer)
        for await (const page of this.woo.pages<WooBooking>('bookings', { customer_id: customer.id }, 'wc-bookings/v1'))
          for (const b of page) out.set(b.id, b);
      const guests = orders.filter(
        (o) =>
          !o.customer_id && (o.line_items ?? []).some((i) => (i.meta_data ?? []).some((m) => m.key === '_booking_id')),
      );
      await mapLimit(guests, this.concurrency, async (o) => {
        for (const b of await this.woo.get<WooBooking[]>('bookings', { order_id: o.id }, 'wc-bookings/v1'))
          out.set(b.id, b);
      });
    } catch (err) {
      if (err instanceof AppError && err.code === 'WOO_NOT_FOUND') return []; // no WooCommerce Bookings on this shop
      throw err;
    }
    return [...out.values()].filter(
      (b) => (customer && b.customer_id === customer.id) || (b.order_id !== undefined && ids.has(b.order_id)),
    );
  }

  async erase(cmd: EraseCommand): Promise<EraseCommandResult> {
    const orders = await mapLimit(cmd.orders, this.concurrency, (o) => this.#eraseOrder(o));
    let account: EraseCommandResult['account'] = null;
    if (cmd.deleteAccount) {
      const customerId = cmd.deleteAccount.customerId;
      try {
        await this.woo.delete(`customers/${customerId}`, { force: true });
        account = { customerId, outcome: 'done' };
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'WOO_NOT_FOUND')) throw err;
        account = { customerId, outcome: 'not-found' };
      }
    }
    for (const id of cmd.deleteBookings) {
      await this.woo.delete(`bookings/${id}`, { force: true }, 'wc-bookings/v1').catch((err: unknown) => {
        if (!(err instanceof AppError && err.code === 'WOO_NOT_FOUND')) throw err;
      });
    }
    // Product reviews are not reachable through this double/REST setup; the plugin deletes them.
    return { requestId: cmd.requestId, orders, account, reviewsDeleted: null };
  }

  async #eraseOrder(o: EraseCommand['orders'][number]): Promise<EraseCommandResult['orders'][number]> {
    let order: WooOrder;
    try {
      order = await this.woo.get<WooOrder>(`orders/${o.id}`);
    } catch (err) {
      if (err instanceof AppError && err.code === 'WOO_NOT_FOUND')
        return {
          id: o.id,
          outcome: 'not-found',
          anonymised: [],
          unchangeable: [],
          deletedMetaKeys: [],
          notesDeleted: 0,
        };
      throw err;
    }
    const body: Record<string, unknown> = {};
    const anonymised: string[] = [];
    const unchangeable: string[] = [...o.deleteItemMetaKeys.map((k) => `line_items[*].meta_data[${k}]`)];
    for (const field of o.anonymise) {
      if (READ_ONLY.has(field)) {
        unchangeable.push(field);
        continue;
      }
      const [group, key] = field.split('.') as [string, string | undefined];
      if (key) {
        const value =
          key === 'email'
            ? PLACEHOLDER.email
            : key === 'phone' || key === 'country' || key === 'state'
              ? ''
              : PLACEHOLDER.text;
        body[group] = { ...(body[group] as object), [key]: value };
      } else body[field] = field === 'customer_id' ? 0 : '';
      anonymised.push(field);
    }
    const meta = (order.meta_data ?? []) as { id?: number; key: string }[];
    const deletedMetaKeys = o.deleteMetaKeys.filter((k) => meta.some((m) => m.key === k));
    // REST cannot delete order meta; it can empty it, which leaves nothing about the person.
    if (deletedMetaKeys.length)
      body.meta_data = meta
        .filter((m) => deletedMetaKeys.includes(m.key))
        .map((m) => ({ id: m.id, key: m.key, value: '' }));
    if (Object.keys(body).length) await this.woo.put(`orders/${o.id}`, body);
    let notesDeleted = 0;
    if (o.deleteNotes) {
      for (const n of await this.woo.get<{ id: number }[]>(`orders/${o.id}/notes`)) {
        await this.woo.delete(`orders/${o.id}/notes/${n.id}`, { force: true });
        notesDeleted++;
      }
    }
    return { id: o.id, outcome: 'done', anonymised, unchangeable, deletedMetaKeys, notesDeleted };
  }

  async orders(ids: readonly number[]): Promise<WooOrder[]> {
    const found: WooOrder[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      found.push(
        ...(await this.woo.get<WooOrder[]>('orders', { include: chunk.join(','), per_page: 100, status: 'any' })),
      );
    }
    await mapLimit(found, this.concurrency, async (o) => {
      o.notes = await this.woo.get<{ id: number }[]>(`orders/${o.id}/notes`);
    });
    return found;
  }

  async customer(id: number): Promise<WooCustomer | null> {
    return this.woo.get<WooCustomer>(`customers/${id}`).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'WOO_NOT_FOUND') return null;
      throw err;
    });
  }

  async search(term: Sensitive<string>): Promise<{ orders: WooOrder[]; customers: WooCustomer[] }> {
    const orders: WooOrder[] = [];
    for await (const page of this.woo.pages<WooOrder>('orders', { search: term.reveal(), status: 'any' }))
      orders.push(...page);
    const customers = await this.woo.get<WooCustomer[]>('customers', { search: term.reveal(), role: 'all' });
    return { orders, customers };
  }

  async rectify(
    target: { customerId: number | null; orderIds: readonly number[] },
    corrections: Sensitive<Corrections>,
  ): Promise<void> {
    const c = corrections.reveal();
    const billing = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
    if (target.customerId) {
      await this.woo.put(`customers/${target.customerId}`, {
        ...(c.first_name ? { first_name: c.first_name } : {}),
        ...(c.last_name ? { last_name: c.last_name } : {}),
        billing,
      });
    }
    await mapLimit(target.orderIds, this.concurrency, (id) => this.woo.put(`orders/${id}`, { billing }));
  }
}
