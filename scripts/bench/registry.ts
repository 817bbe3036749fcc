import { bannerBench } from './banner.bench.js';
import type { Benchmark } from './benchmark.js';
import { checkoutBench } from './checkout.bench.js';
import { consentBench } from './consent.bench.js';
import { dsrBench } from './dsr.bench.js';
import { ledgerBench } from './ledger.bench.js';
import { operatorsBench } from './operators.bench.js';
import { syncBench } from './sync.bench.js';
import { wpExporterBench } from './wp-exporter.bench.js';

/** Every benchmark `npm run bench -- <name>` knows. Adding one is one line here. */
export const BENCHMARKS: ReadonlyMap<string, Benchmark> = new Map(
  [ledgerBench, consentBench, syncBench, dsrBench, operatorsBench, bannerBench, checkoutBench, wpExporterBench].map(
    (b) => [b.name, b],
  ),
);
