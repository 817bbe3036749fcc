import fs from 'node:fs';
import path from 'node:path';

/** Every relative import (type-only ones too) between DSR's files, as a graph. */
function importGraph(root: string): Map<string, string[]> {
  const files = fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(root, f));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = [...fs.readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)]
      .map((m) => path.join(path.dirname(file), m[1]!).replace(/\.js$/, '.ts'))
      .filter((t) => files.includes(t));
    graph.set(file, targets);
  }
  return graph;
}

/** One import cycle, as the files along it, or null. */
function cycleIn(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...trail.slice(trail.indexOf(file)), file];
    state.set(file, 'open');
    trail.push(file);
    for (const next of graph.get(file) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    trail.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of graph.keys()) {
    const found = visit(file);
    if (found) return found;
  }
  return null;
}

describe("DSR's files", () => {
  it('import one another without a cycle, counting type-only imports', () => {
    const root = path.join(__dirname);
    expect(cycleIn(importGraph(root))?.map((f) => path.relative(root, f)) ?? null).toBeNull();
  });

  it('the check finds a cycle where there is one', () => {
    expect(
      cycleIn(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
  });
});
