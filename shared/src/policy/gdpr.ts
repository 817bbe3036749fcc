/** The GDPR articles a legal basis may cite: Art. 6(1) bases and Art. 9(2) conditions. */
export const GDPR_BASES = [
  '6(1)(a)',
  '6(1)(b)',
  '6(1)(c)',
  '6(1)(d)',
  '6(1)(e)',
  '6(1)(f)',
  '9(2)(a)',
  '9(2)(b)',
  '9(2)(c)',
  '9(2)(d)',
  '9(2)(e)',
  '9(2)(f)',
  '9(2)(g)',
  '9(2)(h)',
  '9(2)(i)',
  '9(2)(j)',
] as const;
export type GdprBasis = (typeof GDPR_BASES)[number];

/** Art. 6 bases make processing lawful; Art. 9(2) conditions additionally allow special categories. */
export const isArticle9 = (gdpr: string) => gdpr.startsWith('9(');
export const isConsentBasis = (gdpr: string) => gdpr === '6(1)(a)' || gdpr === '9(2)(a)';
