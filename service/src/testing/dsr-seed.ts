import { crc32, inflateRawSync } from 'node:zlib';
import { addBookingOrder, addCustomer, prng, type WooStore } from '../woocommerce/double/index.js';
import { toGmtString } from '../woocommerce/double/woo-format.js';

export const EMAIL = 'arta.hoxha@example.al';
export const NOW = Date.parse('2026-11-01T10:00:00Z');

/** Reads a ZIP back into files by its central directory (stored or deflated entries, no ZIP64), checking each CRC. */
export function unzip(zip: Buffer): Map<string, Buffer> & { methods: Map<string, number> } {
  const files = Object.assign(new Map<string, Buffer>(), { methods: new Map<string, number>() });
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a ZIP: no end of central directory');
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const [method, crc, size] = [zip.readUInt16LE(at + 10), zip.readUInt32LE(at + 16), zip.readUInt32LE(at + 20)];
    const [nameLen, extraLen, commentLen, local] = [
      zip.readUInt16LE(at + 28),
      zip.readUInt16LE(at + 30),
      zip.readUInt16LE(at + 32),
      zip.readUInt32LE(at + 42),
    ];
    const name = zip.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    if (crc32(data) >>> 0 !== crc) throw new Error(`CRC mismatch in ${name}`);
    files.set(name, data);
    files.methods.set(name, method);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

/** The subject: a paid past order, a processing order with a session in two days, a guest order; and a look-alike. */
export function seedSubject(store: WooStore) {
  const r = prng(11);
  const person = {
    first_name: 'Arta',
    last_name: 'Hoxha',
    company: '',
    address_1: 'Rruga Myslym Shyri 12',
    address_2: '',
    city: 'Tiranë',
    state: 'AL-11',
    postcode: '1001',
    country: 'AL',
    email: EMAIL,
    phone: '+355 69 123 4567',
  };
  const c = addCustomer(store, person, '2026-01-05T09:00:00');
  const paid = addBookingOrder(store, r, {
    customerId: c.id,
    billing: person,
    created: Date.parse('2026-03-01T09:00:00Z'),
    status: 'completed',
  });
  const upcoming = addBookingOrder(store, r, {
    customerId: c.id,
    billing: person,
    created: NOW - 86_400_000,
    status: 'processing',
  });
  const guest = addBookingOrder(store, r, {
    customerId: 0,
    billing: person,
    created: Date.parse('2025-12-01T09:00:00Z'),
    status: 'cancelled',
  });
  store.updateOrder(guest.id, { customer_note: 'Ju lutem, seancë në mëngjes.' }, { silent: true });
  for (const o of [paid, upcoming, guest])
    store.addNote(o.id, {
      author: 'WooCommerce',
      customer_note: false,
      note: `Shënim për porosinë ${o.id}.`,
      created: toGmtString(NOW - 86_400_000),
    });
  const other = { ...person, first_name: 'Arta', last_name: 'Hoxhaj', email: 'arta.hoxhaj@example.com' };
  const oc = addCustomer(store, other, '2026-02-01T09:00:00');
  const others = [
    addBookingOrder(store, r, {
      customerId: oc.id,
      billing: other,
      created: Date.parse('2026-04-01T09:00:00Z'),
      status: 'completed',
    }),
  ];
  return { customer: c, paid, upcoming, guest, other: oc, others };
}
