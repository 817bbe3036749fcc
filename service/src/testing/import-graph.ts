import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One relative import of a file (type-only ones too): the file it names, resolved to `.ts`, relative to the root. */
export type ImportEdge = { readonly from: string; readonly to: string };

/** Production files under `root` (relative, `/`-separated): no tests, no shared test suites, nothing in testing/. */
export function productionFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (rel !== 'testing') walk(rel);
      } else if (
        rel.endsWith('.ts') &&
        !rel.endsWith('.test.ts') &&
        !rel.endsWith('.contract.ts') &&
        !rel.endsWith('.d.ts')
      ) {
        out.push(rel);
      }
    }
  };
  walk('');
  return out.sort();
}

/** Every relative import, re-export and dynamic import() of `file`; imports leaving `root` (shared/, packages) are not edges. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(path.join(root, file), 'utf8'),
    ts.ScriptTarget.ES2022,
    false,
  );
  const edges: ImportEdge[] = [];
  const add = (specifier: string) => {
    if (!specifier.startsWith('.')) return;
    const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
    if (!to.startsWith('../')) edges.push({ from: file, to });
  };
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** A set of files that reach each other through imports (a strongly connected component), and one shortest cycle among them, first file repeated at the end. */
export type Tangle = { readonly files: readonly string[]; readonly cycle: readonly string[] };

/** Every tangle of the graph (Tarjan's strongly connected components, each with a shortest cycle through its first file). */
export function tanglesOf(nodes: readonly string[], edges: readonly ImportEdge[]): Tangle[] {
  const next = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!next.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const n of nodes) if (!index.has(n)) connect(n);
  return components.map((component) => {
    const files = component.sort();
    return { files, cycle: shortestCycle(files[0]!, new Set(files), next) };
  });
}

function shortestCycle(start: string, within: Set<string>, next: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of next.get(v) ?? []) {
      if (!within.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at = v; at !== start; at = parent.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
