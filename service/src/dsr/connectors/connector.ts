import type {
  Corrections,
  EraseCommand,
  EraseCommandResult,
  ResidueProbeQuery,
  ResidueProbeResult,
} from '../../../../shared/src/contracts/dsr.js';
import type { Sensitive } from '../../platform/sensitive.js';
import type { WooBooking, WooCustomer, WooOrder } from '../../woocommerce/index.js';

/** What the shop holds about one subject: their customer record, their orders (with notes), their bookings. */
export type Collected = { customer: WooCustomer | null; orders: WooOrder[]; bookings: WooBooking[] };

/**
 * Where the shop's data is read and changed: WooCommerce's REST API (woocommerce-rest.ts), or the
 * plugin's `privacy-bridge/v1` routes (plugin.ts). Every implementation guarantees:
 * - `collect` finds every order by billing e-mail (exact, case-insensitive) and by the customer's id,
 *   each with its notes, and the subject's bookings; nothing of anyone else;
 * - `erase` is idempotent (a retry after a crash re-applies the same command harmlessly) and answers
 *   item by item, naming fields it could not change (`unchangeable`) instead of pretending;
 * - personal values come in and go out as Sensitive or inside the returned data, never in errors or logs.
 */
export interface ShopConnector {
  readonly id: 'woocommerce-rest' | 'plugin';
  collect(email: Sensitive<string>, requestId: string): Promise<Collected>;
  /** Seconds a collection of `orders` orders should take on a real store (for `dsr show`). */
  estimateSeconds(orders: number): number;
  /** `round` > 0 is a re-check's new attempt (`dsr retry`): not a repeat of the first run's command. */
  erase(command: EraseCommand, round?: number): Promise<EraseCommandResult>;
  /** Orders (with notes) as they are now; missing ones are left out. */
  orders(ids: readonly number[]): Promise<WooOrder[]>;
  customer(id: number): Promise<WooCustomer | null>;
  /** Orders and customers the shop's own search finds for a term (e-mail, phone, name). */
  search(term: Sensitive<string>): Promise<{ orders: WooOrder[]; customers: WooCustomer[] }>;
  rectify(
    target: { customerId: number | null; orderIds: readonly number[] },
    corrections: Sensitive<Corrections>,
  ): Promise<void>;
  /**
   * The plugin's SQL search of the tables WooCommerce keeps personal data in (rows, never values);
   * absent where only REST is available (REST search is all there is).
   */
  probe?(
    requestId: string,
    terms: Sensitive<ResidueProbeQuery['terms']>,
    keep: NonNullable<ResidueProbeQuery['keep']>,
  ): Promise<ResidueProbeResult>;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}
