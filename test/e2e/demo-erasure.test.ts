import { randomBytes } from 'node:crypto';
import { tempDir } from '../../service/src/testing/databases.js';
import { createWooDouble, seedDemoStore } from '../../service/src/woocommerce/double/index.js';
import { cli, startService } from '../support/processes.js';

/**
 * A newcomer's first erasure, on the embedded defaults (the built-in demo store, no WordPress configured): it
 * goes through the demo's plugin and ends with a receipt. Over REST alone (DSR_VIA_PLUGIN=false) it cannot
 * finish — REST cannot erase an order's IP, user agent or booking item meta — and `dsr show` says exactly
 * which fields and what to do.
 */
type Shown = {
  status: string;
  estimate: { connector: string; orders: number };
  items: { erase: number; anonymise: number; retain: number };
  receipts: unknown[];
  history: { kind: string; residue?: number }[];
  links: { receipts: { url: string }[] };
  unchangeable?: { fields: Record<string, number>; todo: string };
};

// The demo store is seeded the same way every time: its customer with the most orders.
const seeded = createWooDouble();
seedDemoStore(seeded.store, { customers: 20, orders: 60 });
const counts = new Map<string, number>();
for (const o of seeded.store.orders.values()) counts.set(o.billing.email!, (counts.get(o.billing.email!) ?? 0) + 1);
const [email, orders] = [...counts].sort((a, b) => b[1] - a[1])[0]!;

async function eraseOnDemo(env: NodeJS.ProcessEnv) {
  const tmp = tempDir();
  const service = await startService({
    DATA_DIR: tmp.dir,
    QUEUE_PREFIX: `pbt${randomBytes(3).toString('hex')}`,
    ...env,
  });
  try {
    const created = await cli(['admin', 'token', 'create', '--operator', 'ops-arben'], { DATA_DIR: tmp.dir });
    const token = /pbat_[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0] ?? '';
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const made = await fetch(`${service.url}/v1/requests`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kind: 'erasure', email, identity: { verified: true, method: 'document-checked' } }),
    });
    expect(made.status).toBe(202);
    const { id } = (await made.json()) as { id: string };
    let status = 'received';
    for (let i = 0; i < 300 && ['received', 'verified', 'in_progress'].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = ((await (await fetch(`${service.url}/v1/requests/${id}`, { headers: auth })).json()) as Shown).status;
    }
    const show = await cli(['dsr', 'show', id], { DATA_DIR: tmp.dir });
    expect(show.code).toBe(0);
    expect(show.stdout).not.toContain(email);
    const view = JSON.parse(show.stdout) as Shown;
    const receipt = view.links.receipts[0]
      ? await fetch(view.links.receipts[0].url.replace(/^https?:\/\/[^/]+/, service.url))
      : null;
    return { id, view, receiptStatus: receipt?.status ?? null };
  } finally {
    await service.stop();
    tmp.remove();
  }
}

describe('an erasure on the built-in demo store', () => {
  it("goes through the demo's plugin and ends with a receipt: every order erased or anonymised, only what the law keeps retained", async () => {
    expect(orders).toBeGreaterThan(1);
    const { view, receiptStatus } = await eraseOnDemo({});
    // Not needs_attention: what the policy keeps (the invoices, by law) is all that is left.
    expect(view.status).toBe('partially_completed');
    expect(view.estimate).toMatchObject({ connector: 'plugin', orders });
    expect(view.items).toEqual({ erase: orders, anonymise: orders, retain: orders });
    expect(view.history.find((h) => h.kind === 'dsr.check-residue')).toMatchObject({ residue: 0 });
    expect(view.receipts).toHaveLength(1);
    expect(receiptStatus).toBe(200);
    expect(view.unchangeable).toBeUndefined();
  });

  it('over REST alone, ends in needs_attention and names each field REST could not change and what to do', async () => {
    const { id, view } = await eraseOnDemo({ DSR_VIA_PLUGIN: 'false' });
    expect(view.status).toBe('needs_attention');
    expect(view.estimate.connector).toBe('woocommerce-rest');
    expect(view.unchangeable?.fields).toMatchObject({ customer_ip_address: orders, customer_user_agent: orders });
    expect(Object.keys(view.unchangeable!.fields).some((f) => f.startsWith('line_items[*].meta_data['))).toBe(true);
    expect(view.unchangeable!.todo).toContain('Privacy Bridge plugin');
    expect(view.unchangeable!.todo).toContain(`privacy-bridge dsr retry ${id}`);
  });
});
