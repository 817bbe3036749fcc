import { formatTable, passes, ratioOf, toReport, type Figure } from './bench-format.js';

const machine = { cpus: { model: 'Test CPU', count: 2 }, memoryGiB: 24, node: 'v20.0.0', platform: 'linux-x64' };

describe('bench report format', () => {
  it('computes ratio as value ÷ baseline, null without a baseline', () => {
    expect(ratioOf(35_000, 50_000)).toBe(0.7);
    expect(ratioOf(2, 3)).toBe(0.667);
    expect(ratioOf(10, null)).toBeNull();
    expect(ratioOf(10, 0)).toBeNull();
  });

  it('checks min, max and minRatio targets', () => {
    const f = (value: number, baseline: number | null, target: Figure['target']): Figure => ({ key: 'k', value, unit: 'u', baseline, target });
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
      { key: 'verify_per_s', value: 160_000, unit: 'entries/s', baseline: 200_000, target: { min: 150_000, minRatio: 0.8 } },
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
    const table = formatTable(toReport('ledger', machine, [{ key: 'a_per_s', value: 1_000, unit: 'entries/s', baseline: 4_000, target: { min: 2_000 } }], ['a note']));
    expect(table).toMatch(/a_per_s\s+1,000\s+entries\/s\s+4,000\s+0\.25\s+≥ 2,000\s+FAIL/);
    expect(table).toContain('- a note');
  });
});
