import { Batcher, oneByOne } from './batcher.js';

describe('Batcher (group commit)', () => {
  it('gives calls made in one event-loop turn one flush, each caller its own outcome', async () => {
    const flushes: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      flushes.push([...items]);
      return items.map((n) =>
        n === 3
          ? { status: 'rejected' as const, reason: new Error('three') }
          : { status: 'fulfilled' as const, value: n * 10 },
      );
    });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.add(n)));
    expect(flushes).toEqual([[1, 2, 3, 4]]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      10,
      20,
      'three',
      40,
    ]);
  });

  it('queues calls made while a flush runs for the next flush, and caps a batch', async () => {
    const flushes: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new Batcher<number, number>(async (items) => {
      flushes.push([...items]);
      if (flushes.length === 1) await gate;
      return items.map((value) => ({ status: 'fulfilled' as const, value }));
    }, 2);
    const first = batcher.add(1);
    await new Promise((r) => setImmediate(r));
    const later = [2, 3, 4].map((n) => batcher.add(n));
    release();
    await Promise.all([first, ...later]);
    expect(flushes).toEqual([[1], [2, 3], [4]]);
  });

  it('rejects every item of a batch whose flush throws, and keeps working', async () => {
    let fail = true;
    const batcher = new Batcher<number, number>(async (items) => {
      if (fail) throw new Error('store down');
      return items.map((value) => ({ status: 'fulfilled' as const, value }));
    });
    await expect(Promise.all([batcher.add(1), batcher.add(2)])).rejects.toThrow('store down');
    fail = false;
    await expect(batcher.add(3)).resolves.toBe(3);
  });

  it('oneByOne settles each item alone, in order', async () => {
    const order: number[] = [];
    const out = await oneByOne([1, 2, 3], async (n) => {
      order.push(n);
      if (n === 2) throw new Error('two');
      return n;
    });
    expect(order).toEqual([1, 2, 3]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
