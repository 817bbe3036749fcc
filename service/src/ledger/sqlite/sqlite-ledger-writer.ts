import { Worker } from 'node:worker_threads';
import { errorOf, type ErrorReport } from '../../platform/errors.js';
import { workerScript } from '../../platform/worker-script.js';
import { canonicalTail, type EntryDraft, type LedgerEntry } from '../chain.js';
import type { StoredDataKey } from '../ledger-store.js';
import { entriesOf, type AppendOutcome, type AppendRow } from './sqlite-append.js';

export type WriterTask = { readonly file: string; readonly sync: 'normal' | 'full' };
export type WriterRequest =
  | { type: 'begin'; id: number; newDataKeys: readonly StoredDataKey[] }
  | { type: 'rows'; id: number; rows: PackedRows }
  | { type: 'commit'; id: number }
  | { type: 'abort'; id: number };
/**
 * A chunk's rows as they cross to the writer: the canonical tails joined into one string (a tail is
 * JSON text, so it holds no raw newline). Structured cloning copies one long string several times
 * faster than a hundred short ones (postMessage was ~6% of a backfill's main thread).
 */
export type PackedRows = {
  readonly keys: readonly string[];
  readonly dataKeyIds: readonly (string | null)[];
  readonly tails: string;
};

export function packRows(drafts: readonly EntryDraft[]): PackedRows {
  const keys: string[] = [];
  const dataKeyIds: (string | null)[] = [];
  const tails: string[] = [];
  for (const d of drafts) {
    keys.push(d.key);
    dataKeyIds.push(d.dataKeyId);
    tails.push(canonicalTail(d));
  }
  return { keys, dataKeyIds, tails: tails.join('\n') };
}

export function unpackRows({ keys, dataKeyIds, tails }: PackedRows): AppendRow[] {
  const split = tails.split('\n');
  return keys.map((key, i) => [key, dataKeyIds[i]!, split[i]!]);
}

export type WriterReply = { id: number; outcome: AppendOutcome } | { id: number; error: ErrorReport };

/**
 * A thread that owns a second connection to the ledger file and runs large appends on it: this thread
 * seals a chunk of drafts and writes its canonical tails while the writer links and inserts the chunk
 * before, so on two cores the two halves of an append overlap instead of taking turns. Still one
 * BEGIN IMMEDIATE transaction per append, so the chain cannot fork; a failed append rolls back whole.
 * Idle, it keeps no process alive.
 */
export class LedgerWriterThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (o: AppendOutcome) => void; reject: (e: Error) => void }>();
  #next = 0;
  #dead: Error | null = null;

  private constructor(script: { file: string; execArgv: string[] }, task: WriterTask) {
    // A small young generation: the writer's garbage (texts of one chunk) is short-lived.
    this.#worker = new Worker(script.file, {
      workerData: task,
      execArgv: script.execArgv,
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    this.#worker.unref();
    this.#worker.on('message', (reply: WriterReply) => this.#settle(reply));
    this.#worker.on('error', (err) => this.#die(err));
    this.#worker.on('exit', (code) => this.#die(new Error(`the ledger writer thread exited with ${code}`)));
  }

  /** Null when there is no worker script (see workerScript). */
  static start(task: WriterTask): LedgerWriterThread | null {
    const script = workerScript(__dirname, 'sqlite-ledger-writer.worker');
    return script ? new LedgerWriterThread(script, task) : null;
  }

  get alive(): boolean {
    return this.#dead === null;
  }

  /** One append: the chunks are drafted here one by one, each sent on as soon as it is ready. */
  async append(chunks: Iterable<readonly EntryDraft[]>, newDataKeys: readonly StoredDataKey[]): Promise<LedgerEntry[]> {
    if (this.#dead) throw this.#dead;
    const id = ++this.#next;
    const outcome = new Promise<AppendOutcome>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    if (this.#pending.size === 1) this.#worker.ref(); // an append under way keeps the process alive
    const drafts: EntryDraft[] = [];
    this.#post({ type: 'begin', id, newDataKeys });
    try {
      for (const chunk of chunks) {
        for (const d of chunk) drafts.push(d);
        this.#post({ type: 'rows', id, rows: packRows(chunk) });
      }
    } catch (err) {
      this.#post({ type: 'abort', id });
      this.#forget(id);
      throw err;
    }
    this.#post({ type: 'commit', id });
    return entriesOf(drafts, await outcome);
  }

  async close(): Promise<void> {
    this.#dead ??= new Error('the ledger writer thread was closed');
    await this.#worker.terminate();
  }

  #post(m: WriterRequest) {
    this.#worker.postMessage(m);
  }

  #settle(reply: WriterReply) {
    const waiting = this.#pending.get(reply.id);
    this.#forget(reply.id);
    if (!waiting) return;
    if ('outcome' in reply) waiting.resolve(reply.outcome);
    else waiting.reject(errorOf(reply.error));
  }

  #forget(id: number) {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
  }

  #die(err: Error) {
    this.#dead ??= err;
    for (const { reject } of this.#pending.values()) reject(this.#dead);
    this.#pending.clear();
  }
}
