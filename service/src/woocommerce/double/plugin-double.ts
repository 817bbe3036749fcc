import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import express from 'express';
import {
  BulkReadQuery,
  EraseCommand,
  ResidueProbeQuery,
  type EraseCommandResult,
} from '../../../../shared/src/contracts/dsr.js';
import { SIGNED_HEADERS, signatureMatches } from '../../../../shared/src/contracts/signed-transport.js';
import type { WooStore } from './woo-store.js';
import { residueProbe } from './plugin-double-residue.js';

const MASK_TEXT = '[deleted]';

/**
 * The plugin's `privacy-bridge/v1` DSR routes as a test double over the WooCommerce double's store:
 * the erase command does what WC_Privacy_Erasers::remove_order_personal_data() does (placeholders,
 * IP last octet 0, notes deleted and one "Personal data removed." note) plus what the plugin adds
 * (customer_note, order and line-item meta, the account); on a held order (the command names its holds) no
 * anonymiser note, and one note saying why it is kept (HoldNote). `lie` makes it answer "done" for an order
 * it did not touch — a silent failure the residue check must catch. Pushes are recorded.
 * Used by the DSR tests (service/src/testing/dsr-harness.ts) and `npm run bench -- dsr`.
 */
export async function pluginDouble(
  store: WooStore,
  key: { id: string; secret: string },
  options: {
    lie?: Set<number>;
    /** Off for a long-running demo: what was pushed is not kept. */
    recordPushes?: boolean;
    read?: (email: string) => Promise<{ customer: unknown; orders: unknown[]; bookings: unknown[] }>;
  } = {},
) {
  const pushes: { route: string; body: Record<string, unknown> }[] = [];
  const results = new Map<string, EraseCommandResult>();
  const reads = new Map<string, Promise<{ customer: unknown; orders: unknown[]; bookings: unknown[] }>>();
  const app = express();
  app.use(
    express.json({
      limit: '10mb',
      verify: (req, _res, buf) => void ((req as unknown as { raw: Buffer }).raw = Buffer.from(buf)),
    }),
  );
  app.use((req, res, next) => {
    const h = (n: string) => String(req.headers[n] ?? '');
    const ok =
      h(SIGNED_HEADERS.keyId) === key.id &&
      signatureMatches(
        key.secret,
        {
          method: req.method,
          path: req.originalUrl,
          timestamp: Number(h(SIGNED_HEADERS.timestamp)),
          messageId: h(SIGNED_HEADERS.messageId),
          body: (req as unknown as { raw: Buffer }).raw ?? '',
        },
        h(SIGNED_HEADERS.signature),
      );
    if (!ok) return void res.status(401).json({ code: 'privacy_bridge_signature_invalid' });
    next();
  });
  app.post('/wp-json/privacy-bridge/v1/dsr/erase', (req, res) => {
    const cmd = EraseCommand.parse(req.body);
    const messageId = String(req.headers[SIGNED_HEADERS.messageId]);
    if (!results.has(messageId)) results.set(messageId, erase(store, cmd, options.lie ?? new Set()));
    res.json(results.get(messageId));
  });
  app.post('/wp-json/privacy-bridge/v1/dsr/bulk-read', async (req, res) => {
    const q = BulkReadQuery.parse(req.body);
    // WordPress reads a page from its database; the double reads the subject once per request and pages that.
    if (!reads.has(q.requestId)) reads.set(q.requestId, options.read!(q.email));
    const all = await reads.get(q.requestId)!;
    const totalPages = Math.max(1, Math.ceil(all.orders.length / q.perPage));
    res.json({
      customer: q.page === 1 ? all.customer : null,
      orders: all.orders.slice((q.page - 1) * q.perPage, q.page * q.perPage),
      bookings: q.page === 1 ? all.bookings : [],
      page: q.page,
      totalPages,
    });
  });
  app.post(
    '/wp-json/privacy-bridge/v1/dsr/residue',
    (req, res) => void res.json(residueProbe(store, ResidueProbeQuery.parse(req.body))),
  );
  app.use('/wp-json/privacy-bridge/v1', (req, res) => {
    if (options.recordPushes !== false)
      pushes.push({ route: req.path.replace(/^\//, ''), body: req.body as Record<string, unknown> });
    res.status(202).json({ ok: true });
  });
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pushes,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** HoldNote::text() of the plugin, as an English shop writes it (the double has no locale): each hold and its end. */
export function holdNote(holds: NonNullable<EraseCommand['orders'][number]['holds']>): string | null {
  if (holds.length === 0) return null;
  const names: Record<string, string> = {
    'open-order': 'an open order',
    'upcoming-session': 'an upcoming session',
    accounting: 'accounting records',
    'legal-claim': 'a legal claim',
  };
  const day = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(iso))
      .replace(/,/g, '');
  const parts = holds.map((h) =>
    h.until === null ? `${names[h.id] ?? h.id}, with no end date yet` : `${names[h.id] ?? h.id} until ${day(h.until)}`,
  );
  return `Privacy Bridge: the personal data on this order is kept after an erasure request, because of: ${parts.join('; ')}.`;
}

function erase(store: WooStore, cmd: EraseCommand, lie: Set<number>): EraseCommandResult {
  const orders = cmd.orders.map((o) => {
    const order = store.orders.get(o.id);
    if (!order)
      return {
        id: o.id,
        outcome: 'not-found' as const,
        anonymised: [],
        unchangeable: [],
        deletedMetaKeys: [],
        notesDeleted: 0,
      };
    if (lie.has(o.id))
      return {
        id: o.id,
        outcome: 'done' as const,
        anonymised: o.anonymise,
        unchangeable: [],
        deletedMetaKeys: o.deleteMetaKeys,
        notesDeleted: 0,
      };
    const billing: Record<string, string> = { ...order.billing } as Record<string, string>;
    const shipping: Record<string, string> = { ...order.shipping } as Record<string, string>;
    const patch: Record<string, unknown> = {};
    for (const f of o.anonymise) {
      const [group, field] = f.split('.') as [string, string | undefined];
      const target = group === 'billing' ? billing : group === 'shipping' ? shipping : null;
      if (target && field)
        target[field] =
          field === 'email'
            ? 'deleted@site.invalid'
            : field === 'phone'
              ? target[field]!.replace(/\d/g, '0')
              : field === 'state' || field === 'country'
                ? ''
                : MASK_TEXT;
      else if (f === 'customer_ip_address') patch[f] = order.customer_ip_address.replace(/\.\d+$/, '.0');
      else if (f === 'customer_user_agent') patch[f] = MASK_TEXT;
      else if (f === 'customer_id') patch[f] = 0;
      else patch[f] = '';
    }
    // As the plugin answers: only keys that were there, order meta first, then each line item's (OrderEraser::delete_meta).
    const deletedMetaKeys = [
      ...new Set([
        ...o.deleteMetaKeys.filter((k) => order.meta_data.some((m) => m.key === k)),
        ...order.line_items.flatMap((i) => o.deleteItemMetaKeys.filter((k) => i.meta_data.some((m) => m.key === k))),
      ]),
    ];
    const meta_data = order.meta_data.filter((m) => !o.deleteMetaKeys.includes(m.key));
    const line_items = order.line_items.map((i) => ({
      ...i,
      meta_data: i.meta_data.filter((m) => !o.deleteItemMetaKeys.includes(m.key)),
    }));
    let notesDeleted = 0;
    const holds = o.holds ?? [];
    if (o.deleteNotes) {
      for (const n of store.notesOf(o.id)) {
        store.deleteNote(n.id);
        notesDeleted++;
      }
      // WooCommerce's anonymiser, and so its note, runs only on an order nothing holds (OrderEraser).
      if (holds.length === 0)
        store.addNote(o.id, { author: 'WooCommerce', customer_note: false, note: 'Personal data removed.' });
    }
    const why = holdNote(holds);
    if (why && !store.notesOf(o.id).some((n) => n.note === why))
      store.addNote(o.id, { author: 'WooCommerce', customer_note: false, note: why });
    store.updateOrder(o.id, {
      ...patch,
      billing: billing as never,
      shipping: shipping as never,
      meta_data,
      line_items,
    });
    return {
      id: o.id,
      outcome: 'done' as const,
      anonymised: o.anonymise,
      unchangeable: [],
      deletedMetaKeys,
      notesDeleted,
    };
  });
  let account: EraseCommandResult['account'] = null;
  if (cmd.deleteAccount) {
    const exists = store.customers.has(cmd.deleteAccount.customerId);
    if (exists) store.deleteCustomer(cmd.deleteAccount.customerId);
    account = { customerId: cmd.deleteAccount.customerId, outcome: exists ? 'done' : 'not-found' };
  }
  for (const id of cmd.deleteBookings) store.bookings.delete(id);
  return { requestId: cmd.requestId, orders, account, reviewsDeleted: cmd.reviewsByEmail ? 0 : null };
}

export type PluginDouble = Awaited<ReturnType<typeof pluginDouble>>;
