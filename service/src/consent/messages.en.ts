import type { Messages } from './messages.sq.js';

/** English texts of the consent pages (shown after the Albanian). */
export const en: Messages = {
  lang: 'en',
  receiptTitle: 'Consent receipt',
  receiptIntro: 'Keep this receipt: it shows what you chose, when, and under which version of the privacy policy.',
  controller: 'Data controller',
  receiptId: 'Receipt number',
  time: 'Time',
  policyVersion: 'Policy version',
  policyHash: 'Fingerprint of the policy text (SHA-256)',
  source: 'Where the choice was made',
  purpose: 'Purpose',
  decision: 'Choice',
  granted: 'Granted',
  denied: 'Denied',
  gpcNote: 'Your browser sent the Global Privacy Control signal; marketing and statistics were denied on that basis.',
  subject: 'Person',
  pseudonymous: 'anonymous visitor',
  withdraw: 'You can withdraw your consent at any time from your account or by writing to',
  unsubscribeTitle: 'Unsubscribe from marketing',
  unsubscribeQuestion: 'Do you want to stop receiving promotional communication from us?',
  unsubscribeButton: 'Yes, unsubscribe me',
  unsubscribeDone: 'You are unsubscribed. You will not receive promotional communication any more.',
  unsubscribeInvalid: 'This unsubscribe link is not valid.',
  sources: { checkout: 'checkout', banner: 'cookie banner', 'account-page': 'account page', 'unsubscribe-link': 'unsubscribe link', admin: 'administrator', import: 'import' },
};
