// A worker thread of a parallel verify (sqlite-parallel-verify.ts): one range, then one report.
import { parentPort, workerData } from 'node:worker_threads';
import { verifyRange, type RangeTask } from './sqlite-verify-range.js';

void verifyRange(workerData as RangeTask).then((report) => parentPort!.postMessage(report));
