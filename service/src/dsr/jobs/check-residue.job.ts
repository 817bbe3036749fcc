import { normaliseEmail } from '../../ledger/index.js';
import { defineJob } from '../../platform/queue/define-job.js';
import { sensitive } from '../../platform/sensitive.js';
import type { DsrService } from '../dsr.service.js';
import { StepPayload } from '../flows.js';
import {
  accountsOf,
  changedOrders,
  erasedAccounts,
  exportResidue,
  judgeItems,
  judgeProbe,
  keptForProbe,
  probeTermsOf,
  redisResidue,
  residueReport,
  searchJudge,
  type Residue,
} from '../residue-judge.js';
import { runStep, type StepDeps, type DsrJobDeps } from './step.js';

type Needs = StepDeps &
  Pick<DsrJobDeps, 'connector' | 'redisContaining'> & { dsr: Pick<DsrService, 'email' | 'terms' | 'transition'> };

/**
 * Erasure, step 4: looks again. Every anonymised field whose value still has its old fingerprint, any
 * note left, an account that still exists, an order of the subject's e-mail found by WooCommerce's
 * own search (by e-mail, phone and name) that the plan did not keep, Redis job data or an export file
 * holding the subject's values. Anything found fails the request into "needs attention".
 */
export const checkResidueJob = defineJob({
  name: 'dsr.check-residue',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('check-residue', payload, deps, ctx, async (row) => {
      const connector = deps.connector();
      const all = await deps.store.items(row.id);
      const mine = all.filter((i) => i.pass === payload.pass);
      const current = new Map((await connector.orders(changedOrders(mine))).map((o) => [o.id, o]));
      const accountsLeft = new Set<number>();
      for (const id of erasedAccounts(mine)) if (await connector.customer(id)) accountsLeft.add(id);
      const residue: Residue[] = judgeItems(
        mine,
        current,
        (v) => deps.ledger.fingerprint(JSON.parse(JSON.stringify(v ?? null))),
        accountsLeft,
      );
      // The shop's own search, as an admin would run it: nothing of the subject's e-mail beyond what is kept.
      const email = normaliseEmail(deps.dsr.email(row).reveal());
      const terms = deps.dsr.terms(row).reveal();
      const judgeSearch = searchJudge(email, all);
      for (const term of [email, ...terms.phones, ...terms.names])
        residue.push(...judgeSearch(await connector.search(sensitive(term))));
      // Where WooCommerce really keeps personal data, by SQL through the plugin (REST search sees a few order columns only).
      if (connector.probe) {
        const probeTerms = probeTermsOf(email, terms);
        residue.push(
          ...judgeProbe(
            await connector.probe(row.id, sensitive(probeTerms), keptForProbe(all)),
            probeTerms,
            all,
            accountsOf(all),
          ),
        );
      }
      residue.push(...redisResidue(await deps.redisContaining([email, ...terms.phones])));
      residue.push(...exportResidue(await deps.store.liveExports({ subject: row.subject })));
      const report = residueReport(residue);
      if (report.count > 0) {
        await deps.dsr.transition(row.id, 'needs_attention', 'system/dsr.check-residue', {
          reason: `residue found: ${report.count} item(s)`,
        });
      }
      return { ...report, searched: 1 + terms.phones.length + terms.names.length };
    }),
});
