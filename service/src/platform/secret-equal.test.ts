import fs from 'node:fs';
import path from 'node:path';
import { secretEquals } from './secret-equal.js';

const ROOTS = ['service/src', 'shared/src'].map((r) => path.resolve(__dirname, '../../..', r));
const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'double' || e.name === 'testing' ? [] : sources(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });

/** A secret compared with `===`/`!==` leaks, by timing, how much of it a guess got right. */
const SECRET_COMPARISON =
  /\b\w*(?:sig|signature|Signature|token|Token|mac|Mac|secret|Secret)\w*(?:\([^()]*\))?\s*[!=]==(?!\s*(?:undefined|null|'|"|`|\d))|[!=]==\s*\w*(?:[sS]ignature|[mM]ac|[sS]ecret|[tT]oken)\w*\(/;

describe('secret comparisons', () => {
  it('compare equal and unequal values, of any length or type', () => {
    expect(secretEquals('abc', 'abc')).toBe(true);
    expect(secretEquals('abc', 'abd')).toBe(false);
    expect(secretEquals('abc', 'abcd')).toBe(false);
    expect(secretEquals(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(secretEquals('abc', ['abc'])).toBe(false);
    expect(secretEquals('abc', undefined)).toBe(false);
  });

  it('are never made with === or !== anywhere in the service (signatures, tokens, MACs, secrets)', () => {
    const offenders = ROOTS.flatMap(sources).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          SECRET_COMPARISON.test(line) && !/typeof |\.length\b|\.id\b|keyId/.test(line)
            ? [`${path.relative(process.cwd(), file)}:${i + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(offenders).toEqual([]);
  });
});
