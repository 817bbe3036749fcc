import { randomBytes } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { signedHeaders } from '../../../shared/src/contracts/signed-transport.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log/logger.js';
import { bind, type JobBinding, type JobQueue } from '../platform/queue/job-runtime.js';
import { defineJob } from '../platform/queue/define-job.js';
import type { DeadLetters } from './dead-letters.js';

/** What a capability hands over to be delivered: the plugin's REST route and the body, built at send time. */
export type Outgoing = { readonly route: string; readonly body: unknown };
/** Builds a message from ids (reading what it needs then); null when there is nothing to send any more. */
export type Builder = (id: string) => Promise<Outgoing | null>;

export const DeliverPayload = z.object({
  target: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
});
export type DeliverPayload = z.infer<typeof DeliverPayload>;

export type DeliveryDeps = {
  wordpressUrl: string | null;
  /** The first PLUGIN_SIGNING_KEYS key signs outgoing messages. */
  key: { id: string; secret: string } | undefined;
  clock: Clock;
  fetch?: typeof fetch;
};

/**
 * The outbox to WordPress: a `delivery.deliver` job carries a target and an id (never personal data);
 * the target's builder makes the body when the job runs, and the message goes out signed
 * (signed-transport.ts) to `<WORDPRESS_URL>/wp-json/privacy-bridge/v1/<route>`. Failures retry with
 * exponential back-off; the message id is stable across retries, so the plugin can deduplicate.
 */
export class Delivery {
  readonly #builders = new Map<string, Builder>();

  constructor(private readonly deps: DeliveryDeps) {}

  /** The outbox as the configuration sets it up (WORDPRESS_URL, the first PLUGIN_SIGNING_KEYS key): `start` and the CLI both build it here. */
  static configured(
    config: { wordpressUrl: string | null; pluginKeys: readonly { id: string; secret: string }[] },
    clock: Clock,
  ): Delivery {
    return new Delivery({ wordpressUrl: config.wordpressUrl, key: config.pluginKeys[0], clock });
  }

  register(target: string, builder: Builder): void {
    this.#builders.set(target, builder);
  }

  enqueue(queue: JobQueue, target: string, id: string) {
    return queue.add(deliverJob, { target, id }, { jobId: `deliver-${target}-${id}` });
  }

  async send(payload: DeliverPayload, log: Logger): Promise<{ delivered: boolean; reason?: string; status?: number }> {
    const builder = this.#builders.get(payload.target);
    if (!builder) throw new UnrecoverableError(`no builder for delivery target ${payload.target}`);
    const { wordpressUrl, key, clock } = this.deps;
    if (!wordpressUrl || !key) {
      log.info({ target: payload.target, id: payload.id }, 'nothing to push to: no WordPress site configured');
      return { delivered: false, reason: 'no-wordpress-url' };
    }
    const message = await builder(payload.id);
    if (!message) return { delivered: false, reason: 'nothing-to-send' };
    const url = new URL(`${wordpressUrl}/wp-json/privacy-bridge/v1/${message.route}`);
    const body = JSON.stringify(message.body);
    const headers = signedHeaders(key, {
      method: 'POST',
      path: url.pathname + url.search,
      timestamp: Math.floor(clock.now().getTime() / 1000),
      messageId: `${payload.target}-${payload.id}`,
      body,
    });
    const res = await (this.deps.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    await res.body?.cancel().catch(() => undefined); // the plugin's answer may echo what we sent: never read into logs
    if (res.ok) return { delivered: true, status: res.status };
    // A refusal that a retry cannot fix (bad signature, contract mismatch) stops; anything else retries.
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
      throw new UnrecoverableError(`WordPress refused the delivery (${res.status})`);
    throw new Error(`WordPress answered ${res.status}`);
  }
  /** The plugin's signed `GET ping`: its answer (versions, allowed service URL) when WordPress answers 2xx, else null. */
  async ping(): Promise<Record<string, unknown> | null> {
    const { wordpressUrl, key, clock } = this.deps;
    if (!wordpressUrl || !key) return null;
    const url = new URL(`${wordpressUrl}/wp-json/privacy-bridge/v1/ping`);
    const headers = signedHeaders(key, {
      method: 'GET',
      path: url.pathname + url.search,
      timestamp: Math.floor(clock.now().getTime() / 1000),
      messageId: `ping-${randomBytes(8).toString('hex')}`,
      body: '',
    });
    try {
      const res = await (this.deps.fetch ?? fetch)(url, {
        method: 'GET',
        headers,
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        return null;
      }
      return (await res.json()) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  /**
   * A signed call to a plugin route that answers (the DSR bulk read and erase command): returns the
   * parsed JSON body. Throws on a non-2xx answer with the status only (the body may echo personal data).
   */
  async call(route: string, body: unknown, messageId: string): Promise<unknown> {
    const { wordpressUrl, key, clock } = this.deps;
    if (!wordpressUrl || !key) throw new UnrecoverableError('no WordPress site configured');
    const url = new URL(`${wordpressUrl}/wp-json/privacy-bridge/v1/${route}`);
    const text = JSON.stringify(body);
    const headers = signedHeaders(key, {
      method: 'POST',
      path: url.pathname + url.search,
      timestamp: Math.floor(clock.now().getTime() / 1000),
      messageId,
      body: text,
    });
    const res = await (this.deps.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: text,
      signal: AbortSignal.timeout(60_000),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
        throw new UnrecoverableError(`WordPress refused the call (${res.status})`);
      throw new Error(`WordPress answered ${res.status}`);
    }
    return res.json();
  }
}

const DELIVER_ATTEMPTS = 12;

export type DeliverJobDeps = { delivery: Delivery; deadLetters: DeadLetters; now: () => Date };

/**
 * One push to WordPress. A delivery that gives up — refused for what it says, or out of its 12
 * attempts (~68 minutes of back-off) — is kept as a dead letter, re-driven once WordPress answers its ping again.
 */
export const deliverJob = defineJob({
  name: 'delivery.deliver',
  payload: DeliverPayload,
  options: {
    attempts: DELIVER_ATTEMPTS,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { count: 1_000 },
    removeOnFail: { count: 10_000 },
  },
  async handle(payload, deps: DeliverJobDeps, { log, attempt }) {
    try {
      return await deps.delivery.send(payload, log);
    } catch (err) {
      const refused = err instanceof UnrecoverableError;
      if (refused || attempt >= DELIVER_ATTEMPTS) {
        const status = Number(
          /\((\d{3})\)|answered (\d{3})/
            .exec(String((err as Error).message))
            ?.slice(1)
            .find(Boolean) ?? NaN,
        );
        await deps.deadLetters.put({
          ...payload,
          reason: refused ? 'refused' : 'retries-exhausted',
          status: Number.isFinite(status) ? status : null,
          attempts: attempt,
          failedAt: deps.now().toISOString(),
        });
        log.warn(
          { target: payload.target, id: payload.id, refused },
          'delivery to WordPress gave up: kept as a dead letter',
        );
      }
      throw err;
    }
  },
});

/**
 * Sends dead letters again: each one's failed job is removed and a fresh one queued under the same
 * id (the message id stays the same, so the plugin still deduplicates). Returns how many were re-driven.
 */
export async function redrive(
  deps: { delivery: Delivery; deadLetters: DeadLetters; queue: JobQueue },
  only?: { target: string; id: string },
): Promise<number> {
  let n = 0;
  for (const d of only ? [only] : await deps.deadLetters.list()) {
    const old = await deps.queue.queue('delivery').getJob(`deliver-${d.target}-${d.id}`);
    if (old && (await old.isFailed())) await old.remove();
    await deps.delivery.enqueue(deps.queue, d.target, d.id);
    if (await deps.deadLetters.remove(d.target, d.id)) n++;
  }
  return n;
}

/** Every minute while dead letters wait: ping the plugin, and re-drive them all once WordPress answers. */
export const probeJob = defineJob({
  name: 'delivery.probe',
  payload: z.object({}).strict(),
  options: { attempts: 1, removeOnComplete: 20, removeOnFail: 20 },
  async handle(_payload, deps: { delivery: Delivery; deadLetters: DeadLetters; queue: JobQueue }, { log }) {
    if ((await deps.deadLetters.count()).length === 0) return { waiting: 0 };
    if (!(await deps.delivery.ping())) return { wordpress: 'down' };
    const redriven = await redrive(deps);
    log.info({ redriven }, 'WordPress answers again: dead letters re-driven');
    return { redriven };
  },
});

export const deliveryJobs = (deps: DeliverJobDeps & { queue: JobQueue }): JobBinding[] => [
  bind(deliverJob, deps),
  bind(probeJob, deps),
];
