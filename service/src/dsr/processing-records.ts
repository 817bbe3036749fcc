import type { Policy } from '../../../shared/src/policy/index.js';
import type { Transport } from '../platform/net.js';

/**
 * What `report processing` counts in the ledger: entries of what is held, per purpose, and disclosures;
 * and each order's last recorded status (`orderStatus`, optional for callers that predate it), since
 * invoice fields are held for accounting by the order being paid, not by an entry of that purpose.
 */
export type LedgerTally = { held: Map<string, number>; disclosures: number; orderStatus?: Map<number, string> };

const HELD = new Set(['data.held', 'appointment.held']);
const ORDER_STATUS = new Set(['order.status', 'order.trashed', 'order.restored']);
/** Paid orders keep their invoice fields under the accounting rule (as erasure plans them: erasure-plan.ts). */
const PAID = new Set(['processing', 'completed', 'refunded']);

/** Adds a page of entries to the tally. A held entry is one record of its purpose, whatever number of categories it lists. */
export function tallyEntries(
  tally: LedgerTally,
  entries: Iterable<{ readonly kind: string; readonly purpose: string | null; readonly detail?: string | null }>,
): LedgerTally {
  const statuses = (tally.orderStatus ??= new Map());
  for (const e of entries) {
    if (e.kind === 'disclosure.recorded') tally.disclosures++;
    else if (HELD.has(e.kind) && e.purpose) tally.held.set(e.purpose, (tally.held.get(e.purpose) ?? 0) + 1);
    else if ((ORDER_STATUS.has(e.kind) || e.kind === 'order.deleted') && e.detail) {
      const d = JSON.parse(e.detail) as { orderId?: number; id?: number; status?: string };
      const id = d.orderId ?? d.id;
      if (typeof id === 'number') statuses.set(id, e.kind === 'order.deleted' ? 'deleted' : (d.status ?? 'unknown'));
    }
  }
  return tally;
}

/** Orders whose last recorded status is paid: each is one record held for accounting. */
const accountingRecords = (tally: LedgerTally) =>
  [...(tally.orderStatus?.values() ?? [])].filter((s) => PAID.has(s)).length;

/**
 * The records of processing (GDPR Art. 30), as the ledger records what is held: per purpose, its legal
 * bases, the categories it uses with how long each is kept, its recipients, and how many ledger
 * entries record it. A category can be kept by different rules for different resources (an account's
 * data for as long as the account, a booking's for its session): all are listed.
 */
export function recordsOfProcessing(policy: Policy, tally: LedgerTally, generatedAt: string, transport: LinkTransport) {
  const describe = (id: string) => policy.retention.find((r) => r.id === id)?.description.en ?? id;
  const activities = policy.purposes.map((p) => {
    const retention: Record<string, string[]> = {};
    for (const f of policy.fieldMap.filter((x) => x.purpose === p.id)) {
      const rules = (retention[f.category] ??= []);
      if (!rules.includes(describe(f.retention))) rules.push(describe(f.retention));
    }
    return {
      purpose: p.id,
      name: p.name.en,
      legalBases: p.legalBases,
      categories: Object.keys(retention),
      retention,
      recipients: policy.recipients.filter((r) => r.purposes.includes(p.id)).map((r) => `${r.id} (${r.role})`),
      ledgerRecords: (tally.held.get(p.id) ?? 0) + (p.id === 'accounting' ? accountingRecords(tally) : 0),
    };
  });
  return {
    controller: policy.controller.name,
    contact: policy.controller.email,
    policyVersion: policy.version.label,
    generatedAt,
    activities,
    disclosuresRecorded: tally.disclosures,
    security: `${transitText(transport)}; personal values in the ledger encrypted (AES-256-GCM, per-subject keys); export files encrypted at rest; no personal data in logs or job payloads`,
  };
}
/** How each configured link travels, as the configuration says (null: not configured). */
export type LinkTransport = {
  readonly wordpress: Transport | null;
  readonly public: Transport;
  readonly woocommerce: Transport | null;
};

const HOW: Record<Transport, string> = {
  https: 'TLS',
  'http-loopback': 'plain http on this machine only (loopback)',
  'http-allowed': 'PLAIN HTTP over the network (allowed by configuration)',
};

/** The "in transit" line of the records, derived from the configuration rather than stated. */
export function transitText(t: LinkTransport): string {
  const links = [
    ['WooCommerce REST', t.woocommerce],
    ['WordPress plugin', t.wordpress],
    ['webhooks and links to this service', t.public],
  ] as const;
  return `In transit: ${links
    .filter(([, how]) => how !== null)
    .map(([name, how]) => `${name}: ${HOW[how!]}`)
    .join('; ')}`;
}

export type RecordsOfProcessing = ReturnType<typeof recordsOfProcessing>;

export function processingMarkdown(doc: RecordsOfProcessing): string {
  return [
    `# Records of processing (GDPR Art. 30) — ${doc.controller}`,
    '',
    `Contact: ${doc.contact} · policy ${doc.policyVersion} · generated ${doc.generatedAt}`,
    '',
    ...doc.activities.flatMap((a) => [
      `## ${a.name} (\`${a.purpose}\`)`,
      `- Legal bases: ${a.legalBases.join(', ')}`,
      `- Categories and retention:${a.categories.length ? '' : ' —'}`,
      ...a.categories.map((c) => `  - ${c}: ${a.retention[c]!.join(' / ')}`),
      `- Recipients: ${a.recipients.join(', ') || '—'}`,
      `- Ledger records: ${a.ledgerRecords}`,
      '',
    ]),
    `Disclosures recorded: ${doc.disclosuresRecorded}`,
    '',
    `Security: ${doc.security}`,
  ].join('\n');
}
