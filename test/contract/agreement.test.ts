import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { SIGNED_HEADERS, SignedHeaders } from '../../shared/src/contracts/signed-transport.js';
import { CONTRACTS, toWordPressSchema } from '../../scripts/export-contracts.js';

/**
 * Every fixture in shared/fixtures/{valid,invalid}/<contract>/ gets the same verdict from zod and from
 * WordPress's rest_validate_value_from_schema() over the generated schema in wp-plugin/contracts/.
 * Picks up new contracts and fixtures by themselves; the transport headers are checked here too.
 */
const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'shared/fixtures');

type Case = { name: string; zod: z.ZodType; schema: unknown; value: unknown; expected: boolean };

function fixtureCases(): Case[] {
  const cases: Case[] = [];
  for (const verdict of ['valid', 'invalid'] as const) {
    const base = path.join(FIXTURES, verdict);
    if (!fs.existsSync(base)) continue;
    for (const contract of fs.readdirSync(base)) {
      const zod = CONTRACTS[contract];
      const schemaFile = path.join(ROOT, 'wp-plugin/contracts', `${contract}.json`);
      if (!zod) throw new Error(`fixtures for ${contract}, which scripts/export-contracts.ts does not list`);
      const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
      for (const file of fs.readdirSync(path.join(base, contract)).filter((f) => f.endsWith('.json'))) {
        cases.push({
          name: `${verdict}/${contract}/${file}`,
          zod,
          schema,
          value: JSON.parse(fs.readFileSync(path.join(base, contract, file), 'utf8')),
          expected: verdict === 'valid',
        });
      }
    }
  }
  return cases;
}

const good = {
  [SIGNED_HEADERS.keyId]: 'site-1',
  [SIGNED_HEADERS.timestamp]: '1800000000',
  [SIGNED_HEADERS.messageId]: '0123456789abcdef0123456789abcdef',
  [SIGNED_HEADERS.signature]: 'S9qGM3dpYJ7Xal2bDUkoTgIr9ET7SdC/YK5G8HX2G8A=',
};
const headerCases: Case[] = [
  ['valid/signed-headers/good', good, true],
  [
    'valid/signed-headers/dotted-key-and-id',
    { ...good, [SIGNED_HEADERS.keyId]: 'k.2026-11_a', [SIGNED_HEADERS.messageId]: 'a.b_c-d.e' },
    true,
  ],
  ['invalid/signed-headers/no-signature', { ...good, [SIGNED_HEADERS.signature]: undefined }, false],
  ['invalid/signed-headers/short-message-id', { ...good, [SIGNED_HEADERS.messageId]: 'short' }, false],
  ['invalid/signed-headers/key-id-with-colon', { ...good, [SIGNED_HEADERS.keyId]: 'site:1' }, false],
  ['invalid/signed-headers/timestamp-not-digits', { ...good, [SIGNED_HEADERS.timestamp]: '1.8e9' }, false],
  ['invalid/signed-headers/hex-signature', { ...good, [SIGNED_HEADERS.signature]: 'ab'.repeat(32) }, false],
].map(([name, value, expected]) => ({
  name: name as string,
  zod: SignedHeaders,
  schema: toWordPressSchema('signed-headers', SignedHeaders),
  value: JSON.parse(JSON.stringify(value)),
  expected: expected as boolean,
}));

const cases = [...fixtureCases(), ...headerCases];
let wordpress: (true | string)[] = [];

beforeAll(() => {
  const input = JSON.stringify(cases.map(({ schema, value }) => ({ schema, value })));
  wordpress = JSON.parse(execFileSync('php', [path.join(__dirname, 'wp-validate.php')], { input }).toString());
});

describe('contracts: zod and WordPress give every fixture the same verdict', () => {
  it('has fixtures to compare, both valid and invalid', () => {
    expect(cases.filter((c) => c.expected).length).toBeGreaterThan(2);
    expect(cases.filter((c) => !c.expected).length).toBeGreaterThan(2);
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = cases[i]!;
    const zodVerdict = c.zod.safeParse(c.value).success;
    const wpVerdict = wordpress[i] === true;
    expect({ zod: zodVerdict, wordpress: wpVerdict === true ? true : wordpress[i] }).toEqual({
      zod: c.expected,
      wordpress: c.expected ? true : expect.any(String),
    });
  });
});
