/** One item's outcome in a batch: the same shape `Promise.allSettled` gives. */
export type Settled<O> = PromiseSettledResult<O>;

type Waiter<I, O> = { item: I; resolve(value: O): void; reject(reason: unknown): void };

/**
 * Group commit: calls that arrive close together share one `flush` of all their items, and each
 * caller's promise settles with its own item's outcome once the batch it joined has run. A batch
 * closes at the end of the current event-loop turn, and calls made while a flush runs wait for the
 * next one, so batches grow with the load and an idle caller waits for nothing but its own flush.
 *
 * `flush` answers one outcome per item, in order (a failure of one item must not fail the others);
 * if it throws instead, every item of that batch is rejected with the error.
 */
export class Batcher<I, O> {
  #pending: Waiter<I, O>[] = [];
  #busy = false;

  constructor(
    private readonly flush: (items: readonly I[]) => Promise<readonly Settled<O>[]>,
    private readonly maxItems = 500,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#pending.length === 1 && !this.#busy) setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.maxItems);
        await this.#run(batch);
      }
    } finally {
      this.#busy = false;
    }
  }

  async #run(batch: readonly Waiter<I, O>[]): Promise<void> {
    let outcomes: readonly Settled<O>[];
    try {
      outcomes = await this.flush(batch.map((w) => w.item));
      if (outcomes.length !== batch.length)
        throw new Error(`Batcher: flush answered ${outcomes.length} outcomes for ${batch.length} items`);
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i]!;
      if (outcome.status === 'fulfilled') w.resolve(outcome.value);
      else w.reject(outcome.reason);
    });
  }
}

/** Runs `work` for each item alone, in order: the fallback when a batch failed as a whole. */
export async function oneByOne<I, O>(items: readonly I[], work: (item: I) => Promise<O>): Promise<Settled<O>[]> {
  const outcomes: Settled<O>[] = [];
  for (const item of items) {
    outcomes.push(
      await work(item).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      ),
    );
  }
  return outcomes;
}
