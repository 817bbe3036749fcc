/**
 * How a person reads WooCommerce's field names and values, in Albanian (field-labels.en.ts: English).
 * Keys are WooCommerce's own (wc/v3), as field paths give them; `fieldLabel` (field-labels.ts) reads them.
 */
export const fieldsSq = {
  first_name: 'Emri', last_name: 'Mbiemri', company: 'Kompania', address_1: 'Adresa', address_2: 'Adresa (vazhdim)', city: 'Qyteti',
  state: 'Rrethi', postcode: 'Kodi postar', country: 'Shteti', email: 'Email-i', phone: 'Telefoni', username: 'Emri i përdoruesit',
  billing: 'Adresa e faturimit', shipping: 'Adresa e dërgesës', role: 'Roli', avatar_url: 'Fotografia e profilit (Gravatar)',
  is_paying_customer: 'Ka paguar më parë', date_created: 'Krijuar më', date_created_gmt: 'Krijuar më', date_modified: 'Ndryshuar më',
  date_modified_gmt: 'Ndryshuar më', date_paid: 'Paguar më', date_paid_gmt: 'Paguar më', date_completed: 'Përfunduar më', date_completed_gmt: 'Përfunduar më',
  customer_note: 'Shënimi juaj për porosinë', customer_ip_address: 'Adresa IP', customer_user_agent: 'Shfletuesi dhe pajisja',
  payment_method: 'Mënyra e pagesës (kodi)', payment_method_title: 'Mënyra e pagesës', transaction_id: 'Referenca e transaksionit',
  status: 'Statusi', total: 'Totali', currency: 'Monedha', number: 'Numri i porosisë', id: 'Numri', customer_id: 'Numri i klientit',
  name: 'Shërbimi', quantity: 'Sasia', price: 'Çmimi', note: 'Shënimi', reason: 'Arsyeja', amount: 'Shuma',
  line_items: 'Shërbimi', notes: 'Shënimi', refunds: 'Rimbursimi', meta_data: 'Të dhëna shtesë',
  booking_reference: 'Referenca e rezervimit', preferred_language: 'Gjuha e preferuar', marketing_consent: 'Pëlqimi për marketing',
  _privacy_policy_accepted_at: 'Politika e privatësisë u pranua më', _anonymized: 'Shënjuar si e anonimizuar', wc_last_active: 'Aktiv për herë të fundit',
  start: 'Fillimi', end: 'Mbarimi', order_id: 'Porosia',
} as const;

/** WooCommerce's order and booking statuses. */
export const statusesSq = {
  pending: 'Në pritje të pagesës', processing: 'Në përpunim', 'on-hold': 'Në pritje', completed: 'Përfunduar', cancelled: 'Anuluar',
  refunded: 'Rimbursuar', failed: 'Dështuar', 'checkout-draft': 'Draft', trash: 'Në kosh', confirmed: 'Konfirmuar', paid: 'Paguar',
  unpaid: 'Papaguar', 'pending-confirmation': 'Në pritje të konfirmimit', complete: 'Përfunduar', 'in-cart': 'Në shportë',
} as const;

/** The months, as a date is written in Albanian ("28 tetor 2026, 13:40"). */
export const monthsSq = ['janar', 'shkurt', 'mars', 'prill', 'maj', 'qershor', 'korrik', 'gusht', 'shtator', 'tetor', 'nëntor', 'dhjetor'] as const;

/** WooCommerce's own (English) order notes, as an Albanian reader gets them; `$1`, `$2`: the statuses, translated. */
export const wooNotesSq: readonly (readonly [RegExp, string])[] = [
  [/Order status changed from ([A-Za-z -]+?) to ([A-Za-z -]+?)\./g, 'Statusi i porosisë ndryshoi nga «$1» në «$2».'],
  [/Order status changed to ([A-Za-z -]+?)\./g, 'Statusi i porosisë u bë «$1».'],
  [/Payment to be made upon delivery\./g, 'Pagesa bëhet në dorëzim.'],
  [/Awaiting BACS payment/g, 'Në pritje të transfertës bankare'],
  [/Order details manually sent to customer\./g, 'Detajet e porosisë iu dërguan klientit.'],
  [/Personal data removed\./g, 'Të dhënat personale u hoqën.'],
];
