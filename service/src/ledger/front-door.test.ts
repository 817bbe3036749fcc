import fs from 'node:fs';
import path from 'node:path';

/** The packages a module loads when it runs: every value import, followed through our own files. */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = fs.readFileSync(file, 'utf8');
    // `import type` and `export type` are erased by the compiler; every other import or re-export runs.
    for (const [, specifier] of source.matchAll(/^(?:import|export)(?! type\b)[^;]*?from '([^']+)'/gms)) {
      if (specifier!.startsWith('.')) visit(path.resolve(path.dirname(file), specifier!.replace(/\.js$/, '.ts')));
      else packages.add(specifier!);
    }
  };
  visit(entry);
  return packages;
}

describe('the ledger front door', () => {
  it('loads no database driver (stores are made by open-store.ts)', () => {
    const loaded = packagesLoadedBy(path.join(__dirname, 'index.ts'));
    expect(loaded.size).toBeGreaterThan(0); // node:crypto, zod: the walk did follow the imports
    expect([...loaded].filter((p) => p === 'better-sqlite3' || p === 'pg')).toEqual([]);
  });

  it('finds a driver behind several of our own files: open-store.ts reaches better-sqlite3 through the SQLite store', () => {
    expect([...packagesLoadedBy(path.join(__dirname, 'open-store.ts'))]).toContain('better-sqlite3');
  });
});
