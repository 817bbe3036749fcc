import { storedSubjectRef } from '../ledger/index.js';
import { migrate } from '../platform/db/migrate.js';
import type { HarnessFactory, LedgerHarness } from '../testing/ledger-harness.js';
import { dsrMigrations } from './dsr.migrations.js';
import { deadlineFlag } from './dsr-rules.js';
import { DsrStore, type DsrRow } from './dsr-store.js';
import type { PlanItem } from './erasure-plan.js';

const [S, T] = [storedSubjectRef('5'.repeat(64)), storedSubjectRef('7'.repeat(64))];

/** One contract, run against every database: dsr-store.sqlite.int.test.ts and dsr-store.postgres.int.test.ts. */
export function dsrStoreContract(open: HarnessFactory) {
  let h: LedgerHarness;
  let store: DsrStore;
  beforeEach(async () => {
    h = await open();
    await migrate(h.db, dsrMigrations);
    store = new DsrStore(h.db);
  });
  afterEach(() => h.close());

  const ID = '5ff46a64-b09f-4675-96c9-35baafed911d';
  const row = (over: Partial<DsrRow> = {}): DsrRow => ({
    id: ID,
    kind: 'erasure',
    status: 'received',
    subject: S,
    emailSealed: Buffer.from([0, 1, 2, 255]),
    termsSealed: null,
    correctionsSealed: Buffer.from('c'),
    masterKeyId: 'm1',
    wpRequestId: 42,
    identityMethod: 'wordpress-email-confirmation',
    locale: 'sq',
    source: 'plugin',
    receivedAt: '2026-11-01T10:00:00.000Z',
    dueAt: '2026-12-01T10:00:00.000Z',
    extendedAt: null,
    extensionReason: null,
    completedAt: null,
    reason: null,
    flag: null,
    stuckStep: null,
    stuckReason: null,
    pass: 1,
    connector: null,
    version: 0,
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...over,
  });
  const item = (i: Partial<PlanItem> & { item: string }): PlanItem =>
    ({
      resource: 'order',
      resourceId: 12,
      action: 'anonymise',
      fields: ['billing.email'],
      hold: null,
      until: null,
      fingerprints: { 'billing.email': 'f1' },
      ...i,
    }) as PlanItem;

  it('inserts a request once and reads it back with its sealed values as Buffers and numbers as numbers', async () => {
    expect(await store.insert(row())).toBe(true);
    expect(await store.insert(row({ status: 'refused' }))).toBe(false);
    const got = (await store.get(ID))!;
    expect(got).toEqual(row());
    expect(Buffer.isBuffer(got.emailSealed)).toBe(true);
    expect(await store.get('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('updates optimistically: only at the current version, bumping it; list filters by status and subject', async () => {
    await store.insert(row());
    await store.insert(
      row({
        id: '11111111-1111-4111-8111-111111111111',
        kind: 'access',
        subject: T,
        receivedAt: '2026-11-02T10:00:00.000Z',
      }),
    );
    expect(
      await store.update(
        ID,
        0,
        { status: 'verified', stuckStep: 'collect', stuckReason: 'RETRIES_EXHAUSTED', termsSealed: Buffer.from('t') },
        '2026-11-01T11:00:00.000Z',
      ),
    ).toBe(true);
    expect(await store.update(ID, 0, { status: 'refused' }, '2026-11-01T12:00:00.000Z')).toBe(false);
    expect(await store.update(ID, 1, { stuckStep: null, stuckReason: null }, '2026-11-01T12:00:00.000Z')).toBe(true);
    expect(await store.get(ID)).toMatchObject({
      status: 'verified',
      version: 2,
      stuckStep: null,
      stuckReason: null,
      termsSealed: Buffer.from('t'),
      updatedAt: '2026-11-01T12:00:00.000Z',
    });
    expect((await store.list()).map((r) => r.kind)).toEqual(['erasure', 'access']);
    expect((await store.list({ statuses: ['verified'] })).map((r) => r.id)).toEqual([ID]);
    expect((await store.list({ subject: T })).map((r) => r.kind)).toEqual(['access']);
  });

  it('keeps plan items once per request, marks them done, releases them once, and finds retained ones whose hold ended', async () => {
    await store.putItems(ID, 1, [
      item({ item: 'order-12/anonymise' }),
      item({
        item: 'order-12/retain/accounting',
        action: 'retain',
        hold: 'accounting',
        until: '2031-12-31T23:00:00.000Z',
      }),
      item({
        item: 'booking-5012',
        resource: 'booking',
        resourceId: 5012,
        action: 'retain',
        hold: 'session',
        until: '2026-11-10T10:00:00.000Z',
        fields: [],
        fingerprints: {},
      }),
    ]);
    await store.putItems(ID, 1, [item({ item: 'order-12/anonymise', action: 'erase' })]);
    await store.markItems(
      ID,
      [{ item: 'order-12/anonymise', result: { outcome: 'done', unchangeable: ['customer_ip_address'] } }],
      '2026-11-01T11:00:00.000Z',
    );
    const items = await store.items(ID);
    expect(items.map((i) => [i.item, i.action, i.resourceId])).toEqual([
      ['booking-5012', 'retain', 5012],
      ['order-12/anonymise', 'anonymise', 12],
      ['order-12/retain/accounting', 'retain', 12],
    ]);
    expect(items[1]).toMatchObject({
      pass: 1,
      fields: ['billing.email'],
      fingerprints: { 'billing.email': 'f1' },
      doneAt: '2026-11-01T11:00:00.000Z',
      result: { outcome: 'done', unchangeable: ['customer_ip_address'] },
      releasedPass: null,
    });
    expect((await store.retainedDue('2026-11-11T00:00:00.000Z')).map((i) => i.item)).toEqual(['booking-5012']);
    await store.releaseItems(ID, ['booking-5012'], 2);
    await store.releaseItems(ID, ['booking-5012'], 3);
    expect((await store.items(ID)).find((i) => i.item === 'booking-5012')!.releasedPass).toBe(2);
    expect(await store.retainedDue('2026-11-11T00:00:00.000Z')).toEqual([]);
    expect(await store.items(ID, 2)).toEqual([]);
    await store.reopenItems(ID, ['order-12/anonymise']); // a re-check round erases it again
    expect((await store.items(ID)).find((i) => i.item === 'order-12/anonymise')).toMatchObject({
      doneAt: null,
      result: null,
    });
  });

  it("counts open requests' deadlines in SQL as deadlineFlag does, and lists the most urgent first", async () => {
    const now = new Date('2026-12-02T10:00:00.000Z');
    const day = 86_400_000;
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    // due: 3 days late, exactly now, 7 days (the edge of due soon), 7 days + 1 ms, 30 days; one late but completed.
    const dues = [-3 * day, 0, 7 * day, 7 * day + 1, 30 * day];
    for (const [i, ms] of dues.entries())
      await store.insert(
        row({ id: `00000000-0000-4000-8000-00000000000${i}`, dueAt: at(ms), status: i % 2 ? 'verified' : 'received' }),
      );
    await store.insert(row({ id: '00000000-0000-4000-8000-000000000009', dueAt: at(-9 * day), status: 'completed' }));
    const open = ['received', 'verified', 'in_progress', 'needs_attention'] as const;
    const d = await store.deadlines(open, now, 7, 2);
    const flags = dues.map((ms) => deadlineFlag(new Date(now.getTime() + ms), now, 7));
    expect(d).toMatchObject({
      open: 5,
      overdue: flags.filter((f) => f === 'overdue').length,
      dueSoon: flags.filter((f) => f === 'due-soon').length,
    });
    expect([d.overdue, d.dueSoon]).toEqual([1, 2]);
    expect(d.urgent.map((r) => r.dueAt)).toEqual([at(-3 * day), at(0)]);
    expect((await store.deadlines(open, now, 7, 10)).urgent).toHaveLength(3);
    expect(await store.countByStatus()).toEqual(
      new Map([
        ['received', 3],
        ['verified', 2],
        ['completed', 1],
      ]),
    );
  });

  it('keeps export files and receipts: expiry, deletion once, one receipt per pass', async () => {
    const e = {
      id: 'exp-1',
      requestId: ID,
      subject: S,
      file: 'exp-1.zip.sealed',
      keySealed: Buffer.from([9, 8, 7]),
      masterKeyId: 'm1',
      bytes: 1234,
      createdAt: '2026-11-01T10:00:00.000Z',
      expiresAt: '2026-11-04T10:00:00.000Z',
      deletedAt: null,
    };
    await store.putExport(e);
    await store.putExport({ ...e, bytes: 1 });
    expect(await store.getExport('exp-1')).toEqual(e);
    expect(await store.liveExports({ expiredBy: '2026-11-03T10:00:00.000Z' })).toEqual([]);
    await store.setExportExpiry('exp-1', '2026-11-02T10:00:00.000Z');
    expect((await store.liveExports({ expiredBy: '2026-11-03T10:00:00.000Z', subject: S })).map((x) => x.id)).toEqual([
      'exp-1',
    ]);
    await store.markExportDeleted('exp-1', '2026-11-03T10:00:00.000Z');
    await store.markExportDeleted('exp-1', '2026-11-04T10:00:00.000Z');
    expect((await store.getExport('exp-1'))!.deletedAt).toBe('2026-11-03T10:00:00.000Z');
    expect(await store.liveExports({})).toEqual([]);

    await store.putReceipt(ID, 1, 'body-1', 'h1', '2026-11-01T12:00:00.000Z');
    await store.putReceipt(ID, 1, 'other', 'h9', '2026-11-01T13:00:00.000Z');
    await store.putReceipt(ID, 2, 'body-2', 'h2', '2026-11-11T12:00:00.000Z');
    expect(await store.receipts(ID)).toEqual([
      { pass: 1, body: 'body-1', hash: 'h1', createdAt: '2026-11-01T12:00:00.000Z' },
      { pass: 2, body: 'body-2', hash: 'h2', createdAt: '2026-11-11T12:00:00.000Z' },
    ]);
  });
}
