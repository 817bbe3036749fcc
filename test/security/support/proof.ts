/**
 * The proof suites run in two forms: short inside `npm test`, full under `npm run test:security` /
 * `npm run test:reliability` (PB_PROOF=full). Figures are printed at the end of a full run.
 */
export const FULL = process.env.PB_PROOF === 'full';
export const pick = <T>(short: T, full: T): T => (FULL ? full : short);

const figures = new Map<string, number>();
export const figure = {
  add(name: string, n = 1): void {
    figures.set(name, (figures.get(name) ?? 0) + n);
  },
  set(name: string, n: number): void {
    figures.set(name, n);
  },
  get: (name: string) => figures.get(name) ?? 0,
  /** One line per figure on stdout, `name value` (jest keeps console.log; this bypasses its decoration). */
  print(suite: string): void {
    const lines = [...figures].map(([k, v]) => `  ${k} ${v}`);
    process.stdout.write(`\n[${suite}] figures (${FULL ? 'full' : 'short'} form)\n${lines.join('\n')}\n`);
  },
};

/** The canary: personal data that must appear nowhere outside encrypted values. */
export const CANARY = {
  email: 'canary.kanarina@example.invalid',
  phone: '+355 69 765 4321',
  name: 'Kanarina Zogëverdhë',
} as const;
export const CANARY_NEEDLES = [
  CANARY.email,
  'canary.kanarina',
  CANARY.phone,
  '697654321',
  CANARY.name,
  'Kanarina',
  encodeURIComponent(CANARY.email),
];
