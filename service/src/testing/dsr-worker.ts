// A DSR worker in its own process, for the crash test: `node --import tsx dsr-worker.ts`, configured by
// PB_* variables. With PB_CRASH_AT=<step> it stops dead after that step's side effects, before its
// completion is recorded, and prints `AT <step>` so the test can SIGKILL it there.
import { Redis } from 'ioredis';
import { DeadLetters, Delivery, deliveryJobs } from '../delivery/index.js';
import { createDsr } from '../dsr/index.js';
import { Ledger, MasterKeyring } from '../ledger/index.js';
import { createLedgerStore } from '../ledger/open-store.js';
import { fixedClock } from '../platform/clock.js';
import { openDatabase } from '../platform/db/database.js';
import { JobQueue, startWorkers } from '../platform/queue/job-runtime.js';
import { sensitive } from '../platform/sensitive.js';
import { DEFAULT_KEY } from '../woocommerce/double/index.js';
import { WooClient } from '../woocommerce/index.js';
import { captureLogs } from './log-capture.js';
import { dsrTestSettings, PLUGIN_KEY } from './dsr-harness.js';

function main() {
  const env = (name: string) => process.env[name] ?? '';
  const db = openDatabase(env('PB_URL'));
  const clock = fixedClock(env('PB_NOW'));
  const masterKeys = [{ id: 'm1', key: Buffer.from(env('PB_MASTER'), 'base64') }];
  const ledger = new Ledger({
    store: createLedgerStore(db),
    keyring: new MasterKeyring(masterKeys),
    pepper: Buffer.from(env('PB_PEPPER'), 'base64'),
    clock,
  });
  const log = captureLogs('warn').log;
  const producer = new Redis(env('PB_REDIS'), { maxRetriesPerRequest: 1 });
  const workerConn = new Redis(env('PB_REDIS'), { maxRetriesPerRequest: null });
  const prefix = env('PB_PREFIX');
  const queue = new JobQueue(producer, prefix);
  const woo = new WooClient(
    {
      url: env('PB_WOO_URL'),
      consumerKey: sensitive(DEFAULT_KEY.consumerKey),
      consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
      maxAttempts: 2,
      concurrency: 16,
    },
    log,
  );
  const delivery = new Delivery({ wordpressUrl: env('PB_PLUGIN_URL'), key: PLUGIN_KEY, clock });
  const crashAt = env('PB_CRASH_AT');
  const parts = createDsr({
    core: { db, ledger, keyring: new MasterKeyring(masterKeys), linkSecret: Buffer.from(env('PB_LINK'), 'base64') },
    clock,
    redis: producer,
    prefix,
    woo,
    delivery,
    queue,
    viaPlugin: true,
    wooConcurrency: 16,
    settings: dsrTestSettings(env('PB_DATA'), 3),
    afterSideEffects: (step) => {
      if (step !== crashAt) return;
      process.stdout.write(`AT ${step}\n`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000); // frozen until killed
    },
  });
  startWorkers({
    bindings: [
      ...parts.jobs,
      ...deliveryJobs({ delivery, deadLetters: new DeadLetters(db), queue, now: () => clock.now() }),
    ],
    connection: workerConn,
    prefix,
    log,
    concurrency: 4,
    stall: { lockDuration: 1_000, stalledInterval: 500 },
  });
  process.stdout.write('READY\n');
}

main();
