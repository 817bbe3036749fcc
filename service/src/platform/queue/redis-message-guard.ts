import type { Redis } from 'ioredis';
import { MAX_CLOCK_SKEW_SECONDS } from '../../../../shared/src/contracts/signed-transport.js';
import { Batcher, type Settled } from '../batcher.js';
import type { MessageIdGuard } from '../http/signed-request.js';

/**
 * Message ids in Redis, kept twice as long as the clock-skew window: an older replay is refused by
 * its timestamp already. Ids are opaque random strings from the sender, never personal data.
 * Claims made in the same event-loop turn go to Redis as one pipeline (one write, one round trip);
 * each is still its own atomic SET NX, so exactly one of two claims of the same id wins.
 */
export class RedisMessageGuard implements MessageIdGuard {
  readonly #claims: Batcher<string, boolean>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.#claims = new Batcher((keys) => this.#claimAll(keys));
  }

  claim(keyId: string, messageId: string): Promise<boolean> {
    return this.#claims.add(this.#key(keyId, messageId));
  }

  async release(keyId: string, messageId: string): Promise<void> {
    await this.redis.del(this.#key(keyId, messageId));
  }

  async #claimAll(keys: readonly string[]): Promise<Settled<boolean>[]> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.set(key, '1', 'EX', MAX_CLOCK_SKEW_SECONDS * 2, 'NX');
    const replies = (await pipeline.exec()) ?? [];
    return keys.map((_, i): Settled<boolean> => {
      const [err, reply] = replies[i] ?? [new Error('redis pipeline: no reply'), null];
      return err ? { status: 'rejected', reason: err } : { status: 'fulfilled', value: reply === 'OK' };
    });
  }

  #key(keyId: string, messageId: string) {
    return `${this.prefix}:msg:${keyId}:${messageId}`;
  }
}
