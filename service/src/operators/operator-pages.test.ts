import { OPERATOR_CATALOGUES } from './operator-messages.js';
import { requestPage, statusPage } from './operator-pages.js';
import type { StatusData } from './status.js';

const session = { tokenId: 't1', operator: 'ops-drita', role: 'viewer', csrf: 'c'.repeat(32) } as const;
const base: StatusData = {
  at: '2026-12-02T10:00:00.000Z',
  queues: [],
  requests: { open: 0, dueSoon: 0, overdue: 0, attention: [] },
  ledger: { seq: 7, verified: true, verifiedAt: '2026-12-02T09:00:00.000Z' },
  sync: { reconciledAt: null, lagSeconds: null },
  webhooks: {
    checkedAt: '2026-12-02T09:58:00.000Z',
    everySeconds: 120,
    topics: [
      { topic: 'order.created', state: 'active', reactivated: false },
      { topic: 'order.updated', state: 'active', reactivated: true },
      { topic: 'order.deleted', state: 'disabled', reactivated: false },
      { topic: 'customer.deleted', state: 'missing', reactivated: false },
    ],
  },
  deliveries: { configured: true, waiting: 4, active: 1, delayed: 2, dead: { refused: 1, retriesExhausted: 3 } },
  pluginOutbox: null,
  alerts: [],
};
const text = (page: string) =>
  page
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('the status page', () => {
  it("shows each webhook topic's state, and which the check re-activated, in both languages", () => {
    const en = statusPage(OPERATOR_CATALOGUES.en, base, session, null);
    expect(text(en)).toContain('WooCommerce webhooks Last checked: 2 December 2026, 10:58 (every 120 s).');
    expect(en).toMatch(/<code>order\.deleted<\/code><\/th><td class="bad" data-state="disabled">disabled</);
    expect(en).toMatch(/<code>customer\.deleted<\/code><\/th><td class="bad" data-state="missing">missing</);
    expect(text(en)).toContain('order.updated active (WooCommerce had disabled it; the check re-activated it)');
    const sq = statusPage(OPERATOR_CATALOGUES.sq, base, session, null);
    expect(text(sq)).toContain('Webhook-et e WooCommerce Kontrolli i fundit: 2 dhjetor 2026, 10:58 (çdo 120 s).');
    expect(text(sq)).toContain('order.deleted i çaktivizuar');
    expect(text(sq)).toContain('customer.deleted mungon');
  });

  it('says when there is no store, or no check yet', () => {
    expect(text(statusPage(OPERATOR_CATALOGUES.en, { ...base, webhooks: null }, session, null))).toContain(
      'No store is configured: there are no webhooks to watch.',
    );
    const early = { ...base, webhooks: { checkedAt: null, everySeconds: 120, topics: [] } };
    expect(text(statusPage(OPERATOR_CATALOGUES.sq, early, session, null))).toContain(
      'Ende pa u kontrolluar (kontrollohen çdo 120 s).',
    );
  });

  it("shows deliveries to WordPress pending and dead, and the plugin's outbox from its heartbeat (or that none came yet)", () => {
    const en = text(statusPage(OPERATOR_CATALOGUES.en, base, session, null));
    expect(en).toContain('Deliveries to WordPress 4 waiting · 1 sending · 2 waiting to retry after a failure');
    expect(en).toContain('4 gave up (1 refused · 3 out of retries)');
    expect(en).toContain('privacy-bridge delivery list');
    expect(en).toContain("The plugin's outbox in WordPress No heartbeat from the plugin yet");
    const reported = {
      ...base,
      pluginOutbox: {
        pending: 2,
        refused: 0,
        oldestAgeSeconds: 1200,
        receivedAt: '2026-12-02T09:40:00.000Z',
        stale: true,
      },
    };
    expect(text(statusPage(OPERATOR_CATALOGUES.en, reported, session, null))).toContain(
      '2 messages waiting (the oldest for 1200 s) · 0 refused by the service Reported by the plugin at 2 December 2026, 10:40 — more than 15 minutes ago: is WP-Cron running on the site?',
    );
    expect(text(statusPage(OPERATOR_CATALOGUES.sq, reported, session, null))).toContain(
      '2 mesazhe në pritje (më i vjetri prej 1200 s)',
    );
    const sq = text(statusPage(OPERATOR_CATALOGUES.sq, base, session, null));
    expect(sq).toContain('Dërgesat drejt WordPress 4 në pritje · 1 duke u dërguar · 2 në pritje të riprovës');
    expect(sq).toContain('4 të dështuara përfundimisht (1 të refuzuara · 3 pa riprovime të mbetura)');
    expect(sq).toContain('Ende asnjë sinjal jete nga shtojca');
    const none = {
      ...base,
      deliveries: {
        ...base.deliveries,
        configured: false,
        waiting: 0,
        active: 0,
        delayed: 0,
        dead: { refused: 0, retriesExhausted: 0 },
      },
    };
    expect(text(statusPage(OPERATOR_CATALOGUES.en, none, session, null))).toContain(
      'No WordPress site is configured (WORDPRESS_URL): nothing is pushed.',
    );
  });

  it('links each urgent request to its timeline page', () => {
    const attention = [
      { id: 'r-1', kind: 'erasure', status: 'received', dueAt: '2026-12-01T10:00:00.000Z', flag: 'overdue' as const },
    ];
    const page = statusPage(
      OPERATOR_CATALOGUES.sq,
      { ...base, requests: { open: 1, dueSoon: 0, overdue: 1, attention } },
      session,
      null,
    );
    expect(page).toContain('<a href="/admin/requests/r-1?lang=sq"><code>r-1</code></a>');
  });

  it("a request's timeline names who acted at each step: the WordPress user by id, the operator by handle", () => {
    const view = {
      id: 'r-2',
      kind: 'erasure',
      status: 'in_progress',
      receivedAt: '2026-12-01T10:00:00.000Z',
      dueAt: '2027-01-01T10:00:00.000Z',
      flag: null,
      completedAt: null,
      stuck: null,
      steps: [
        { kind: 'dsr.received', at: '2026-12-01T10:00:00.000Z', to: null, actor: 'plugin/shop-1/wp-user:3' },
        { kind: 'dsr.status', at: '2026-12-01T10:00:01.000Z', to: 'verified', actor: 'plugin/shop-1/wp-user:3' },
        { kind: 'dsr.deadline-extended', at: '2026-12-02T10:00:00.000Z', to: null, actor: 'admin/ops-drita' },
        { kind: 'dsr.plan-erasure', at: '2026-12-01T10:00:02.000Z', to: null, actor: null },
      ],
    };
    const sq = text(requestPage(OPERATOR_CATALOGUES.sq, view, session));
    expect(sq).toContain('Kush veproi');
    expect(sq).toMatch(/dsr\.received plugin\/shop-1\/wp-user:3/);
    expect(sq).toMatch(/dsr\.status verified plugin\/shop-1\/wp-user:3/);
    expect(text(requestPage(OPERATOR_CATALOGUES.en, view, session))).toMatch(
      /Who acted.*dsr\.deadline-extended admin\/ops-drita/,
    );
  });

  it('lists at most the urgent requests it was given, and counts the rest', () => {
    const attention = [
      { id: 'r-1', kind: 'erasure', status: 'received', dueAt: '2026-12-01T10:00:00.000Z', flag: 'overdue' as const },
    ];
    const many = { ...base, requests: { open: 900, dueSoon: 300, overdue: 200, attention } };
    expect(text(statusPage(OPERATOR_CATALOGUES.en, many, session, null))).toContain(
      '… and 499 more overdue or due soon ("privacy-bridge dsr list --overdue").',
    );
  });
});

const status = (alerts: StatusData['alerts']): StatusData => ({ ...base, alerts });

describe('the status page: alerts', () => {
  it('lists the alerts firing, in Albanian and in English, each with its subject, since, last sent and delivery', () => {
    const firing: StatusData['alerts'] = [
      {
        alert: 'dsr_deadline',
        subject: '7f0c6a1e-0000-4000-8000-000000000001',
        severity: 'critical',
        since: '2026-12-02T13:05:00.000Z',
        lastSentAt: null,
        state: 'failed',
        title: { sq: 'Kërkesa <x> — afati ka kaluar', en: 'Request <x> — overdue' },
      },
    ];
    const sq = statusPage(OPERATOR_CATALOGUES.sq, status(firing), session, null);
    expect(sq).toContain('<h2>Alarmet aktive</h2>');
    expect(sq).toContain('<code>7f0c6a1e-0000-4000-8000-000000000001</code>');
    expect(sq).toContain('kritik');
    expect(sq).toContain('2 dhjetor 2026, 14:05');
    expect(sq).toContain('dështoi, do të riprovohet');
    expect(sq).toContain('Kërkesa &lt;x&gt; — afati ka kaluar');
    const en = statusPage(OPERATOR_CATALOGUES.en, status(firing), session, null);
    expect(en).toContain('<h2>Alerts firing</h2>');
    expect(en).toContain('failed, will retry');
    expect(en).toContain('Request &lt;x&gt; — overdue');
    expect(en).not.toContain('<x>');
  });

  it('says when none fire', () => {
    expect(statusPage(OPERATOR_CATALOGUES.sq, status([]), session, null)).toContain('Asnjë alarm aktiv.');
    expect(statusPage(OPERATOR_CATALOGUES.en, status([]), session, null)).toContain('No alerts firing.');
  });
});
