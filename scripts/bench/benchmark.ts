import os from 'node:os';
import type { Figure, Machine } from './bench-format.js';

export type BenchContext = {
  /** BENCH_SCALE: multiplies every count (0.05 for a smoke run). */
  readonly scale: number;
  /** Progress for people; goes to stderr so `--json` keeps stdout to one object. */
  log(message: string): void;
};

export type BenchResult = { readonly figures: readonly Figure[]; readonly notes: readonly string[] };

/** One named benchmark. Timing targets are reported, not asserted: a missed target still exits 0. */
export type Benchmark = {
  readonly name: string;
  readonly summary: string;
  run(ctx: BenchContext): Promise<BenchResult>;
};

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: { model: cpus[0]?.model.trim() ?? 'unknown', count: cpus.length },
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Wall-clock seconds of `work`, with a high-resolution clock. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ seconds: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
}

/** `count` scaled by BENCH_SCALE, never below `floor`. */
export const scaled = (ctx: BenchContext, count: number, floor = 1) => Math.max(floor, Math.round(count * ctx.scale));
