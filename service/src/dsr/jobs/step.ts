import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { Policy } from '../../../../shared/src/policy/index.js';
import type { JsonObject, Ledger, MasterKeyring, SubjectRef } from '../../ledger/index.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/log/logger.js';
import type { ShopConnector } from '../connectors/connector.js';
import type { DsrRow, DsrStore } from '../dsr-store.js';
import type { DsrService } from '../dsr.service.js';

/**
 * Every DSR step job carries the request id, the erasure pass and the round: ids only, never an e-mail.
 * Round 0 is the flow as opened; a retry of a request whose steps all ran (`dsr retry`) runs its
 * re-check steps as round 1, 2, … so their ledger keys are new facts, not repeats of the first run.
 */
export const StepPayload = z.object({ requestId: z.uuid(), pass: z.int().min(1).max(100), round: z.int().min(0).max(100).default(0) });
export type StepPayload = z.infer<typeof StepPayload>;

export type DsrJobSettings = {
  sessionMargin: string; timeZone: string; sessionMinutes: number; exportLinkHours: number;
  attempts: number; backoffMs: number; dataDir: string; publicUrl: string; linkSecret: Buffer;
};

/** What every DSR job may use; one object bound to all of them. */
export type DsrJobDeps = {
  dsr: DsrService; store: DsrStore; ledger: Ledger; keyring: MasterKeyring; policy: Policy; clock: Clock;
  settings: DsrJobSettings;
  connector(): ShopConnector;
  /** Asks the delivery outbox to push `target` for `id` to WordPress. */
  deliver(target: string, id: string): Promise<void>;
  /** Starts the flow of an erasure pass (hold release). */
  startPass(row: DsrRow, pass: number): Promise<void>;
  /** Keys of our Redis whose job data contains any of `needles` (case-insensitive). */
  redisContaining(needles: readonly string[]): Promise<string[]>;
  /** Test hook: called after a step's side effects, before its completion is recorded (crash tests). */
  afterSideEffects?(step: string): void;
};

export const stepKey = (step: string, requestId: string, pass: number, round = 0) => `dsr.${step}/${requestId}${pass > 1 ? `/p${pass}` : ''}${round > 0 ? `/r${round}` : ''}`;

export const stepOptions = (s: Pick<DsrJobSettings, 'attempts' | 'backoffMs'>) => ({
  attempts: s.attempts, backoff: { type: 'exponential' as const, delay: s.backoffMs },
  removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 },
});

/**
 * The shape of every step: read persisted state first (a step recorded as done is skipped: the retry
 * after a crash lands here), do the work, then record completion in the ledger under the step's
 * natural key. Out of retries — or on a permanent failure — the request is marked stuck with the code.
 */
export async function runStep(step: string, { requestId, pass, round }: StepPayload, deps: DsrJobDeps, ctx: { log: Logger; attempt: number }, work: (row: DsrRow) => Promise<object>): Promise<void> {
  const row = await deps.store.get(requestId);
  if (!row) throw new UnrecoverableError(`dsr.${step}: no request`);
  const key = stepKey(step, requestId, pass, round);
  if (await deps.ledger.byKey(key)) {
    ctx.log.info({ requestId, step, pass, round }, 'dsr step already done, skipping');
    return;
  }
  let detail: JsonObject;
  try {
    // Details are ids, counts and codes: JSON by construction.
    detail = JSON.parse(JSON.stringify(await work(row))) as JsonObject;
  } catch (err) {
    const permanent = err instanceof UnrecoverableError || (err instanceof AppError && err.status < 500 && err.code !== 'WOO_NOT_FOUND');
    if (permanent || ctx.attempt >= deps.settings.attempts) {
      const code = err instanceof AppError ? err.code : err instanceof UnrecoverableError ? 'UNRECOVERABLE' : 'RETRIES_EXHAUSTED';
      await deps.dsr.markStuck(requestId, step, code).catch(() => undefined);
      if (permanent && !(err instanceof UnrecoverableError)) throw new UnrecoverableError(`dsr.${step}: ${code}`);
    }
    throw err;
  }
  deps.afterSideEffects?.(step);
  await deps.ledger.record({ key, kind: `dsr.${step}`, subject: row.subject as SubjectRef, source: `request-${requestId}`, detail: { requestId, pass, ...(round > 0 ? { round } : {}), ...detail } });
  ctx.log.info({ requestId, step, pass, round }, 'dsr step done');
}
