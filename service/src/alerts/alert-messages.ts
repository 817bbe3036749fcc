import type { AlertName, Facts, Severity } from './alert-rules.js';

/** What an alert says, in Albanian and English: a title (ids, enums and numbers only) and what to do. */
export type AlertText = {
  title(subject: string, facts: Facts, severity: Severity): string;
  action: string;
};
export type AlertCatalogue = {
  lang: 'sq' | 'en';
  firing: string;
  resolved: string;
  alerts: Record<AlertName, AlertText>;
};

const f = (facts: Facts, key: string) => String(facts[key] ?? '?');

export const sq: AlertCatalogue = {
  lang: 'sq',
  firing: 'NË ALARM',
  resolved: 'ZGJIDHUR',
  alerts: {
    dsr_deadline: {
      title: (id, x, severity) =>
        `Kërkesa ${id} (${f(x, 'kind')}, ${f(x, 'status')}) ka afat ${f(x, 'dueAt')} — ${severity === 'critical' ? 'afati ka kaluar' : 'brenda 3 ditësh'}`,
      action:
        'Shihni „privacy-bridge dsr show <id>”: përfundojeni, riprovojeni („dsr retry”) ose zgjateni afatin me arsye.',
    },
    woo_webhook_disabled: {
      title: (id, x) => `WooCommerce çaktivizoi webhook-un #${id} (${f(x, 'topic')}) pas dërgesash të dështuara`,
      action:
        'Shërbimi e riaktivizon vetë; nëse vazhdon, shihni „privacy-bridge woo status” dhe „woo connect”. Rakordimi mbulon ndryshimet e humbura.',
    },
    ledger_verify_failed: {
      title: (id, x) => `Verifikimi i regjistrit dështoi (${id}${x.reason ? `, ${f(x, 'reason')}` : ''})`,
      action:
        'Ekzekutoni „privacy-bridge ledger verify” dhe krahasoni me kokën e ruajtur; mos shkruani në bazë derisa të gjendet shkaku.',
    },
    jobs_failed: {
      title: (queue, x) => `${f(x, 'failed')} punë në radhën ${queue} mbaruan riprovat`,
      action: 'Shihni „privacy-bridge queue stats”, rregulloni shkakun, pastaj „queue retry-failed --queue <radha>”.',
    },
    reconcile_lag: {
      title: (_s, x) =>
        `Rakordimi me WooCommerce ka ${f(x, 'lagSeconds')} s pa përparuar (kufiri ${f(x, 'thresholdSeconds')} s)`,
      action: 'Shihni „privacy-bridge woo status” dhe radhën sync; kontrolloni që dyqani dhe çelësat REST përgjigjen.',
    },
    delivery_dead: {
      title: (target, x) => `${f(x, 'deadLetters')} dërgesa te WordPress (${target}) hoqën dorë (${f(x, 'reasons')})`,
      action:
        'Shihni „privacy-bridge delivery list”; kur WordPress përgjigjet, shërbimi i ridërgon vetë, ose „delivery retry --all”.',
    },
  },
};

export const en: AlertCatalogue = {
  lang: 'en',
  firing: 'FIRING',
  resolved: 'RESOLVED',
  alerts: {
    dsr_deadline: {
      title: (id, x, severity) =>
        `Request ${id} (${f(x, 'kind')}, ${f(x, 'status')}) is due ${f(x, 'dueAt')} — ${severity === 'critical' ? 'overdue' : 'within 3 days'}`,
      action:
        'See `privacy-bridge dsr show <id>`: finish it, retry it (`dsr retry`) or extend its deadline with a reason.',
    },
    woo_webhook_disabled: {
      title: (id, x) => `WooCommerce disabled webhook #${id} (${f(x, 'topic')}) after failed deliveries`,
      action:
        'The service re-activates it; if this persists, see `privacy-bridge woo status` and `woo connect`. Reconciliation covers the changes it missed.',
    },
    ledger_verify_failed: {
      title: (id, x) => `Ledger verification failed (${id}${x.reason ? `, ${f(x, 'reason')}` : ''})`,
      action:
        'Run `privacy-bridge ledger verify` and compare with a recorded head; keep the database untouched until the cause is found.',
    },
    jobs_failed: {
      title: (queue, x) => `${f(x, 'failed')} job(s) in queue ${queue} are out of retries`,
      action: 'See `privacy-bridge queue stats`, fix the cause, then `queue retry-failed --queue <queue>`.',
    },
    reconcile_lag: {
      title: (_s, x) =>
        `Reconciliation with WooCommerce has not advanced for ${f(x, 'lagSeconds')} s (threshold ${f(x, 'thresholdSeconds')} s)`,
      action: 'See `privacy-bridge woo status` and the sync queue; check that the shop and its REST keys answer.',
    },
    delivery_dead: {
      title: (target, x) =>
        `${f(x, 'deadLetters')} delivery(ies) to WordPress (${target}) gave up (${f(x, 'reasons')})`,
      action:
        'See `privacy-bridge delivery list`; once WordPress answers the service re-drives them, or run `delivery retry --all`.',
    },
  },
};

export const ALERT_CATALOGUES = { sq, en } as const;
