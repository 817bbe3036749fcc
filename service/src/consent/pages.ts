import { bilingualDocument, type Html } from '../platform/http/html.js';
import { en } from './messages.en.js';
import { sq, type Messages } from './messages.sq.js';

/** A consent page (a receipt, the unsubscribe pages): the kit's bilingual document with this capability's texts. */
export const bilingualPage = (title: (m: Messages) => string, body: (m: Messages) => Html) =>
  bilingualDocument({ sq, en }, title, body);
