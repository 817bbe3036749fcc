import { OPERATOR_CATALOGUES } from './operator-messages.js';
import { statusPage } from './operator-pages.js';
import type { StatusData } from './status.js';

const status = (alerts: StatusData['alerts']): StatusData => ({
  at: '2026-12-02T14:05:00.000Z',
  queues: [],
  requests: { open: 0, dueSoon: 0, overdue: 0, attention: [] },
  ledger: { seq: 3, verified: true, verifiedAt: '2026-12-02T14:00:00.000Z' },
  sync: { reconciledAt: null, lagSeconds: null },
  alerts,
});
const session = { tokenId: 't1', operator: 'ops-drita', role: 'viewer' as const, csrf: 'c'.repeat(32) };

describe('the status page', () => {
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
