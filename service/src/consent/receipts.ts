import type { Policy } from '../../../shared/src/policy/index.js';
import { ERASED, type Ledger } from '../ledger/index.js';
import { AppError } from '../platform/errors.js';
import { html } from '../platform/http/html.js';
import { CONSENT_RECORDED, ConsentDetail } from './consent-projector.js';
import type { Messages } from './messages.sq.js';
import { bilingualPage } from './pages.js';

/**
 * A consent receipt the person can keep, in the spirit of the Kantara Initiative's Consent Receipt
 * (v1.1): who the controller is, which policy text (version and hash), which purposes, what was
 * decided and on which rule, when, and the receipt's id. Built from the ledger entry on each read,
 * so it disappears when the person's data key is shredded.
 */
export type ConsentReceipt = {
  receiptVersion: 'privacy-bridge-cr-1 (after Kantara CR v1.1)';
  receiptId: string;
  consentTimestamp: string;
  jurisdiction: string;
  collectionMethod: string;
  /** Masked (maskEmail): the link is a bearer credential, and may be forwarded or leaked. */
  piiPrincipalId: string | null;
  piiController: { name: string; contact: string };
  policy: { version: string; sha256: string };
  globalPrivacyControl: boolean;
  purposes: {
    purpose: string;
    name: { sq: string; en: string };
    legalBasis: 'consent';
    decision: 'granted' | 'denied';
    rule: 'explicit' | 'gpc';
  }[];
};

/**
 * The e-mail as the receipt shows it: enough for its owner to recognise (`d***@example.al`), too
 * little for whoever else holds the link to learn it.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${[...email.slice(0, at)][0]}***@${email.slice(at + 1)}`;
}

export class Receipts {
  constructor(private readonly deps: { ledger: Ledger; policy: Policy }) {}

  async get(eventId: string): Promise<ConsentReceipt> {
    const { ledger, policy } = this.deps;
    const key = `${CONSENT_RECORDED}/${eventId}`;
    const entry = await ledger.byKey(key);
    if (!entry?.subject) throw new AppError('CONSENT_RECEIPT_NOT_FOUND');
    const stored = (await ledger.timeline(entry.subject as never)).find((e) => e.key === key);
    if (!stored || stored.personal === ERASED) throw new AppError('CONSENT_SUBJECT_ERASED');
    const d = ConsentDetail.parse(stored.detail);
    const personal = (stored.personal ?? {}) as { email?: string };
    const names = new Map(policy.cookies.categories.map((c) => [c.id, c.name]));
    return {
      receiptVersion: 'privacy-bridge-cr-1 (after Kantara CR v1.1)',
      receiptId: eventId,
      consentTimestamp: entry.at,
      jurisdiction: policy.jurisdiction.country,
      collectionMethod: d.source,
      piiPrincipalId: personal.email ? maskEmail(personal.email) : null,
      piiController: { name: policy.controller.name, contact: policy.controller.email },
      policy: { version: d.policyVersion, sha256: d.policySha256 },
      globalPrivacyControl: d.gpc,
      purposes: d.effects.map((e) => ({
        ...e,
        name: names.get(e.purpose) ?? { sq: e.purpose, en: e.purpose },
        legalBasis: 'consent' as const,
      })),
    };
  }
}

export function renderReceipt(r: ConsentReceipt): string {
  return bilingualPage(
    (m) => m.receiptTitle,
    (m: Messages) => html`<p>${m.receiptIntro}</p>
<table>
<tr><th>${m.controller}</th><td>${r.piiController.name} (${r.piiController.contact})</td></tr>
<tr><th>${m.subject}</th><td>${r.piiPrincipalId ?? m.pseudonymous}</td></tr>
<tr><th>${m.receiptId}</th><td><code>${r.receiptId}</code></td></tr>
<tr><th>${m.time}</th><td>${r.consentTimestamp}</td></tr>
<tr><th>${m.policyVersion}</th><td>${r.policy.version}</td></tr>
<tr><th>${m.policyHash}</th><td><code>${r.policy.sha256}</code></td></tr>
<tr><th>${m.source}</th><td>${m.sources[r.collectionMethod as keyof Messages['sources']] ?? r.collectionMethod}</td></tr>
</table>
<table><tr><th>${m.purpose}</th><th>${m.decision}</th></tr>
${r.purposes.map((p) => html`<tr><td>${p.name[m.lang as 'sq' | 'en']}</td><td>${p.decision === 'granted' ? m.granted : m.denied}${p.rule === 'gpc' ? ' (GPC)' : ''}</td></tr>`)}
</table>
${r.globalPrivacyControl ? html`<p>${m.gpcNote}</p>` : ''}
<p>${m.withdraw} ${r.piiController.contact}.</p>`,
  );
}
