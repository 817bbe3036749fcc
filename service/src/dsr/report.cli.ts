import fs from 'node:fs';
import type { Command } from 'commander';
import { loadPolicy } from '../../../shared/src/policy/index.js';
import type { Core } from '../core.js';
import type { WithCore } from '../platform/cli.js';
import { deadlineFlag, median, OPEN_STATUSES } from './dsr-rules.js';
import { DsrStore } from './dsr-store.js';

/**
 * `privacy-bridge report processing` — the records of processing (GDPR Art. 30) from the policy and the
 * ledger; `report requests` — counts, median time to complete, the overdue list. Markdown or --json.
 */
export function registerReportCommands(program: Command, withCore: WithCore<Core>): void {
  const report = program.command('report').description('records of processing and request statistics');

  report.command('processing')
    .option('--json', 'JSON instead of Markdown')
    .option('--out <file>', 'write to a file')
    .action(async (opts: { json?: boolean; out?: string }) => {
      await withCore(async (core) => {
        const policy = loadPolicy();
        const counts = new Map<string, number>();
        let disclosures = 0;
        for await (const page of core.ledger.store.scanPages(0)) {
          for (const e of page) {
            if (e.kind === 'disclosure.recorded') disclosures++;
            if (e.kind !== 'data.held' && e.kind !== 'appointment.held') continue;
            for (const c of e.categories) counts.set(`${e.purpose}|${c}`, (counts.get(`${e.purpose}|${c}`) ?? 0) + 1);
          }
        }
        const activities = policy.purposes.map((p) => ({
          purpose: p.id, name: p.name.en, legalBases: p.legalBases,
          categories: policy.fieldMap.filter((f) => f.purpose === p.id).map((f) => f.category).filter((c, i, a) => a.indexOf(c) === i),
          recipients: policy.recipients.filter((r) => r.purposes.includes(p.id)).map((r) => `${r.id} (${r.role})`),
          retention: [...new Set(policy.fieldMap.filter((f) => f.purpose === p.id).map((f) => f.retention))].map((id) => policy.retention.find((r) => r.id === id)?.description.en ?? id),
          ledgerRecords: [...counts].filter(([k]) => k.startsWith(`${p.id}|`)).reduce((n, [, v]) => n + v, 0),
        }));
        const doc = { controller: policy.controller.name, contact: policy.controller.email, policyVersion: policy.version.label, generatedAt: core.clock.now().toISOString(), activities, disclosuresRecorded: disclosures, security: 'TLS in transit; personal values in the ledger encrypted (AES-256-GCM, per-subject keys); export files encrypted at rest; no personal data in logs or job payloads' };
        const text = opts.json ? JSON.stringify(doc, null, 2) : [
          `# Records of processing (GDPR Art. 30) — ${doc.controller}`, '', `Contact: ${doc.contact} · policy ${doc.policyVersion} · generated ${doc.generatedAt}`, '',
          ...activities.flatMap((a) => [`## ${a.name} (\`${a.purpose}\`)`, `- Legal bases: ${a.legalBases.join(', ')}`, `- Categories: ${a.categories.join(', ') || '—'}`, `- Recipients: ${a.recipients.join(', ') || '—'}`, `- Retention: ${a.retention.join(' / ') || '—'}`, `- Ledger records: ${a.ledgerRecords}`, '']),
          `Disclosures recorded: ${disclosures}`, '', `Security: ${doc.security}`,
        ].join('\n');
        if (opts.out) fs.writeFileSync(opts.out, `${text}\n`);
        else console.log(text);
      });
    });

  report.command('requests')
    .option('--json', 'JSON instead of text')
    .action(async (opts: { json?: boolean }) => {
      await withCore(async (core) => {
        const rows = await new DsrStore(core.db).list();
        const now = core.clock.now();
        const byKindStatus: Record<string, Record<string, number>> = {};
        for (const r of rows) (byKindStatus[r.kind] ??= {})[r.status] = (byKindStatus[r.kind]?.[r.status] ?? 0) + 1;
        const days = rows.filter((r) => r.completedAt && r.status !== 'refused').map((r) => (Date.parse(r.completedAt!) - Date.parse(r.receivedAt)) / 86_400_000);
        const overdue = rows.filter((r) => OPEN_STATUSES.includes(r.status) && deadlineFlag(new Date(r.dueAt), now) === 'overdue').map((r) => ({ id: r.id, kind: r.kind, status: r.status, dueAt: r.dueAt }));
        const doc = { total: rows.length, byKindStatus, medianDaysToComplete: median(days), overdue };
        if (opts.json) return void console.log(JSON.stringify(doc));
        console.log(`requests: ${doc.total}`);
        for (const [kind, s] of Object.entries(byKindStatus)) console.log(`  ${kind}: ${Object.entries(s).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        console.log(`median time to complete: ${doc.medianDaysToComplete === null ? '—' : `${doc.medianDaysToComplete.toFixed(2)} days`}`);
        console.log(overdue.length ? `overdue:\n${overdue.map((o) => `  ${o.id} ${o.kind} ${o.status} due ${o.dueAt.slice(0, 10)}`).join('\n')}` : 'overdue: none');
      });
    });
}
