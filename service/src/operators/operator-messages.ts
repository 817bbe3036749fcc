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
};

export const OPERATOR_CATALOGUES = { sq, en } as const;
