/**
 * The shape every benchmark reports, and the two ways it is printed (a table for people, one JSON
 * object for machines). Pure: no clock, no I/O, so `bench-format.test.ts` pins the format down.
 */

/** What a figure must reach. `min`/`max` bound the value; `minRatio` bounds value ÷ baseline. */
export type Target = { readonly min?: number; readonly max?: number; readonly minRatio?: number };

export type Figure = {
  readonly key: string;
  readonly value: number;
  readonly unit: string;
  /** The same work done the plainest way, in the same process and run; null when there is none. */
  readonly baseline: number | null;
  readonly target?: Target;
};

export type Machine = {
  readonly cpus: { readonly model: string; readonly count: number };
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
};

export type BenchReport = {
  readonly name: string;
  readonly machine: Machine;
  readonly figures: Record<string, { value: number; unit: string; baseline: number | null; ratio: number | null }>;
  readonly targets: Record<string, Target & { pass: boolean }>;
  readonly notes: readonly string[];
};

/** value ÷ baseline, rounded to 3 places; null without a usable baseline. */
export function ratioOf(value: number, baseline: number | null): number | null {
  if (baseline === null || !Number.isFinite(baseline) || baseline === 0) return null;
  return round(value / baseline, 3);
}

export function passes(figure: Figure): boolean {
  const t = figure.target;
  if (!t) return true;
  const ratio = ratioOf(figure.value, figure.baseline);
  if (t.min !== undefined && !(figure.value >= t.min)) return false;
  if (t.max !== undefined && !(figure.value < t.max)) return false;
  if (t.minRatio !== undefined && !(ratio !== null && ratio >= t.minRatio)) return false;
  return true;
}

export function toReport(
  name: string,
  machine: Machine,
  figures: readonly Figure[],
  notes: readonly string[] = [],
): BenchReport {
  const report: BenchReport = { name, machine, figures: {}, targets: {}, notes: [...notes] };
  for (const f of figures) {
    report.figures[f.key] = { value: f.value, unit: f.unit, baseline: f.baseline, ratio: ratioOf(f.value, f.baseline) };
    if (f.target) report.targets[f.key] = { ...f.target, pass: passes(f) };
  }
  return report;
}

export function describeTarget(t: Target | undefined): string {
  if (!t) return '';
  const parts: string[] = [];
  if (t.min !== undefined) parts.push(`≥ ${formatNumber(t.min)}`);
  if (t.max !== undefined) parts.push(`< ${formatNumber(t.max)}`);
  if (t.minRatio !== undefined) parts.push(`ratio ≥ ${t.minRatio}`);
  return parts.join(', ');
}

/** A fixed-width table, one row per figure, then the notes. */
export function formatTable(report: BenchReport): string {
  const header = ['figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'result'];
  const rows = Object.entries(report.figures).map(([key, f]) => {
    const target = report.targets[key];
    return [
      key,
      formatNumber(f.value),
      f.unit,
      f.baseline === null ? '—' : formatNumber(f.baseline),
      f.ratio === null ? '—' : f.ratio.toFixed(2),
      describeTarget(target),
      target ? (target.pass ? 'pass' : 'FAIL') : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 2 || i >= 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const m = report.machine;
  return [
    `benchmark: ${report.name}   machine: ${m.cpus.count} × ${m.cpus.model}, ${m.memoryGiB} GiB, node ${m.node}, ${m.platform}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(report.notes.length ? ['', 'notes:', ...report.notes.map((n) => `  - ${n}`)] : []),
  ].join('\n');
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export const round = (n: number, places = 0) => {
  const f = 10 ** places;
  return Math.round(n * f) / f;
};

/** A run of several benchmarks: each report, or the error that stopped it. */
export type BenchRun = {
  readonly startedAt: string;
  readonly scale: number;
  readonly machine: Machine;
  readonly reports: readonly BenchReport[];
  readonly failed: readonly { name: string; error: string }[];
};

/** One row per figure of every benchmark run: figure, value, baseline, ratio, target, met or not. */
export function formatSummary(run: BenchRun): string {
  const header = ['benchmark', 'figure', 'value', 'baseline', 'ratio', 'target', 'met'];
  const rows = run.reports.flatMap((r) =>
    Object.entries(r.figures).map(([key, f]) => {
      const t = r.targets[key];
      return [
        r.name,
        key,
        `${formatNumber(f.value)} ${f.unit}`,
        f.baseline === null ? '—' : formatNumber(f.baseline),
        f.ratio === null ? '—' : f.ratio.toFixed(2),
        describeTarget(t) || '—',
        t ? (t.pass ? 'yes' : 'NO') : '—',
      ];
    }),
  );
  rows.push(...run.failed.map((f) => [f.name, '(did not finish)', '—', '—', '—', '—', `NO: ${f.error}`]));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const targets = run.reports.flatMap((r) => Object.values(r.targets));
  const met = targets.filter((t) => t.pass).length;
  return [
    `summary of ${run.reports.length + run.failed.length} benchmarks, started ${run.startedAt}, BENCH_SCALE=${run.scale}: ${met} of ${targets.length} targets met${run.failed.length ? `, ${run.failed.length} did not finish` : ''}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

/** The results file's name for a run: `bench-<date>T<time>Z.json`, sortable, one per run. */
export const resultsFileName = (startedAt: string) => `bench-${startedAt.replace(/[:.]/g, '-')}.json`;
