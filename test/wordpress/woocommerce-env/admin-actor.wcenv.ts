import { cli } from '../../support/processes.js';
import { drainOutbox } from './customer.js';
import { stack, type Stack, type Svc } from './services.js';
import { wpEval } from './store.js';

/**
 * Issue 20 (5): a request started or decided in wp-admin reaches the service naming the WordPress user who
 * acted (by id, `wp-user:<ID>`) as the actor of its ledger entries, and `dsr show` says so; a request the
 * person made alone names no WordPress user. Driven inside the store's WordPress as its screens do it: the
 * admin adds the request on Tools → Erase Personal Data (wp_create_user_request in wp-admin) and presses
 * "Process in background", or the person follows the e-mailed link to a request an admin added.
 */
let s: Stack;
let svc: Svc;
let admin: number;

beforeAll(async () => {
  s = await stack('actor');
  svc = await s.start({ plugin: true });
  admin = await wpEval<number>(
    `$u = get_users(array('role' => 'administrator', 'number' => 1, 'fields' => 'ID')); return (int) $u[0];`,
  );
}, 300_000);
afterAll(() => s?.close());

const email = (tag: string) => `actor.${tag}.${Date.now().toString(36)}@example.com`;
/** PHP run as WordPress runs a wp-admin screen for `user` (0: nobody signed in, as the e-mailed link is followed). */
const asScreen = (user: number, php: string) =>
  wpEval<number>(`require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php'; require_once ABSPATH . 'wp-admin/includes/screen.php';
    wp_set_current_user(${user}); if (${user} > 0) { $GLOBALS['current_screen'] = WP_Screen::get('erase-personal-data'); }
    ${php}`);

/** The service's request for WordPress request `wpRequestId`, as `dsr show` prints it. */
async function shown(wpRequestId: number) {
  const env = { ...process.env, ...svc.env };
  for (let i = 0; i < 40; i++) {
    await drainOutbox();
    const ids = (JSON.parse((await cli(['dsr', 'list', '--all', '--json'], env)).stdout) as { id: string }[]).map(
      (r) => r.id,
    );
    for (const id of ids) {
      const view = JSON.parse((await cli(['dsr', 'show', id], env)).stdout) as {
        wpRequestId: number | null;
        history: { kind: string; at: string; to?: string; actor?: string }[];
      };
      // Times aside: who did what, in order.
      if (view.wpRequestId === wpRequestId) return { ...view, history: view.history.map(({ at: _at, ...h }) => h) };
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`the service never received WordPress request ${wpRequestId}`);
}

describe('the admin who acts in wp-admin is named in the service ledger', () => {
  it('"Process in background" on a request the admin added: every opening entry names wp-user:<ID>', async () => {
    const id = await asScreen(
      admin,
      `$id = wp_create_user_request('${email('added')}', 'remove_personal_data', array(), 'confirmed');
      PrivacyBridge\\Plugin::instance()->requests()->forward($id, 'admin'); return $id;`,
    );
    const view = await shown(id);
    const who = `plugin/${s.key.id}/wp-user:${admin}`;
    expect(view.history.slice(0, 3)).toEqual([
      { kind: 'dsr.received', actor: who },
      { kind: 'dsr.status', to: 'verified', actor: who },
      { kind: 'dsr.status', to: 'in_progress', actor: who },
    ]);
  });

  it('the person confirming a request an admin added: the admin who started it is named', async () => {
    const id = await asScreen(
      admin,
      `return wp_create_user_request('${email('confirmed')}', 'export_personal_data', array(), 'pending');`,
    );
    await asScreen(0, `do_action('user_request_action_confirmed', ${id}); return ${id};`);
    const view = await shown(id);
    expect(view.history[0]).toEqual({ kind: 'dsr.received', actor: `plugin/${s.key.id}/wp-user:${admin}` });
  });

  it("a request the person made alone (not in wp-admin) names no WordPress user: the plugin's key only", async () => {
    const id = await asScreen(0, `return wp_create_user_request('${email('alone')}', 'export_personal_data');`);
    await asScreen(0, `do_action('user_request_action_confirmed', ${id}); return ${id};`);
    const view = await shown(id);
    expect(view.history[0]).toEqual({ kind: 'dsr.received', actor: `plugin/${s.key.id}` });
    expect(JSON.stringify(view)).not.toMatch(/@example\.com/);
  });
});
