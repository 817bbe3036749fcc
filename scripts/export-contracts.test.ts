import fs from 'node:fs';
import path from 'node:path';
import { CONTRACTS, CONTRACTS_DIR, renderContracts } from './export-contracts.js';

const FIXTURES = path.join(__dirname, '..', 'shared', 'fixtures');
const fixtures = (verdict: 'valid' | 'invalid') =>
  Object.keys(CONTRACTS).flatMap((contract) => {
    const dir = path.join(FIXTURES, verdict, contract);
    return fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => [contract, f] as const)
      : [];
  });

describe('the contracts the plugin validates with', () => {
  it('are committed exactly as the zod schemas render them (run `npm run contracts` after a change)', () => {
    for (const [file, text] of renderContracts()) {
      const committed = path.join(CONTRACTS_DIR, file);
      expect(fs.existsSync(committed) ? fs.readFileSync(committed, 'utf8') : `(missing ${file})`).toBe(text);
    }
  });

  it('keep only keywords WordPress validates, with required: true on required top-level properties', () => {
    // anyOf: WordPress validates it since 5.6 (rest_find_any_matching_schema); nullable fields need it.
    const allowed = new Set([
      '$schema',
      'title',
      'type',
      'enum',
      'format',
      'minLength',
      'maxLength',
      'pattern',
      'minimum',
      'maximum',
      'properties',
      'items',
      'required',
      'minItems',
      'maxItems',
      'description',
      'anyOf',
    ]);
    const walk = (node: unknown, inProperties = false): void => {
      if (!node || typeof node !== 'object' || Array.isArray(node)) return;
      for (const [key, value] of Object.entries(node)) {
        if (!inProperties) expect(allowed).toContain(key);
        walk(value, !inProperties && key === 'properties');
        if (key === 'items') walk(value);
        if (key === 'anyOf' && Array.isArray(value)) for (const branch of value) walk(branch);
      }
    };
    for (const [, text] of renderContracts()) {
      const schema = JSON.parse(text);
      walk(schema);
      for (const name of schema.required ?? []) expect(schema.properties[name].required).toBe(true);
    }
  });

  it('has valid and invalid fixtures for the inbound contracts', () => {
    for (const contract of ['record-consent', 'suppression-check', 'issue-unsubscribe-link', 'consent-state-push']) {
      expect(fixtures('valid').some(([c]) => c === contract)).toBe(true);
      expect(fixtures('invalid').some(([c]) => c === contract)).toBe(true);
    }
  });

  it.each(fixtures('valid'))('%s accepts %s', (contract, file) => {
    expect(
      CONTRACTS[contract]!.safeParse(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'valid', contract, file), 'utf8')))
        .success,
    ).toBe(true);
  });

  it.each(fixtures('invalid'))('%s refuses %s', (contract, file) => {
    expect(
      CONTRACTS[contract]!.safeParse(
        JSON.parse(fs.readFileSync(path.join(FIXTURES, 'invalid', contract, file), 'utf8')),
      ).success,
    ).toBe(false);
  });
});
