import type { Policy } from '../../../shared/src/policy/index.js';
import { bilingualDocument, type Html } from '../platform/http/html.js';
import { en } from './messages.en.js';
import { sq, type Messages } from './messages.sq.js';

/** A DSR page (the export's index.html, a receipt): the kit's bilingual document with this capability's texts. */
export const dsrDocument = (title: (m: Messages) => string, body: (m: Messages) => Html) =>
  bilingualDocument({ sq, en }, title, body);

/** A retention rule as a person reads it: its name and what it means, in the section's language; '' for an unknown rule. */
export function retentionText(policy: Policy, id: string | null, m: Messages): string {
  const rule = policy.retention.find((r) => r.id === id);
  return rule ? `${rule.name[m.lang as 'sq' | 'en']}: ${rule.description[m.lang as 'sq' | 'en']}` : '';
}
