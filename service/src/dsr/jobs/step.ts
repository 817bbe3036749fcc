import { UnrecoverableError } from 'bullmq';
import type { Policy } from '../../../../shared/src/policy/index.js';
import type { JsonObject, Ledger, MasterKeyring } from '../../ledger/index.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/log/logger.js';
import type { ShopConnector } from '../connectors/connector.js';
import type { DsrRow, DsrStore } from '../dsr-store.js';
import type { DsrService } from '../dsr.service.js';
import { stepKey, type StepPayload, type StepRetry } from '../flows.js';

export type DsrJobSettings = StepRetry & {
  sessionMargin: string;
  timeZone: string;
  sessionMinutes: number;
  exportLinkHours: number;
  dataDir: string;
  publicUrl: string;
  linkSecret: Buffer;
};

/** Everything the DSR jobs use between them; each job picks what it needs (`Pick<DsrJobDeps, …>`). */
export type DsrJobDeps = {
  dsr: DsrService;
  store: DsrStore;
  ledger: Ledger;
  keyring: MasterKeyring;
  policy: Policy;
  clock: Clock;
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

/** What `runStep` itself uses; a step job's own needs add to it. */
export type StepDeps = Pick<DsrJobDeps, 'store' | 'ledger' | 'afterSideEffects'> & {
  dsr: Pick<DsrService, 'markStuck'>;
  settings: Pick<StepRetry, 'attempts'>;
};

/**
 * The shape of every step: read persisted state first (a step recorded as done is skipped: the retry
 * after a crash lands here), do the work, then record completion in the ledger under the step's
 * natural key. Out of retries — or on a permanent failure — the request is marked stuck with the code.
 */
export async function runStep(
  step: string,
  { requestId, pass, round }: StepPayload,
  deps: StepDeps,
  ctx: { log: Logger; attempt: number },
  work: (row: DsrRow) => Promise<object>,
): Promise<void> {
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
    const permanent =
      err instanceof UnrecoverableError ||
      (err instanceof AppError && err.status < 500 && err.code !== 'WOO_NOT_FOUND');
    if (permanent || ctx.attempt >= deps.settings.attempts) {
      const code =
        err instanceof AppError ? err.code : err instanceof UnrecoverableError ? 'UNRECOVERABLE' : 'RETRIES_EXHAUSTED';
      await deps.dsr.markStuck(requestId, step, code).catch(() => undefined);
      if (permanent && !(err instanceof UnrecoverableError)) throw new UnrecoverableError(`dsr.${step}: ${code}`);
    }
    throw err;
  }
  deps.afterSideEffects?.(step);
  await deps.ledger.record({
    key,
    kind: `dsr.${step}`,
    subject: row.subject,
    source: `request-${requestId}`,
    detail: { requestId, pass, ...(round > 0 ? { round } : {}), ...detail },
  });
  ctx.log.info({ requestId, step, pass, round }, 'dsr step done');
}
