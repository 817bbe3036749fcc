import type { Logger } from './log/logger.js';
import type { PeriodicTask } from './module.js';

/** Starts each task on its own timer (a round never overlaps the previous one); returns a stop that awaits running rounds. */
export function startTasks(tasks: readonly PeriodicTask[], log: Logger): () => Promise<void> {
  const running = new Set<Promise<unknown>>();
  const timers = tasks.map((task) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const round = task
        .run()
        .catch((err) => log.warn({ err, task: task.name }, 'periodic task failed; next round retries'))
        .finally(() => {
          busy = false;
          running.delete(round);
        });
      running.add(round);
    }, task.everyMs);
    timer.unref();
    return timer;
  });
  return async () => {
    for (const t of timers) clearInterval(t);
    await Promise.allSettled([...running]);
  };
}
