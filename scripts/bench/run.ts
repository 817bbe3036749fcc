// `npm run bench -- <name> [--json]`: runs one benchmark, prints a table or one JSON object.
import { formatTable, toReport } from './bench-format.js';
import { machine, type BenchContext } from './benchmark.js';
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

async function main(): Promise<number> {
  const { json, names, unknownFlag } = parseArgs(process.argv.slice(2));
  const known = [...BENCHMARKS.keys()].join(', ');
  if (unknownFlag) {
    console.error(`unknown option ${unknownFlag}; usage: npm run bench -- <${known}> [--json]`);
    return 2;
  }
  if (names.length !== 1) {
    console.error(`usage: npm run bench -- <name> [--json]   (known benchmarks: ${known})`);
    return 2;
  }
  const bench = BENCHMARKS.get(names[0]!);
  if (!bench) {
    console.error(`unknown benchmark "${names[0]}"; known benchmarks: ${known}`);
    return 2;
  }
  const ctx: BenchContext = { scale: parseScale(process.env.BENCH_SCALE), log: (m) => console.error(`[bench ${bench.name}] ${m}`) };
  ctx.log(`${bench.summary} (BENCH_SCALE=${ctx.scale})`);
  const result = await bench.run(ctx);
  const report = toReport(bench.name, machine(), result.figures, result.notes);
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${formatTable(report)}\n`);
  return 0;
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
