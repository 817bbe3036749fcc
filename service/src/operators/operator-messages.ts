import type { LinkRefusal } from './admin-login-links.js';
import type { TopicState } from './status.js';
import type { CleanState, JobAction } from './queue-actions.js';
import type { BoardState } from './queue-board.js';

/** What the queue board says (see operator-pages.ts, boardPage). */
export type BoardMessages = {
  title: string;
  /** The status page's link to the board. */
  open: string;
  back: string;
  state: Record<BoardState, string>;
  paused: string;
  running: string;
  queueHead: [string, string];
  jobsHead: [string, string, string, string, string, string, string, string];
  empty: string;
  page: (n: number, of: number) => string;
  newer: string;
  older: string;
  hidden: string;
  attempts: (made: number, allowed: number) => string;
  due: (at: string) => string;
  readOnly: string;
  action: Record<JobAction | 'pause' | 'resume' | 'clean', string>;
  clean: { legend: string; state: Record<CleanState, string>; olderThan: string };
  done: Record<JobAction | 'pause' | 'resume' | 'clean' | 'retry-failed', (n: number) => string>;
};

/** What the operator pages say, in Albanian and English. Numbers and ids only are interpolated. */
export type OperatorMessages = {
  lang: 'sq' | 'en';
  other: { lang: 'sq' | 'en'; name: string };
  title: string;
  signIn: string;
  signInHelp: string;
  token: string;
  signInButton: string;
  signInFailed: string;
  /** The one-time sign-in link (admin login-link): its confirm page and why one did not work. */
  linkTitle: string;
  linkConfirm: (who: string, role: string, until: string) => string;
  linkWhy: string;
  linkButton: string;
  linkRefused: Record<LinkRefusal, string>;
  signedInAs: (who: string, role: string) => string;
  signOut: string;
  role: { viewer: string; operator: string };
  refreshed: (seconds: number) => string;
  queues: string;
  queueHead: [string, string, string, string, string, string];
  retryFailed: string;
  none: string;
  seconds: (n: number) => string;
  requests: string;
  requestsLine: (open: number, dueSoon: number, overdue: number) => string;
  requestsHead: [string, string, string, string];
  flag: { overdue: string; 'due-soon': string };
  ledger: string;
  head: (seq: number) => string;
  verified: (at: string) => string;
  notVerified: string;
  broken: (seq: number, reason: string) => string;
  sync: string;
  reconciled: (at: string, lagSeconds: number) => string;
  neverReconciled: string;
  retried: (n: number) => string;
  alerts: string;
  noAlerts: string;
  alertsHead: [string, string, string, string, string, string];
  severity: { warning: string; critical: string };
  sendState: { pending: string; sent: string; failed: string; unsent: string };
  moreRequests: (n: number) => string;
  webhooks: string;
  webhooksNoStore: string;
  webhooksNotChecked: (everySeconds: number) => string;
  webhooksChecked: (at: string, everySeconds: number) => string;
  webhookHead: [string, string];
  webhookState: Record<TopicState, string>;
  reactivatedNote: string;
  deliveries: string;
  deliveriesNone: string;
  deliveriesLine: (waiting: number, active: number, delayed: number) => string;
  deadLine: (refused: number, exhausted: number) => string;
  deadHint: string;
  pluginOutbox: string;
  pluginOutboxUnknown: string;
  pluginOutboxLine: (pending: number, oldest: string | null, refused: number) => string;
  pluginOutboxAt: (at: string, stale: boolean) => string;
  board: BoardMessages;
  timeline: {
    title: string;
    notFound: string;
    kind: string;
    status: string;
    received: string;
    due: string;
    completed: string;
    stuck: string;
    steps: string;
    stepsHead: [string, string, string, string];
  };
};

export const sq: OperatorMessages = {
  lang: 'sq',
  other: { lang: 'en', name: 'English' },
  title: 'Privacy Bridge — gjendja',
  signIn: 'Hyrja e operatorit',
  signInHelp: 'Ngjitni tokenin tuaj të administrimit (pbat_…), të krijuar me „privacy-bridge admin token create”.',
  token: 'Tokeni',
  signInButton: 'Hyr',
  signInFailed: 'Tokeni nuk vlen (i pavlefshëm, i skaduar ose i revokuar).',
  linkTitle: 'Hyrje me lidhje njëpërdorimëshe',
  linkConfirm: (who, role, until) => `Hyni si ${who} (${role})? Lidhja vlen një herë, deri më ${until}.`,
  linkWhy:
    'Hyrja bëhet vetëm kur shtypni butonin, që një parashikim i lidhjes (në bisedë ose email) të mos e harxhojë.',
  linkButton: 'Hyr',
  linkRefused: {
    'link-unknown':
      'Kjo lidhje hyrjeje nuk vlen. Kërkoni një të re („privacy-bridge admin login-link”) ose hyni me token.',
    'link-used':
      'Kjo lidhje hyrjeje është përdorur tashmë: çdo lidhje vlen vetëm një herë. Kërkoni një të re ose hyni me token.',
    'link-expired': 'Kjo lidhje hyrjeje ka skaduar. Kërkoni një të re ose hyni me token.',
    'token-not-live': 'Tokeni pas kësaj lidhjeje është revokuar ose ka skaduar. Kërkoni një token të ri.',
  },
  signedInAs: (who, role) => `I identifikuar si ${who} (${role})`,
  signOut: 'Dil',
  role: { viewer: 'vëzhgues', operator: 'operator' },
  refreshed: (s) => `Faqja rifreskohet çdo ${s} sekonda.`,
  queues: 'Radhët e punëve',
  queueHead: ['Radha', 'Në pritje', 'Aktive', 'Të shtyra', 'Të dështuara', 'Më e vjetra në pritje'],
  retryFailed: 'Riprovo të dështuarat',
  none: '—',
  seconds: (n) => `${n} s`,
  requests: 'Kërkesat e subjekteve',
  requestsLine: (open, soon, over) => `${open} të hapura · ${soon} me afat së shpejti · ${over} me afat të kaluar`,
  requestsHead: ['Kërkesa', 'Lloji', 'Gjendja', 'Afati'],
  flag: { overdue: 'afati ka kaluar', 'due-soon': 'afati afër' },
  ledger: 'Regjistri i privatësisë',
  head: (seq) => `Hyrja e fundit: #${seq}`,
  verified: (at) => `Verifikuar i paprekur më ${at}`,
  notVerified: 'Ende i paverifikuar',
  broken: (seq, reason) => `ZINXHIRI I THYER te hyrja #${seq} (${reason})`,
  sync: 'Sinkronizimi me WooCommerce',
  reconciled: (at, lag) => `Rakordimi i fundit: ${at} (para ${lag} s)`,
  neverReconciled: 'Ende pa rakordim',
  retried: (n) => `U riprovuan ${n} punë.`,
  alerts: 'Alarmet aktive',
  noAlerts: 'Asnjë alarm aktiv.',
  alertsHead: ['Alarmi', 'Subjekti', 'Rëndësia', 'Që prej', 'Dërguar së fundi', 'Dërgimi'],
  severity: { warning: 'paralajmërim', critical: 'kritik' },
  sendState: {
    pending: 'në pritje',
    sent: 'dërguar',
    failed: 'dështoi, do të riprovohet',
    unsent: 'pa dërguar (ALERT_WEBHOOK_URL mungon)',
  },
  moreRequests: (n) => `… dhe ${n} të tjera me afat të kaluar ose afër („privacy-bridge dsr list --overdue”).`,
  webhooks: 'Webhook-et e WooCommerce',
  webhooksNoStore: 'Nuk është konfiguruar asnjë dyqan: nuk ka webhook-e për të ndjekur.',
  webhooksNotChecked: (every) => `Ende pa u kontrolluar (kontrollohen çdo ${every} s).`,
  webhooksChecked: (at, every) => `Kontrolli i fundit: ${at} (çdo ${every} s).`,
  webhookHead: ['Tema', 'Gjendja'],
  webhookState: { active: 'aktiv', paused: 'i pezulluar', disabled: 'i çaktivizuar', missing: 'mungon' },
  reactivatedNote: 'WooCommerce e kishte çaktivizuar; kontrolli e riaktivizoi',
  deliveries: 'Dërgesat drejt WordPress',
  deliveriesNone: 'Nuk është konfiguruar asnjë sajt WordPress (WORDPRESS_URL): nuk dërgohet asgjë.',
  deliveriesLine: (w, a, d) => `${w} në pritje · ${a} duke u dërguar · ${d} në pritje të riprovës pas një dështimi`,
  deadLine: (r, e) => `${r + e} të dështuara përfundimisht (${r} të refuzuara · ${e} pa riprovime të mbetura)`,
  deadHint: 'Shihini me „privacy-bridge delivery list”, ridërgojini me „delivery retry --all”.',
  pluginOutbox: 'Radha e shtojcës në WordPress',
  pluginOutboxUnknown:
    'Ende asnjë sinjal jete nga shtojca (e dërgon çdo pesë minuta me WP-Cron): shihni wp-admin → Privacy Bridge → Radha.',
  pluginOutboxLine: (p, oldest, r) =>
    `${p} mesazhe në pritje${oldest ? ` (më i vjetri prej ${oldest})` : ''} · ${r} të refuzuara nga shërbimi`,
  pluginOutboxAt: (at, stale) =>
    `Raportuar nga shtojca më ${at}${stale ? ' — më shumë se 15 minuta më parë: a punon WP-Cron në sajt?' : ''}.`,
  timeline: {
    title: 'Kërkesa',
    notFound: 'Nuk ka kërkesë me këtë id.',
    kind: 'Lloji',
    status: 'Gjendja',
    received: 'Marrë',
    due: 'Afati',
    completed: 'Përfunduar',
    stuck: 'E ngecur në hapin',
    steps: 'Hapat',
    stepsHead: ['Kur', 'Hapi', 'Gjendja e re', 'Kush veproi'],
  },
  board: {
    title: 'Privacy Bridge — tabela e radhëve',
    open: 'Hap tabelën e radhëve',
    back: '← Gjendja',
    state: {
      waiting: 'Në pritje',
      active: 'Aktive',
      delayed: 'Të shtyra',
      failed: 'Të dështuara',
      completed: 'Të kryera',
    },
    paused: 'e ndalur',
    running: 'në punë',
    queueHead: ['Radha', 'Përpunimi'],
    jobsHead: ['Puna', 'Emri', 'Përpjekjet', 'Shtuar', 'Nisur', 'Mbaruar', 'Arsyeja e dështimit', 'Veprime'],
    empty: 'Asnjë punë në këtë gjendje.',
    page: (n, of) => `Faqja ${n} nga ${of}`,
    newer: '← Më të rejat',
    older: 'Më të vjetrat →',
    hidden: '(nuk shfaqet)',
    attempts: (made, allowed) => `${made} nga ${allowed}`,
    due: (at) => `radhën e ka më ${at}`,
    readOnly: 'Si vëzhgues mund të shihni radhët, por jo të veproni mbi to.',
    action: {
      retry: 'Riprovo',
      promote: 'Nise tani',
      remove: 'Hiq',
      pause: 'Ndal radhën',
      resume: 'Rinise radhën',
      clean: 'Pastro',
    },
    clean: {
      legend: 'Pastro punët e mbaruara',
      state: { completed: 'të kryerat', failed: 'të dështuarat' },
      olderThan: 'më të vjetra se (orë)',
    },
    done: {
      retry: () => 'Puna u kthye në pritje.',
      promote: () => 'Puna u nis pa pritur më.',
      remove: () => 'Puna u hoq.',
      pause: () => 'Radha u ndal: punëtorët nuk marrin punë të reja.',
      resume: () => 'Radha u rinis.',
      clean: (n) => `U pastruan ${n} punë.`,
      'retry-failed': (n) => `U riprovuan ${n} punë.`,
    },
  },
};

export const en: OperatorMessages = {
  lang: 'en',
  other: { lang: 'sq', name: 'Shqip' },
  title: 'Privacy Bridge — status',
  signIn: 'Operator sign-in',
  signInHelp: 'Paste your admin token (pbat_…), made with "privacy-bridge admin token create".',
  token: 'Token',
  signInButton: 'Sign in',
  signInFailed: 'That token does not work (unknown, expired or revoked).',
  linkTitle: 'Sign in with a one-time link',
  linkConfirm: (who, role, until) => `Sign in as ${who} (${role})? The link works once, until ${until}.`,
  linkWhy:
    'You are signed in only when you press the button, so a preview of the link (in a chat or an e-mail) cannot use it up.',
  linkButton: 'Sign in',
  linkRefused: {
    'link-unknown':
      'This sign-in link is not valid. Ask for a new one ("privacy-bridge admin login-link") or sign in with a token.',
    'link-used': 'This sign-in link was used already: each link works once. Ask for a new one or sign in with a token.',
    'link-expired': 'This sign-in link has expired. Ask for a new one or sign in with a token.',
    'token-not-live': 'The admin token behind this link was revoked or has expired. Ask for a new token.',
  },
  signedInAs: (who, role) => `Signed in as ${who} (${role})`,
  signOut: 'Sign out',
  role: { viewer: 'viewer', operator: 'operator' },
  refreshed: (s) => `This page refreshes every ${s} seconds.`,
  queues: 'Job queues',
  queueHead: ['Queue', 'Waiting', 'Active', 'Delayed', 'Failed', 'Oldest waiting'],
  retryFailed: 'Retry failed',
  none: '—',
  seconds: (n) => `${n} s`,
  requests: 'Data-subject requests',
  requestsLine: (open, soon, over) => `${open} open · ${soon} due soon · ${over} overdue`,
  requestsHead: ['Request', 'Kind', 'State', 'Due'],
  flag: { overdue: 'overdue', 'due-soon': 'due soon' },
  ledger: 'Privacy ledger',
  head: (seq) => `Head: #${seq}`,
  verified: (at) => `Verified intact at ${at}`,
  notVerified: 'Not verified yet',
  broken: (seq, reason) => `CHAIN BROKEN at entry #${seq} (${reason})`,
  sync: 'Sync with WooCommerce',
  reconciled: (at, lag) => `Last reconciliation: ${at} (${lag} s ago)`,
  neverReconciled: 'Not reconciled yet',
  retried: (n) => `Retried ${n} job(s).`,
  alerts: 'Alerts firing',
  noAlerts: 'No alerts firing.',
  alertsHead: ['Alert', 'Subject', 'Severity', 'Since', 'Last sent', 'Delivery'],
  severity: { warning: 'warning', critical: 'critical' },
  sendState: {
    pending: 'pending',
    sent: 'sent',
    failed: 'failed, will retry',
    unsent: 'not sent (no ALERT_WEBHOOK_URL)',
  },
  moreRequests: (n) => `… and ${n} more overdue or due soon ("privacy-bridge dsr list --overdue").`,
  webhooks: 'WooCommerce webhooks',
  webhooksNoStore: 'No store is configured: there are no webhooks to watch.',
  webhooksNotChecked: (every) => `Not checked yet (checked every ${every} s).`,
  webhooksChecked: (at, every) => `Last checked: ${at} (every ${every} s).`,
  webhookHead: ['Topic', 'State'],
  webhookState: { active: 'active', paused: 'paused', disabled: 'disabled', missing: 'missing' },
  reactivatedNote: 'WooCommerce had disabled it; the check re-activated it',
  deliveries: 'Deliveries to WordPress',
  deliveriesNone: 'No WordPress site is configured (WORDPRESS_URL): nothing is pushed.',
  deliveriesLine: (w, a, d) => `${w} waiting · ${a} sending · ${d} waiting to retry after a failure`,
  deadLine: (r, e) => `${r + e} gave up (${r} refused · ${e} out of retries)`,
  deadHint: 'See them with "privacy-bridge delivery list", send them again with "delivery retry --all".',
  pluginOutbox: "The plugin's outbox in WordPress",
  pluginOutboxUnknown:
    'No heartbeat from the plugin yet (it sends one every five minutes through WP-Cron): see wp-admin → Privacy Bridge → Outbox.',
  pluginOutboxLine: (p, oldest, r) =>
    `${p} messages waiting${oldest ? ` (the oldest for ${oldest})` : ''} · ${r} refused by the service`,
  pluginOutboxAt: (at, stale) =>
    `Reported by the plugin at ${at}${stale ? ' — more than 15 minutes ago: is WP-Cron running on the site?' : ''}.`,
  timeline: {
    title: 'Request',
    notFound: 'There is no request with this id.',
    kind: 'Kind',
    status: 'State',
    received: 'Received',
    due: 'Due',
    completed: 'Completed',
    stuck: 'Stuck at step',
    steps: 'Steps',
    stepsHead: ['When', 'Step', 'New state', 'Who acted'],
  },
  board: {
    title: 'Privacy Bridge — queue board',
    open: 'Open the queue board',
    back: '← Status',
    state: { waiting: 'Waiting', active: 'Active', delayed: 'Delayed', failed: 'Failed', completed: 'Completed' },
    paused: 'paused',
    running: 'running',
    queueHead: ['Queue', 'Processing'],
    jobsHead: ['Job', 'Name', 'Attempts', 'Added', 'Started', 'Finished', 'Failure reason', 'Actions'],
    empty: 'No jobs in this state.',
    page: (n, of) => `Page ${n} of ${of}`,
    newer: '← Newer',
    older: 'Older →',
    hidden: '(not shown)',
    attempts: (made, allowed) => `${made} of ${allowed}`,
    due: (at) => `due ${at}`,
    readOnly: 'As a viewer you may look at the queues but not act on them.',
    action: {
      retry: 'Retry',
      promote: 'Run now',
      remove: 'Remove',
      pause: 'Pause queue',
      resume: 'Resume queue',
      clean: 'Clean',
    },
    clean: {
      legend: 'Clean finished jobs',
      state: { completed: 'completed', failed: 'failed' },
      olderThan: 'older than (hours)',
    },
    done: {
      retry: () => 'The job is waiting again.',
      promote: () => 'The job runs without waiting any longer.',
      remove: () => 'The job was removed.',
      pause: () => 'The queue is paused: workers take no new jobs.',
      resume: () => 'The queue is resumed.',
      clean: (n) => `Cleaned ${n} job(s).`,
      'retry-failed': (n) => `Retried ${n} job(s).`,
    },
  },
};

export const OPERATOR_CATALOGUES = { sq, en } as const;
