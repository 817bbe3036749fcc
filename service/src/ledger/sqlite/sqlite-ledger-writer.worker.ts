// The ledger's writer thread (sqlite-ledger-writer.ts): its own connection, one append transaction at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../platform/db/database.js';
import { reportOf } from '../../platform/errors.js';
import { SqliteAppender } from './sqlite-append.js';
import { unpackRows, type WriterReply, type WriterRequest, type WriterTask } from './sqlite-ledger-writer.js';

const task = workerData as WriterTask;
const db = openDatabase(`sqlite:${task.file}`, { sync: task.sync });
if (db.dialect !== 'sqlite') throw new Error('the ledger writer needs SQLite');
const sqlite = db.sqlite;
const appender = new SqliteAppender(sqlite);
const port = parentPort!;

// The append under way, or the error that ended one (later messages of it are dropped).
let current: number | null = null;
let failed: { id: number; error: unknown } | null = null;

const asBuffer = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function fail(id: number, error: unknown) {
  if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
  current = null;
  failed = { id, error };
}

function handle(m: WriterRequest): void {
  if (m.type === 'begin') {
    failed = null;
    sqlite.exec('BEGIN IMMEDIATE'); // waits for writers in other connections and processes, as every append does
    current = m.id;
    appender.begin(m.newDataKeys.map((k) => ({ ...k, wrapped: asBuffer(k.wrapped) })));
  } else if (m.type === 'rows') {
    if (current === m.id) appender.push(unpackRows(m.rows));
  } else if (m.type === 'abort') {
    if (current === m.id) fail(m.id, null);
  } else if (failed?.id === m.id) {
    port.postMessage({ id: m.id, error: reportOf(failed.error) } satisfies WriterReply);
  } else if (current === m.id) {
    sqlite.exec('COMMIT');
    current = null;
    port.postMessage({ id: m.id, outcome: appender.outcome() } satisfies WriterReply);
  }
}

port.on('message', (m: WriterRequest) => {
  try {
    handle(m);
  } catch (err) {
    fail(m.id, err);
  }
});
