import { addBookingOrder, addCustomer, prng, type WooStore } from '../woocommerce/double/index.js';
import { toGmtString } from '../woocommerce/double/woo-format.js';

export const EMAIL = 'arta.hoxha@example.al';
export const NOW = Date.parse('2026-11-01T10:00:00Z');

/** Reads a store-only ZIP (ours) back into files. */
export function unzip(zip: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const size = zip.readUInt32LE(at + 18);
    const nameLen = zip.readUInt16LE(at + 26);
    const name = zip.subarray(at + 30, at + 30 + nameLen).toString('utf8');
    files.set(name, zip.subarray(at + 30 + nameLen, at + 30 + nameLen + size));
    at += 30 + nameLen + size;
  }
  return files;
}

/** The subject: a paid past order, a processing order with a session in two days, a guest order; and a look-alike. */
export function seedSubject(store: WooStore) {
  const r = prng(11);
  const person = { first_name: 'Arta', last_name: 'Hoxha', company: '', address_1: 'Rruga Myslym Shyri 12', address_2: '', city: 'Tiranë', state: 'AL-11', postcode: '1001', country: 'AL', email: EMAIL, phone: '+355 69 123 4567' };
  const c = addCustomer(store, person, '2026-01-05T09:00:00');
  const paid = addBookingOrder(store, r, { customerId: c.id, billing: person, created: Date.parse('2026-03-01T09:00:00Z'), status: 'completed' });
  const upcoming = addBookingOrder(store, r, { customerId: c.id, billing: person, created: NOW - 86_400_000, status: 'processing' });
  const guest = addBookingOrder(store, r, { customerId: 0, billing: person, created: Date.parse('2025-12-01T09:00:00Z'), status: 'cancelled' });
  store.updateOrder(guest.id, { customer_note: 'Ju lutem, seancë në mëngjes.' }, { silent: true });
  for (const o of [paid, upcoming, guest]) store.addNote(o.id, { author: 'WooCommerce', customer_note: false, note: `Shënim për porosinë ${o.id}.`, created: toGmtString(NOW - 86_400_000) });
  const other = { ...person, first_name: 'Arta', last_name: 'Hoxhaj', email: 'arta.hoxhaj@example.com' };
  const oc = addCustomer(store, other, '2026-02-01T09:00:00');
  const others = [addBookingOrder(store, r, { customerId: oc.id, billing: other, created: Date.parse('2026-04-01T09:00:00Z'), status: 'completed' })];
  return { customer: c, paid, upcoming, guest, other: oc, others };
}

