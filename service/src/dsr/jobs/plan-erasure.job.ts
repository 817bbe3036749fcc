import { defineJob } from '../../platform/queue/define-job.js';
import type { DsrService } from '../dsr.service.js';
import { planErasure, type Collected } from '../erasure-plan.js';
import { StepPayload } from '../flows.js';
import { runStep, type StepDeps, type DsrJobDeps, type DsrJobSettings } from './step.js';

type Needs = StepDeps &
  Pick<DsrJobDeps, 'connector' | 'policy' | 'clock'> & {
    dsr: Pick<DsrService, 'email' | 'sealTerms'>;
    settings: Pick<DsrJobSettings, 'sessionMargin' | 'timeZone' | 'sessionMinutes'>;
  };

/** Erasure, step 1: every item as erase, anonymise or retain-with-reason-and-until (pure planner). */
export const planErasureJob = defineJob({
  name: 'dsr.plan-erasure',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('plan-erasure', payload, deps, ctx, async (row) => {
      const connector = deps.connector();
      const collected = await connector.collect(deps.dsr.email(row), row.id);
      const { settings, policy, clock, ledger } = deps;
      const items = planErasure(collected, {
        policy,
        now: clock.now(),
        sessionMargin: settings.sessionMargin,
        timeZone: settings.timeZone,
        sessionMinutes: settings.sessionMinutes,
        fingerprint: (v) => ledger.fingerprint(JSON.parse(JSON.stringify(v ?? null))),
      });
      await deps.dsr.sealTerms((await deps.store.get(row.id))!, searchTerms(collected));
      await deps.store.putItems(row.id, 1, items);
      const count = (a: string) => items.filter((i) => i.action === a).length;
      return {
        connector: connector.id,
        orders: collected.orders.length,
        items: items.length,
        erase: count('erase'),
        anonymise: count('anonymise'),
        retain: count('retain'),
      };
    }),
});

/** Phones and names on the subject's records: what the residue check searches WooCommerce for again. */
export function searchTerms(c: Collected): { phones: string[]; names: string[]; fullPhones: string[] } {
  const phones = new Set<string>();
  const fullPhones = new Set<string>();
  const names = new Set<string>();
  const add = (a: Record<string, unknown> | undefined) => {
    if (!a) return;
    // Without the leading +: a substring search finds it all the same, and OAuth 1.0a query signing mangles '+'.
    // Terms without spaces or '+': @woocommerce/woocommerce-rest-api's OAuth 1.0a signing (plain http to
    // loopback) encodes them differently from WooCommerce and the call is refused. A substring search on
    // the phone's last group and the surname finds a superset; the check filters by the subject's e-mail.
    if (typeof a.phone === 'string' && a.phone.trim().replace(/\D/g, '').length >= 6) fullPhones.add(a.phone.trim());
    if (typeof a.phone === 'string' && a.phone.trim())
      phones.add(a.phone.trim().split(/\s+/).at(-1)!.replace(/^\+/, ''));
    if (typeof a.last_name === 'string' && a.last_name.trim().length >= 3)
      names.add(a.last_name.trim().split(/\s+/)[0]!);
  };
  add(c.customer?.billing as Record<string, unknown> | undefined);
  for (const o of c.orders) add(o.billing);
  return { phones: [...phones].slice(0, 5), names: [...names].slice(0, 5), fullPhones: [...fullPhones].slice(0, 5) };
}
