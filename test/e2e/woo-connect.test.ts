import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createLogger } from '../../service/src/platform/log/logger.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import { tempDir } from '../../service/src/testing/databases.js';
import { WooClient } from '../../service/src/woocommerce/index.js';
import { cli, serveDouble } from '../support/processes.js';

const PUBLIC_URL = 'https://privacy.example.al';
const DELIVERY_URL = `${PUBLIC_URL}/webhooks/woocommerce`;
type Webhook = { id: number; topic: string; status: string; delivery_url: string };

describe('privacy-bridge woo connect / woo status against the double', () => {
  it('creates one webhook per topic, repairs without duplicates, re-activates a disabled one, and status shows them', async () => {
    const double = await serveDouble({ orders: 20 });
    const data = tempDir();
    try {
      const env = {
        ...double.env,
        DATA_DIR: data.dir,
        DATABASE_URL: `sqlite:${data.dir}/ledger.sqlite`,
        DEMO_STORE: 'off',
        PUBLIC_URL,
      };
      const woo = new WooClient(
        {
          url: double.env.WOOCOMMERCE_URL!,
          consumerKey: sensitive(double.env.WOOCOMMERCE_CONSUMER_KEY!),
          consumerSecret: sensitive(double.env.WOOCOMMERCE_CONSUMER_SECRET!),
        },
        createLogger({ level: 'silent' }),
      );
      const webhooks = async () => {
        const all: Webhook[] = [];
        for await (const page of woo.pages<Webhook>('webhooks', { status: 'all' })) all.push(...page);
        return all;
      };

      const first = await cli(['woo', 'connect'], env);
      expect(first.code).toBe(0);
      expect(first.stdout.match(/^created /gm)).toHaveLength(7);
      const created = await webhooks();
      expect(created).toHaveLength(7);
      expect(new Set(created.map((w) => w.topic)).size).toBe(7);
      expect(created.every((w) => w.status === 'active' && w.delivery_url === DELIVERY_URL)).toBe(true);

      const second = await cli(['woo', 'connect'], env);
      expect(second.code).toBe(0);
      expect(second.stdout.match(/^repaired /gm)).toHaveLength(7);
      expect((await webhooks()).map((w) => w.id).sort()).toEqual(created.map((w) => w.id).sort());

      // WooCommerce disables a webhook after repeated failed deliveries; connect turns it back on.
      const updated = created.find((w) => w.topic === 'order.updated')!;
      await woo.put(`webhooks/${updated.id}`, { status: 'disabled' });
      const third = await cli(['woo', 'connect'], env);
      expect(third.code).toBe(0);
      expect(third.stdout).toMatch(new RegExp(`^reactivated #${updated.id} order\\.updated`, 'm'));
      expect(third.stdout.match(/^repaired /gm)).toHaveLength(6);
      const after = await webhooks();
      expect(after).toHaveLength(7);
      expect(after.every((w) => w.status === 'active')).toBe(true);

      // The reconciliation watermark, as the sync worker leaves it.
      const db = new BetterSqlite3(path.join(data.dir, 'ledger.sqlite'));
      db.prepare('INSERT INTO sync_cursors (name, value, updated_at) VALUES (?, ?, ?)').run(
        'reconcile:orders',
        JSON.stringify({ cursor: '2026-11-24T10:00:00', page: 1 }),
        new Date().toISOString(),
      );
      db.close();
      const status = await cli(['woo', 'status'], env);
      expect(status.code).toBe(0);
      for (const w of after)
        expect(status.stdout).toMatch(
          new RegExp(`^webhook +#${w.id} ${w.topic.replace('.', '\\.')} +active +ours +${DELIVERY_URL}$`, 'm'),
        );
      expect(status.stdout).not.toMatch(/^missing/m);
      // Behind is measured from the store's last change, not from now: the watermark is past every change here.
      expect(status.stdout).toMatch(
        /^watermark +2026-11-24T10:00:00 \(0 min behind\); the store's last change 20\d\d-/m,
      );
      const json = JSON.parse((await cli(['woo', 'status', '--json'], env)).stdout) as {
        webhooks: unknown[];
        watermark: string;
        storeLastChange: string;
      };
      const [newest] = await woo.get<{ date_modified_gmt: string }[]>('orders', {
        orderby: 'modified',
        order: 'desc',
        per_page: 1,
        status: 'any,trash',
      });
      expect(json).toMatchObject({
        watermark: '2026-11-24T10:00:00',
        storeLastChange: newest!.date_modified_gmt,
        behindSeconds: 0,
      });
      const older = new BetterSqlite3(path.join(data.dir, 'ledger.sqlite'));
      const hourBefore = new Date(Date.parse(`${newest!.date_modified_gmt}Z`) - 3_600_000).toISOString().slice(0, 19);
      older
        .prepare('UPDATE sync_cursors SET value = ? WHERE name = ?')
        .run(JSON.stringify({ cursor: hourBefore, page: 1 }), 'reconcile:orders');
      older.close();
      expect(JSON.parse((await cli(['woo', 'status', '--json'], env)).stdout)).toMatchObject({ behindSeconds: 3600 });
      expect(json.webhooks).toHaveLength(7);
    } finally {
      double.stop();
      data.remove();
    }
  }, 120_000);

  it('with a wrong consumer secret: exits non-zero with the WOO_AUTH_FAILED message and no stack trace', async () => {
    const double = await serveDouble({ orders: 20 });
    const data = tempDir();
    try {
      const env = {
        ...double.env,
        WOOCOMMERCE_CONSUMER_SECRET: 'cs_wrong000000000000000000000000000000000001',
        DATA_DIR: data.dir,
        DATABASE_URL: `sqlite:${data.dir}/ledger.sqlite`,
        DEMO_STORE: 'off',
        PUBLIC_URL,
      };
      for (const command of [
        ['woo', 'connect'],
        ['woo', 'status'],
      ]) {
        const run = await cli(command, env);
        expect(run.code).not.toBe(0);
        expect(run.stderr).toContain(
          'WooCommerce refused the API key (check the consumer key, secret and permissions).',
        );
        expect(run.stderr).not.toMatch(/^\s+at /m);
        expect(run.stdout + run.stderr).not.toContain('cs_wrong');
      }
    } finally {
      double.stop();
      data.remove();
    }
  }, 120_000);
});
