import { randomBytes, randomUUID } from 'node:crypto';
import { sendSigned, type Key } from './support/signed.js';
import { startWordPress, type WordPress } from './support/wordpress.js';

/**
 * The plugin on a WordPress whose site language is Albanian, as a shop in Albania runs it: WordPress's own
 * Albanian (`sq`, from Debian's wordpress-l10n) installed and chosen under Settings → General. WordPress has no
 * `sq_AL`: a catalogue named for it would never load, and switching to it fails.
 */
jest.setTimeout(180_000);

const KEY: Key = { id: 'site-sq', secret: randomBytes(24).toString('hex') };
const REST = '/wp-json/privacy-bridge/v1';
let wp: WordPress;

/** wp-admin as the site's administrator: a real login through wp-login.php, then its cookies. */
async function adminPage(path: string): Promise<string> {
  const login = await fetch(`${wp.url}/wp-login.php`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: 'wordpress_test_cookie=WP%20Cookie%20check',
    },
    body: new URLSearchParams({
      log: 'admin',
      pwd: 'admin-password',
      testcookie: '1',
      redirect_to: `${wp.url}/wp-admin/`,
    }),
  });
  expect(login.status).toBe(302);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const page = await fetch(`${wp.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  expect(page.status).toBe(200);
  return page.text();
}

beforeAll(async () => {
  wp = await startWordPress();
  await wp.eval(
    `update_option('privacy_bridge_settings', array('service_url' => 'http://127.0.0.1:9', 'key_id' => '${KEY.id}', 'secret' => '${KEY.secret}'), false); update_option('WPLANG', 'sq'); return true;`,
  );
});
afterAll(() => wp?.stop());

describe('the plugin on a WordPress in Albanian (site language sq)', () => {
  it('runs in sq, a language WordPress has; sq_AL is none', async () => {
    const site = await wp.eval<{ locale: string; languages: string[]; ours: string; core: string }>(
      `return array('locale' => get_locale(), 'languages' => get_available_languages(), 'ours' => __('Consent log', 'privacy-bridge'), 'core' => __('Dashboard'));`,
    );
    expect(site).toEqual({
      locale: 'sq',
      languages: expect.arrayContaining(['sq']),
      ours: 'Regjistri i pëlqimeve',
      core: 'Pulti',
    });
    expect(site.languages).not.toContain('sq_AL');
  });

  it('shows the wp-admin console in Albanian: its menu, headings and WordPress around them', async () => {
    const html = await adminPage('/wp-admin/admin.php?page=privacy-bridge');
    expect(html).toMatch(/<html[^>]*\slang="sq"/);
    for (const text of ['Përmbledhje', 'Kërkesat', 'Regjistri i pëlqimeve', 'Cilësimet', 'Regjistri'])
      expect(html).toContain(text);
    expect(html).toContain('Pulti'); // WordPress's own menu, in its own Albanian
    expect(html).not.toMatch(/>(Overview|Consent log|Ledger)</);
  });

  it('mails a person about their request in Albanian, and on an English site switches to sq for the mail and back', async () => {
    const ready = async (email: string) => {
      const wpRequestId = await wp.eval<number>(`return wp_create_user_request('${email}', 'export_personal_data');`);
      const r = await sendSigned(
        wp.url,
        `${REST}/dsr/export-ready`,
        {
          requestId: randomUUID(),
          wpRequestId,
          email,
          url: 'https://privacy.example.al/v1/exports/x?sig=y',
          expiresAt: '2026-12-31T10:00:00.000Z',
          locale: 'sq',
        },
        KEY,
      );
      expect(r.status).toBe(200);
      return wp.mails().find((m) => m.to === email)!;
    };
    expect((await ready('drita.sq@example.al')).subject).toContain('Eksporti i të dhënave tuaja personale është gati');

    await wp.eval(`update_option('WPLANG', ''); return true;`);
    try {
      expect((await ready('arben.en-site@example.al')).message).toContain(
        'Shkarkojeni këtu: https://privacy.example.al/v1/exports/x?sig=y',
      );
      const switched = await wp.eval<{ sq: boolean; inSq: string[]; after: string[]; sqAl: boolean }>(`
        $sq = switch_to_locale('sq'); $in = array(__('Consent log', 'privacy-bridge'), __('Dashboard'), determine_locale()); restore_previous_locale();
        return array('sq' => $sq, 'inSq' => $in, 'after' => array(__('Consent log', 'privacy-bridge'), determine_locale()), 'sqAl' => switch_to_locale('sq_AL'));`);
      expect(switched).toEqual({
        sq: true,
        inSq: ['Regjistri i pëlqimeve', 'Pulti', 'sq'],
        after: ['Consent log', 'en_US'],
        sqAl: false,
      });
    } finally {
      await wp.eval(`update_option('WPLANG', 'sq'); return true;`);
    }
  });
});
