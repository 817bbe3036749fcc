import { createHash, randomBytes } from 'node:crypto';
import {
  BulkReadPage,
  EraseCommandResult,
  ResidueProbeResult,
  type Corrections,
  type EraseCommand,
  type ResidueProbeQuery,
} from '../../../../shared/src/contracts/dsr.js';
import type { Delivery } from '../../delivery/index.js';
import type { Sensitive } from '../../platform/sensitive.js';
import type { WooBooking, WooCustomer, WooOrder } from '../../woocommerce/index.js';
import type { Collected, ShopConnector } from './connector.js';

/**
 * The plugin's `privacy-bridge/v1` routes, called signed through the delivery transport: the bulk
 * read returns a page of orders with their notes in one call (no request per order), and the erase
 * command runs WooCommerce's own order anonymiser plus what it misses (customer_note, custom and
 * booking meta, product reviews) inside WordPress. Searches and single reads still go through REST.
 */
export class PluginConnector implements ShopConnector {
  readonly id = 'plugin' as const;

  constructor(
    private readonly delivery: Delivery,
    private readonly rest: ShopConnector,
    private readonly perPage = 200,
  ) {}

  estimateSeconds(orders: number): number {
    return Math.ceil(orders / 1000 + 1); // one call per page of `perPage` orders with notes
  }

  async collect(email: Sensitive<string>, requestId: string): Promise<Collected> {
    let customer: WooCustomer | null = null;
    const orders: WooOrder[] = [];
    const bookings: WooBooking[] = [];
    for (let page = 1; ; page++) {
      const raw = await this.delivery.call(
        'dsr/bulk-read',
        { requestId, email: email.reveal(), page, perPage: this.perPage },
        `dsr-read-${randomBytes(8).toString('hex')}`,
      );
      const p = BulkReadPage.parse(raw);
      customer ??= (p.customer as WooCustomer | null) ?? null;
      orders.push(...(p.orders as WooOrder[]));
      bookings.push(...(p.bookings as WooBooking[]));
      if (page >= p.totalPages) break;
    }
    return { customer, orders, bookings };
  }

  async erase(command: EraseCommand, round = 0): Promise<EraseCommandResult> {
    // The message id is the command's natural key: the plugin answers a repeat with the first result.
    // A pass is sent in chunks of orders, so the key includes the chunk's content, not just request and pass;
    // a re-check round is a new attempt at the same orders, which the plugin must carry out, not answer from memory.
    const digest = createHash('sha256').update(JSON.stringify(command)).digest('hex').slice(0, 16);
    const raw = await this.delivery.call(
      'dsr/erase',
      command,
      `dsr-erase-${command.requestId}-${command.pass}-${digest}${round > 0 ? `-r${round}` : ''}`,
    );
    return EraseCommandResult.parse(raw);
  }

  async probe(
    requestId: string,
    terms: Sensitive<ResidueProbeQuery['terms']>,
    keep: NonNullable<ResidueProbeQuery['keep']>,
  ): Promise<ResidueProbeResult> {
    const raw = await this.delivery.call(
      'dsr/residue',
      { requestId, terms: terms.reveal(), keep },
      `dsr-residue-${randomBytes(8).toString('hex')}`,
    );
    return ResidueProbeResult.parse(raw);
  }

  orders(ids: readonly number[]) {
    return this.rest.orders(ids);
  }
  customer(id: number) {
    return this.rest.customer(id);
  }
  search(term: Sensitive<string>) {
    return this.rest.search(term);
  }
  rectify(target: { customerId: number | null; orderIds: readonly number[] }, corrections: Sensitive<Corrections>) {
    return this.rest.rectify(target, corrections);
  }
}
