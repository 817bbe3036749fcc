import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { CONTRACTS, toWordPressSchema } from '../../scripts/export-contracts.js';

/**
 * The DSR contracts (shared/src/contracts/dsr.ts) get the same verdict from zod and from WordPress's
 * rest_validate_value_from_schema() over the exported draft-04 schema — nullable fields (anyOf with
 * null) included, which WordPress only validates since the export keeps anyOf.
 */
const id = '3f2b8c1e-5d4a-4f6b-9c7d-2e1a0b9c8d7e';
const order = {
  id: 15,
  anonymise: ['billing.email', 'customer_note'],
  deleteMetaKeys: ['_booking_psychologist'],
  deleteItemMetaKeys: ['Data e seancës'],
  deleteNotes: true,
};
const erase = {
  requestId: id,
  pass: 1,
  orders: [order],
  deleteAccount: { customerId: 7 },
  deleteBookings: [3],
  reviewsByEmail: 'a@example.invalid',
};
const receipt = {
  requestId: id,
  wpRequestId: 4,
  email: 'a@example.invalid',
  pass: 1,
  url: 'https://privacy.example.invalid/r/1',
  certificate: 'ab'.repeat(32),
  locale: 'sq',
};
const request = {
  kind: 'erasure',
  email: 'a@example.invalid',
  wpRequestId: 4,
  identity: { verified: true, method: 'wordpress-email-confirmation' },
  locale: 'sq',
};

const cases: [string, string, unknown, boolean][] = [
  ['dsr-erase-command', 'full command', erase, true],
  ['dsr-erase-command', 'no account, no reviews (null)', { ...erase, deleteAccount: null, reviewsByEmail: null }, true],
  ['dsr-erase-command', 'deleteAccount missing', { ...erase, deleteAccount: undefined }, false],
  [
    'dsr-erase-command',
    'unknown field to anonymise',
    { ...erase, orders: [{ ...order, anonymise: ['billing.password'] }] },
    false,
  ],
  ['dsr-erase-command', 'account id 0', { ...erase, deleteAccount: { customerId: 0 } }, false],
  ['dsr-erase-command', 'account without its id', { ...erase, deleteAccount: {} }, false],
  ['dsr-erase-command', 'reviews by a non-address', { ...erase, reviewsByEmail: 'not-an-address' }, false],
  ['dsr-bulk-read-query', 'page 1 of 200', { requestId: id, email: 'a@example.invalid', page: 1, perPage: 200 }, true],
  ['dsr-bulk-read-query', 'page 0', { requestId: id, email: 'a@example.invalid', page: 0, perPage: 200 }, false],
  ['dsr-bulk-read-query', '501 per page', { requestId: id, email: 'a@example.invalid', page: 1, perPage: 501 }, false],
  [
    'dsr-export-ready',
    'link',
    {
      requestId: id,
      email: 'a@example.invalid',
      url: 'https://privacy.example.invalid/x',
      expiresAt: '2026-12-01T10:00:00.000Z',
      locale: 'en',
    },
    true,
  ],
  [
    'dsr-export-ready',
    'a WordPress locale instead of sq/en',
    {
      requestId: id,
      email: 'a@example.invalid',
      url: 'https://privacy.example.invalid/x',
      expiresAt: '2026-12-01T10:00:00.000Z',
      locale: 'sq_AL',
    },
    false,
  ],
  ['dsr-erasure-receipt', 'receipt', receipt, true],
  ['dsr-erasure-receipt', 'certificate not a sha-256 hex', { ...receipt, certificate: 'xyz' }, false],
  ['create-dsr-request', 'confirmed by WordPress', request, true],
  ['create-dsr-request', 'unknown kind', { ...request, kind: 'deletion' }, false],
  [
    'create-dsr-request',
    'identity method unknown',
    { ...request, identity: { verified: true, method: 'phone-call' } },
    false,
  ],
];

let wordpress: (true | string)[] = [];
beforeAll(() => {
  const input = JSON.stringify(
    cases.map(([name, , value]) => ({
      schema: toWordPressSchema(name, CONTRACTS[name]!),
      value: JSON.parse(JSON.stringify(value)),
    })),
  );
  wordpress = JSON.parse(execFileSync('php', [path.join(__dirname, 'wp-validate.php')], { input }).toString());
});

describe('DSR contracts: zod and WordPress agree', () => {
  it.each(cases.map(([name, what, , expected], i) => [`${name}: ${what}`, i, expected] as const))(
    '%s',
    (_n, i, expected) => {
      const [name, , value] = cases[i]!;
      expect({ zod: CONTRACTS[name]!.safeParse(value).success, wordpress: wordpress[i] === true }).toEqual({
        zod: expected,
        wordpress: expected,
      });
    },
  );
});
