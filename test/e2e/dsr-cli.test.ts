import { randomBytes } from 'node:crypto';
import { tempDir } from '../../service/src/testing/databases.js';
import { cli, startService } from '../support/processes.js';

/** `privacy-bridge dsr list | show | retry` against a running service (demo store, real Redis). */
describe('the dsr commands, on requests made through the running service', () => {
  let tmp: ReturnType<typeof tempDir>;
  let service: Awaited<ReturnType<typeof startService>>;
  let token: string;
  const EMAIL = 'drita.kola@example.invalid';
  beforeAll(async () => {
    tmp = tempDir();
    service = await startService({ DATA_DIR: tmp.dir, QUEUE_PREFIX: `pbt${randomBytes(3).toString('hex')}` });
    const created = await cli(['admin', 'token', 'create', '--operator', 'ops-drita'], { DATA_DIR: tmp.dir });
    token = /pbat_[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0] ?? '';
    expect(token).not.toBe('');
  });
  afterAll(async () => {
    await service.stop();
    tmp.remove();
  });

  const request = async (kind: string) => {
    const res = await fetch(`${service.url}/v1/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind,
        email: EMAIL,
        identity: { verified: true, method: 'document-checked' },
        locale: 'sq',
      }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  const settled = async (id: string) => {
    for (let i = 0; i < 150; i++) {
      const view = (await (
        await fetch(`${service.url}/v1/requests/${id}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { status: string };
      if (!['received', 'verified', 'in_progress'].includes(view.status)) return view.status;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`request ${id} did not settle`);
  };

  it('lists and shows a finished request without its e-mail, and refuses to retry it with a stable code', async () => {
    const id = await request('access');
    expect(await settled(id)).toBe('completed');

    const list = await cli(['dsr', 'list', '--all', '--json'], { DATA_DIR: tmp.dir });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, kind: 'access', status: 'completed' })]),
    );
    const overdue = await cli(['dsr', 'list', '--overdue'], { DATA_DIR: tmp.dir });
    expect(overdue.stdout.trim()).toBe('no overdue requests');
    const show = await cli(['dsr', 'show', id], { DATA_DIR: tmp.dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(id);
    // The export link the person was sent, for the operator who entered the request: it downloads the ZIP.
    const shown = JSON.parse(show.stdout) as {
      links: { export: { url: string; expiresAt: string } | null; receipts: unknown[] };
    };
    expect(shown.links.export).toEqual({
      url: expect.stringMatching(new RegExp(`/v1/exports/${id}\\?expires=.+&sig=`)),
      expiresAt: expect.any(String),
    });
    const zip = await fetch(shown.links.export!.url.replace(/^https?:\/\/[^/]+/, service.url));
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toContain('application/zip');

    const retry = await cli(['dsr', 'retry', id, '--operator', 'ops-drita'], { DATA_DIR: tmp.dir });
    expect(retry.code).not.toBe(0);
    expect(retry.stderr).toContain('DSR_NOTHING_TO_RETRY');
    for (const out of [list, overdue, show, retry]) expect(`${out.stdout}${out.stderr}`).not.toContain(EMAIL);
  });

  it('re-checks a finished erasure on retry: still one receipt, nothing new to erase', async () => {
    const id = await request('erasure');
    const status = await settled(id);
    expect(['completed', 'partially_completed']).toContain(status);
    const retry = await cli(['dsr', 'retry', id, '--operator', 'ops-drita'], { DATA_DIR: tmp.dir });
    expect({ code: retry.code, stderr: retry.stderr }).toMatchObject({ code: 0 });
    expect(await settled(id)).toBe(status);
    const show = await cli(['dsr', 'show', id], { DATA_DIR: tmp.dir });
    const view = JSON.parse(show.stdout) as {
      receipts: unknown[];
      links: { export: unknown; receipts: { pass: number; url: string }[] };
    };
    expect(view.receipts).toHaveLength(1);
    // The receipt link the person was sent opens the receipt page for the operator too.
    expect(view.links).toMatchObject({
      export: null,
      receipts: [{ pass: 1, url: expect.stringContaining(`/v1/requests/${id}/receipts/1?sig=`) }],
    });
    const page = await fetch(view.links.receipts[0]!.url.replace(/^https?:\/\/[^/]+/, service.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Erasure receipt');
  });
});
