// The ledger's writer thread (sqlite-ledger-writer.ts): its own connection, one append transaction at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import { SqliteAppender, type AppendResult } from './sqlite-append.js';
import type { WriterReply, WriterRequest, WriterTask } from './sqlite-ledger-writer.js';

const task = workerData as WriterTask;
const db = openDatabase(`sqlite:${task.file}`, { sync: task.sync });
if (db.dialect !== 'sqlite') throw new Error('the ledger writer needs SQLite');
const sqlite = db.sqlite;
const appender = new SqliteAppender(sqlite);
const port = parentPort!;

// The append under way: its id and results, or the error that ended it (later messages of it are dropped).
let current: { id: number; results: AppendResult[] } | null = null;
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
    current = { id: m.id, results: [] };
    appender.begin(m.newDataKeys.map((k) => ({ ...k, wrapped: asBuffer(k.wrapped) })));
  } else if (m.type === 'rows') {
    if (current?.id === m.id) for (const r of appender.push(m.rows)) current.results.push(r);
  } else if (m.type === 'abort') {
    if (current?.id === m.id) fail(m.id, null);
  } else if (failed?.id === m.id) {
    port.postMessage(replyOf(m.id, failed.error));
  } else if (current?.id === m.id) {
    sqlite.exec('COMMIT');
    const outcome = appender.outcome(current.results);
    current = null;
    port.postMessage({ id: m.id, outcome } satisfies WriterReply);
  }
}

/** Codes and ids only, as everywhere: an AppError's details are safe by construction. */
function replyOf(id: number, err: unknown): WriterReply {
  if (err instanceof AppError) return { id, error: { code: err.code, details: err.details } };
  return { id, error: { name: (err as Error)?.name ?? 'Error', message: String((err as Error)?.message ?? err) } };
}

port.on('message', (m: WriterRequest) => {
  try {
    handle(m);
  } catch (err) {
    fail(m.id, err);
  }
});
