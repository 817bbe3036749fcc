import type { fieldsSq, statusesSq } from './field-labels.sq.js';

/** How a person reads WooCommerce's field names and values, in English (the keys of field-labels.sq.ts). */
export const fieldsEn: { readonly [K in keyof typeof fieldsSq]: string } = {
  first_name: 'First name', last_name: 'Last name', company: 'Company', address_1: 'Address', address_2: 'Address (continued)', city: 'City',
  state: 'County', postcode: 'Postcode', country: 'Country', email: 'E-mail', phone: 'Phone', username: 'Username',
  billing: 'Billing address', shipping: 'Shipping address', role: 'Role', avatar_url: 'Profile picture (Gravatar)',
  is_paying_customer: 'Has paid before', date_created: 'Created', date_created_gmt: 'Created', date_modified: 'Changed',
  date_modified_gmt: 'Changed', date_paid: 'Paid', date_paid_gmt: 'Paid', date_completed: 'Completed', date_completed_gmt: 'Completed',
  customer_note: 'Your note on the order', customer_ip_address: 'IP address', customer_user_agent: 'Browser and device',
  payment_method: 'Payment method (code)', payment_method_title: 'Payment method', transaction_id: 'Transaction reference',
  status: 'Status', total: 'Total', currency: 'Currency', number: 'Order number', id: 'Number', customer_id: 'Customer number',
  name: 'Service', quantity: 'Quantity', price: 'Price', note: 'Note', reason: 'Reason', amount: 'Amount',
  line_items: 'Service', notes: 'Note', refunds: 'Refund', meta_data: 'Additional data',
  booking_reference: 'Booking reference', preferred_language: 'Preferred language', marketing_consent: 'Marketing consent',
  _privacy_policy_accepted_at: 'Privacy policy accepted on', _anonymized: 'Marked as anonymised', wc_last_active: 'Last active',
  start: 'Start', end: 'End', order_id: 'Order',
};

export const statusesEn: { readonly [K in keyof typeof statusesSq]: string } = {
  pending: 'Pending payment', processing: 'Processing', 'on-hold': 'On hold', completed: 'Completed', cancelled: 'Cancelled',
  refunded: 'Refunded', failed: 'Failed', 'checkout-draft': 'Draft', trash: 'In the bin', confirmed: 'Confirmed', paid: 'Paid',
  unpaid: 'Unpaid', 'pending-confirmation': 'Awaiting confirmation', complete: 'Complete', 'in-cart': 'In the cart',
};

export const monthsEn = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
