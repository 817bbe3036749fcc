import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.js';

/**
 * BullMQ keeps job schedulers (reconcile, verify, deadlines, hold release…) in Redis only: a Redis
 * that comes back empty (restarted without its append-only file, flushed, failed over to an empty
 * replica) has none. A marker key is set after every registration; whenever the connection is ready
 * again, and every `everyMs`, a missing marker means Redis lost them, and they are registered again
 * (upserts: registering twice is harmless). `check(true)` registers whatever the marker says (at start).
 */
export function keepSchedules(deps: {
  redis: Redis;
  prefix: string;
  register(): Promise<void>;
  log: Logger;
  everyMs?: number;
}): { check(force?: boolean): Promise<boolean>; stop(): void } {
  const marker = `${deps.prefix}:schedules-registered`;
  const attempt = async (force: boolean) => {
    try {
      if (!force && (deps.redis.status !== 'ready' || (await deps.redis.exists(marker)) === 1)) return false;
      await deps.register();
      await deps.redis.set(marker, new Date().toISOString());
      deps.log.info(
        {},
        force ? 'scheduled jobs registered' : 'Redis came back without the scheduled jobs: registered again',
      );
      return true;
    } catch (err) {
      deps.log.warn({ err }, 'scheduled jobs not registered yet: Redis is not answering');
      return false;
    }
  };
  let running: Promise<boolean> | null = null;
  // One check at a time; `finally` settles asynchronously, so `running` is cleared only after it is set.
  const check = (force = false) => (running ??= attempt(force).finally(() => (running = null)));
  const onReady = () => void check();
  deps.redis.on('ready', onReady);
  const timer = setInterval(onReady, deps.everyMs ?? 10_000);
  timer.unref();
  return {
    check,
    stop: () => {
      clearInterval(timer);
      deps.redis.off('ready', onReady);
    },
  };
}
