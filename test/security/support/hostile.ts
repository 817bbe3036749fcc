import fc from 'fast-check';
import { CANARY } from './proof.js';

/**
 * Hostile input, generated: strings from Unicode's corners, path tricks, bad percent-encodings,
 * prototype keys, deep nesting, huge values, malformed JSON and bodies in the wrong encoding — and
 * the canary, so that any echo of input into a log or an error is caught.
 */
const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u202E',
  '\u200B',
  'İ',
  'ß',
  'ë'.repeat(300),
  '👩‍⚕️',
  'Ω≈ç√',
  '\r\n',
  '\\',
  '"',
  "'",
  '../../etc/passwd',
  '..%2f..%2f',
  '%2e%2e%2f',
  '%00',
  '%E0%A4%A',
  '%',
  '%%',
  '%ZZ',
  '%C0%AF',
  '%FF%FE',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9'.repeat(400),
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${7*7}',
  '{{7*7}}',
  CANARY.email,
  CANARY.phone,
  CANARY.name,
  `${CANARY.email}\u0000`,
  CANARY.email.toUpperCase(),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', '%', '.', '/', '@', '0', 'F'), maxLength: 24 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)) },
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(-0),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.constant([]),
  fc.constant({}),
);

/** JSON values with prototype keys among the ordinary ones, nested up to a few levels. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'email', 'subject'),
        fc.string({ maxLength: 8 }),
      ),
      tie('v'),
      { maxKeys: 4 },
    ),
  ),
})).v;

/** A JSON text that is not valid JSON, or is valid and hostile in shape (nesting far past any schema). */
const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    'NaN',
    '[1,2',
    '{"a":1}garbage',
    '\u0000',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    'true',
    '"string"',
    '123',
    '[]',
    'null',
  ),
  fc.integer({ min: 100, max: 5_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 100, max: 3_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc
    .jsonValue()
    .map((v) => JSON.stringify(v))
    .chain((t) => fc.integer({ min: 0, max: Math.max(0, t.length - 1) }).map((cut) => t.slice(0, cut))),
);

/** `sample` with one field removed, retyped or replaced by hostile values, or prototype keys added. */
export function mutated(sample: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(sample);
  return fc.oneof(
    fc.constant(sample),
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(sample).filter(([key]) => key !== k))),
    fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => ({ ...sample, [k]: v })),
    fc.tuple(fc.constantFrom(...keys), hostileString).map(([k, v]) => ({ ...sample, [k]: v })),
    hostileValue.map(
      (v) =>
        JSON.parse(
          `{"__proto__":${JSON.stringify(v) ?? 'null'},"constructor":{"prototype":{"polluted":1}},${JSON.stringify(sample).slice(1)}`,
        ) as unknown,
    ),
  );
}

export type Body = { contentType: string | null; bytes: Buffer | null };

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/*',
  '*/*; q=0.1',
  'json',
];

/** A request body as bytes and a content type: near-valid JSON, hostile JSON, malformed text, bad bytes, forms. */
export function hostileBody(near: fc.Arbitrary<unknown> | null): fc.Arbitrary<Body> {
  const json = (ct: fc.Arbitrary<string | null>) => (v: fc.Arbitrary<string>) =>
    fc.tuple(ct, v).map(([contentType, text]) => ({ contentType, bytes: Buffer.from(text, 'utf8') }));
  const jsonCt = fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  const parts: fc.WeightedArbitrary<Body>[] = [
    { weight: 1, arbitrary: fc.constant({ contentType: null, bytes: null }) },
    { weight: 3, arbitrary: json(jsonCt)(malformedJson) },
    { weight: 3, arbitrary: json(jsonCt)(hostileValue.map((v) => JSON.stringify(v) ?? 'null')) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({
        contentType: 'application/json',
        bytes: Buffer.concat([
          Buffer.from('{"email":"'),
          Buffer.from(b),
          Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
          Buffer.from('"}'),
        ]),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 4 }).map((d) => ({
        contentType: 'application/x-www-form-urlencoded',
        bytes: Buffer.from(new URLSearchParams(d as Record<string, string>).toString()),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(260, 300, 1_100)
        .map((kb) => ({ contentType: 'application/json', bytes: Buffer.from(`{"email":"${'a'.repeat(kb * 1024)}"}`) })),
    },
  ];
  if (near) parts.push({ weight: 6, arbitrary: json(jsonCt)(near.map((v) => JSON.stringify(v) ?? 'null')) });
  return fc.oneof(...parts);
}

/** Text made safe for the request line: everything outside visible ASCII percent-encoded byte by byte (lone surrogates too). */
export function pathSafe(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[^\x21-\x7e]|[#?]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A path parameter: near-valid, encoded hostile, or raw tricks (bad escapes and traversals left as they are). */
export function hostileParam(near: fc.Arbitrary<string> | null): fc.Arbitrary<string> {
  return fc.oneof(
    ...(near ? [{ weight: 3, arbitrary: near.map(encodeURIComponent) }] : []),
    { weight: 3, arbitrary: hostileString.map((s) => pathSafe(s.length > 3000 ? s.slice(0, 3000) : s)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%E0%A4%A',
        '%',
        '%ZZ',
        '..',
        '.',
        '%2e%2e',
        '..%2F..%2Fadmin',
        '%2F',
        'a%00b',
        '%C0%AE%C0%AE',
        ';x=1',
        'a/b',
        '%252e',
        encodeURIComponent(CANARY.email),
        CANARY.email,
      ),
    },
  );
}

/** A query string with repeated, nested and prototype keys (`sig[]=`, `__proto__[x]=`). */
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          'sig',
          'exp',
          'expires',
          'format',
          'email',
          'cursor',
          'overdue',
          '__proto__[x]',
          'constructor[prototype][x]',
          'sig[]',
          'a[b][c]',
          'limit',
        ),
        hostileString.map((s) => s.slice(0, 500)),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${pathSafe(v)}`).join('&')}`),
);

export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown'),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'image/png', 'x/'),
    'accept-language': fc.constantFrom('sq', 'en', 'xx', '*', ''),
    'x-pb-key-id': fc.constantFrom('proof-plugin', 'other', '', '../../'),
    'x-pb-timestamp': fc.constantFrom('0', '-1', '1e99', 'NaN', String(Math.floor(Date.now() / 1000))),
    'x-wc-webhook-signature': fc.constantFrom('', 'AAAA', '!!!', 'a'.repeat(300)),
    'x-wc-webhook-topic': fc.constantFrom('order.created', 'customer.deleted', 'action.woocommerce_x', '__proto__'),
    authorization: fc.constantFrom(
      'Bearer ',
      'Bearer pbat_x',
      `Bearer pbat_${'A'.repeat(43)}`,
      'Basic YTpi',
      'bearer pbat_',
      'Bearer  pbat_',
    ),
    'idempotency-key': fc.constantFrom('k', 'x'.repeat(5000), CANARY.email),
  },
  { requiredKeys: [] },
);
