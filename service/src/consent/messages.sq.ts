/** Albanian texts of the consent pages (shown first). Keys match messages.en.ts. */
export const sq = {
  lang: 'sq',
  receiptTitle: 'Dëftesë pëlqimi',
  receiptIntro:
    'Ruajeni këtë dëftesë: ajo tregon çfarë keni zgjedhur, kur dhe sipas cilës version të politikës së privatësisë.',
  controller: 'Kontrolluesi i të dhënave',
  receiptId: 'Numri i dëftesës',
  time: 'Koha',
  policyVersion: 'Versioni i politikës',
  policyHash: 'Gjurma e tekstit të politikës (SHA-256)',
  source: 'Ku u dha zgjedhja',
  purpose: 'Qëllimi',
  decision: 'Zgjedhja',
  granted: 'Pranuar',
  denied: 'Refuzuar',
  gpcNote:
    'Shfletuesi juaj dërgoi sinjalin Global Privacy Control; marketingu dhe statistikat u refuzuan në bazë të tij.',
  subject: 'Personi',
  pseudonymous: 'vizitor anonim',
  withdraw: 'Mund ta tërhiqni pëlqimin në çdo kohë nga llogaria juaj ose duke na shkruar në',
  unsubscribeTitle: 'Çregjistrim nga marketingu',
  unsubscribeQuestion: 'Dëshironi të mos merrni më komunikime promovuese nga ne?',
  unsubscribeButton: 'Po, më çregjistroni',
  unsubscribeDone: 'U çregjistruat. Nuk do të merrni më komunikime promovuese.',
  unsubscribeInvalid: 'Kjo lidhje çregjistrimi nuk është e vlefshme.',
  sources: {
    checkout: 'arka',
    banner: 'njoftimi për cookies',
    'account-page': 'faqja e llogarisë',
    'unsubscribe-link': 'lidhja e çregjistrimit',
    admin: 'administratori',
    import: 'importim',
  },
} as const;

export type Messages = {
  readonly [K in keyof typeof sq]: (typeof sq)[K] extends object
    ? { readonly [S in keyof (typeof sq)[K]]: string }
    : string;
};
