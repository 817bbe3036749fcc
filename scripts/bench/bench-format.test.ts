import { formatSummary, formatTable, passes, ratioOf, resultsFileName, toReport, type Figure } from './bench-format.js';

const machine = { cpus: { model: 'Test CPU', count: 2 }, memoryGiB: 24, node: 'v20.0.0', platform: 'linux-x64' };

describe('bench report format', () => {
  it('computes ratio as value ÷ baseline, null without a baseline', () => {
    expect(ratioOf(35_000, 50_000)).toBe(0.7);
    expect(ratioOf(2, 3)).toBe(0.667);
    expect(ratioOf(10, null)).toBeNull();
    expect(ratioOf(10, 0)).toBeNull();
  });

  it('checks min, max and minRatio targets', () => {
    const f = (value: number, baseline: number | null, target: Figure['target']): Figure => ({
      key: 'k',
      value,
      unit: 'u',
      baseline,
      target,
    });
    expect(passes(f(60_000, 80_000, { min: 50_000, minRatio: 0.7 }))).toBe(true);
    expect(passes(f(60_000, 100_000, { min: 50_000, minRatio: 0.7 }))).toBe(false);
    expect(passes(f(40_000, 40_000, { min: 50_000 }))).toBe(false);
    expect(passes(f(199.9, null, { max: 200 }))).toBe(true);
    expect(passes(f(200, null, { max: 200 }))).toBe(false);
    expect(passes(f(1, null, { minRatio: 0.5 }))).toBe(false);
    expect(passes(f(1, null, undefined))).toBe(true);
  });

  it('builds the one JSON object: name, machine, figures keyed by name, targets with pass', () => {
    const report = toReport('ledger', machine, [
      {
        key: 'verify_per_s',
        value: 160_000,
        unit: 'entries/s',
        baseline: 200_000,
        target: { min: 150_000, minRatio: 0.8 },
      },
      { key: 'verify_1m_max_rss_mb', value: 90.5, unit: 'MB', baseline: null, target: { max: 200 } },
      { key: 'untargeted', value: 1, unit: 'x', baseline: null },
    ]);
    expect(JSON.parse(JSON.stringify(report))).toEqual({
      name: 'ledger',
      machine,
      figures: {
        verify_per_s: { value: 160_000, unit: 'entries/s', baseline: 200_000, ratio: 0.8 },
        verify_1m_max_rss_mb: { value: 90.5, unit: 'MB', baseline: null, ratio: null },
        untargeted: { value: 1, unit: 'x', baseline: null, ratio: null },
      },
      targets: {
        verify_per_s: { min: 150_000, minRatio: 0.8, pass: true },
        verify_1m_max_rss_mb: { max: 200, pass: true },
      },
      notes: [],
    });
  });

  it('prints one table row per figure with pass/FAIL', () => {
    const table = formatTable(
      toReport(
        'ledger',
        machine,
        [{ key: 'a_per_s', value: 1_000, unit: 'entries/s', baseline: 4_000, target: { min: 2_000 } }],
        ['a note'],
      ),
    );
    expect(table).toMatch(/a_per_s\s+1,000\s+entries\/s\s+4,000\s+0\.25\s+≥ 2,000\s+FAIL/);
    expect(table).toContain('- a note');
  });
});

describe('the summary of a run of every benchmark', () => {
  it('has one row per figure with baseline, ratio, target and whether it was met, and names what did not finish', () => {
    const a = toReport('ledger', machine, [
      {
        key: 'verify_per_s',
        value: 160_000,
        unit: 'entries/s',
        baseline: 200_000,
        target: { min: 150_000, minRatio: 0.8 },
      },
      { key: 'append_per_s', value: 100, unit: 'entries/s', baseline: null, target: { min: 1_000 } },
    ]);
    const b = toReport('sync', machine, [{ key: 'webhook_lost', value: 0, unit: 'deliveries', baseline: null }]);
    const text = formatSummary({
      startedAt: '2026-12-02T06:00:00.000Z',
      scale: 0.05,
      machine,
      reports: [a, b],
      failed: [{ name: 'dsr', error: 'boom' }],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'summary of 3 benchmarks, started 2026-12-02T06:00:00.000Z, BENCH_SCALE=0.05: 1 of 2 targets met, 1 did not finish',
    );
    expect(lines[2]).toMatch(/^benchmark\s+figure\s+value\s+baseline\s+ratio\s+target\s+met$/);
    expect(lines.find((l) => l.includes('verify_per_s'))).toMatch(
      /ledger\s+verify_per_s\s+160,000 entries\/s\s+200,000\s+0\.80\s+≥ 150,000, ratio ≥ 0\.8\s+yes/,
    );
    expect(lines.find((l) => l.includes('append_per_s'))).toMatch(/\s+NO$/);
    expect(lines.find((l) => l.includes('webhook_lost'))).toMatch(/—\s+—$/);
    expect(lines.at(-1)).toMatch(/^dsr\s+\(did not finish\).*NO: boom$/);
    expect(resultsFileName('2026-12-02T06:00:00.000Z')).toBe('bench-2026-12-02T06-00-00-000Z.json');
  });
});
