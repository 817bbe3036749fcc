import { importsOf, productionFiles, tanglesOf, type ImportEdge } from './testing/import-graph.js';

/**
 * The shape of service/src, read from its production imports (not tests, shared test suites or testing/):
 * - the root files (cli.ts, compose.ts, config.ts, core.ts, start.ts, dev-keys.ts) wire the rooms; no room imports them;
 * - platform/ is the shared platform: anyone may import its files by path, and it imports no capability;
 * - every other folder is a capability, entered only through its index.ts (the root included; the root alone
 *   also opens the ledger's store through ledger/open-store.ts, so the ledger's index loads no database driver);
 *   woocommerce/double, the WooCommerce test double, is a room of its own with its own index.ts;
 * - no import cycle, type-only imports included.
 */
const ROOT = __dirname;
const files = productionFiles(ROOT);
const edges = files.flatMap((f) => importsOf(ROOT, f));

const isRoot = (file: string) => !file.includes('/');
/** The room a file belongs to: its first folder, or woocommerce/double. */
const roomOf = (file: string) => (file.startsWith('woocommerce/double/') ? 'woocommerce/double' : file.split('/')[0]!);
const render = (e: ImportEdge) => `${e.from} -> ${e.to}`;

/** Import cycles allowed by name: none (a last test fails on an entry no longer needed). */
const ALLOWED_TANGLES: string[][] = [];
/** The ledger's second door, which only the root enters: it opens the SQLite or PostgreSQL store (their drivers). */
const DRIVER_DOORS = ['ledger/open-store.ts'];

describe('the import graph of service/src', () => {
  it('is read from the production files', () => {
    expect(files).toEqual(expect.arrayContaining(['cli.ts', 'compose.ts', 'platform/module.ts', 'ledger/index.ts']));
    expect(files.some((f) => f.endsWith('.test.ts') || f.startsWith('testing/'))).toBe(false);
    expect(edges.every((e) => files.includes(e.to))).toBe(true);
  });

  it('finds a cycle where there is one', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, to });
    const found = tanglesOf(
      ['a', 'b', 'c', 'd'],
      [edge('d', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')],
    );
    expect(found).toEqual([{ files: ['a', 'b', 'c', 'd'], cycle: ['a', 'b', 'c', 'a'] }]);
    expect(tanglesOf(['a', 'b'], [edge('a', 'b')])).toEqual([]);
  });

  const tangles = tanglesOf(files, edges);
  const allowedTangle = (t: { files: readonly string[] }) => ALLOWED_TANGLES.some((a) => a.join() === t.files.join());

  it('has no cycle', () => {
    const cycles = tangles
      .filter((t) => !allowedTangle(t))
      .map((t) => `${t.cycle.join(' -> ')} (tangled: ${t.files.join(', ')})`);
    expect(cycles).toEqual([]);
  });

  it('enters every capability through its index.ts', () => {
    const reaching = edges.filter((e) => {
      const room = roomOf(e.to);
      if (isRoot(e.from) && DRIVER_DOORS.includes(e.to)) return false;
      return !isRoot(e.to) && room !== 'platform' && room !== roomOf(e.from) && e.to !== `${room}/index.ts`;
    });
    expect(reaching.map(render)).toEqual([]);
  });

  it('has no room importing the root, and a platform importing no capability', () => {
    const upward = edges.filter(
      (e) => !isRoot(e.from) && (isRoot(e.to) || (roomOf(e.from) === 'platform' && roomOf(e.to) !== 'platform')),
    );
    expect(upward.map(render)).toEqual([]);
  });

  it('gives every capability a front door', () => {
    const rooms = [...new Set(files.filter((f) => !isRoot(f)).map(roomOf))].filter((r) => r !== 'platform');
    expect(rooms.filter((r) => !files.includes(`${r}/index.ts`))).toEqual([]);
  });

  it('allows nothing that is no longer there', () => {
    expect(ALLOWED_TANGLES.filter((a) => !tangles.some((t) => a.join() === t.files.join()))).toEqual([]);
  });
});
