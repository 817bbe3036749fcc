// `npm run bench [-- <name>…] [--json]`: with no name, every benchmark one after another, a summary
// table and a dated results file (BENCH_RESULTS_DIR, default ./bench-results); with names, those.
import fs from 'node:fs';
import path from 'node:path';
import {
  formatSummary,
  formatTable,
  resultsFileName,
  toReport,
  type BenchReport,
  type BenchRun,
} from './bench-format.js';
import { machine, type Benchmark, type BenchContext } from './benchmark.js';
import { BENCHMARKS } from './registry.js';

function parseArgs(argv: readonly string[]) {
  const json = argv.includes('--json');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknownFlag = argv.find((a) => a.startsWith('--') && a !== '--json');
  return { json, names, unknownFlag };
}

function parseScale(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('BENCH_SCALE must be a positive number (1 = full run)');
  return scale;
}

async function runOne(bench: Benchmark, scale: number): Promise<BenchReport> {
  const ctx: BenchContext = { scale, log: (m) => console.error(`[bench ${bench.name}] ${m}`) };
  ctx.log(`${bench.summary} (BENCH_SCALE=${ctx.scale})`);
  const result = await bench.run(ctx);
  return toReport(bench.name, machine(), result.figures, result.notes);
}

async function main(): Promise<number> {
  const { json, names, unknownFlag } = parseArgs(process.argv.slice(2));
  const known = [...BENCHMARKS.keys()].join(', ');
  if (unknownFlag) {
    console.error(`unknown option ${unknownFlag}; usage: npm run bench [-- <${known}>…] [--json]`);
    return 2;
  }
  const unknown = names.filter((n) => !BENCHMARKS.has(n));
  if (unknown.length) {
    console.error(`unknown benchmark "${unknown[0]}"; known benchmarks: ${known}`);
    return 2;
  }
  const scale = parseScale(process.env.BENCH_SCALE);
  if (names.length === 1) {
    const report = await runOne(BENCHMARKS.get(names[0]!)!, scale);
    process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${formatTable(report)}\n`);
    return 0;
  }
  // Every benchmark (or those named), one after another; one that fails is reported and the rest still run.
  const startedAt = new Date().toISOString();
  const reports: BenchReport[] = [];
  const failed: { name: string; error: string }[] = [];
  for (const bench of names.length ? names.map((n) => BENCHMARKS.get(n)!) : [...BENCHMARKS.values()]) {
    try {
      const report = await runOne(bench, scale);
      reports.push(report);
      if (!json) process.stdout.write(`${formatTable(report)}\n\n`);
    } catch (err) {
      failed.push({
        name: bench.name,
        error: err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'failed',
      });
      console.error(`[bench ${bench.name}] failed:`, err);
    }
  }
  const run: BenchRun = { startedAt, scale, machine: machine(), reports, failed };
  const dir = path.resolve(process.env.BENCH_RESULTS_DIR ?? 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, resultsFileName(startedAt));
  fs.writeFileSync(file, `${JSON.stringify({ ...run, summary: formatSummary(run) }, null, 2)}\n`);
  process.stdout.write(json ? `${JSON.stringify(run)}\n` : `${formatSummary(run)}\n\nresults: ${file}\n`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
