import type { Redis } from 'ioredis';
import { MAX_CLOCK_SKEW_SECONDS } from '../../../../shared/src/contracts/signed-transport.js';
import type { MessageIdGuard } from '../http/signed-request.js';

/**
 * Message ids in Redis, kept twice as long as the clock-skew window: an older replay is refused by
 * its timestamp already. Ids are opaque random strings from the sender, never personal data.
 */
export class RedisMessageGuard implements MessageIdGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async claim(keyId: string, messageId: string): Promise<boolean> {
    const set = await this.redis.set(this.#key(keyId, messageId), '1', 'EX', MAX_CLOCK_SKEW_SECONDS * 2, 'NX');
    return set === 'OK';
  }

  async release(keyId: string, messageId: string): Promise<void> {
    await this.redis.del(this.#key(keyId, messageId));
  }

  #key(keyId: string, messageId: string) {
    return `${this.prefix}:msg:${keyId}:${messageId}`;
  }
}
