import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { hostileBody, hostileHeaders, hostileParam, hostileQuery, mutated } from './hostile.js';
import type { RouteInput } from './route-inputs.js';
import type { Outgoing, ServiceUnderTest } from './service-under-test.js';

export const WEBHOOK_SECRET = 'w'.repeat(40);

export type Generated = { request: Outgoing; authenticated: boolean; describe: string };

const TRICKS = [
  'none',
  'none',
  'none',
  'double-slash',
  'trailing-slash',
  'dot-segment',
  'upper-case',
  'semicolon',
] as const;

function trick(path: string, t: (typeof TRICKS)[number]): string {
  if (t === 'double-slash') return path.replace(/^\/v1\//, '//v1//');
  if (t === 'trailing-slash') return `${path}/`;
  if (t === 'dot-segment') return path.replace(/^\/v1\//, '/v1/./x/../');
  if (t === 'upper-case') return path.toUpperCase();
  if (t === 'semicolon') return `${path};jsessionid=1`;
  return path;
}

/** Hostile requests for one route: hostile path parameters, query, headers and body, sent signed (or with a valid token) or not. */
export function hostileRequests(
  s: ServiceUnderTest,
  method: string,
  pattern: string,
  input: RouteInput,
): fc.Arbitrary<() => Generated> {
  const names = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const params = fc.record(
    Object.fromEntries(names.map((n) => [n, hostileParam(input.params?.[n] ?? null)])) as Record<
      string,
      fc.Arbitrary<string>
    >,
  );
  return fc
    .record({
      params,
      query: hostileQuery,
      headers: hostileHeaders,
      body: hostileBody(input.sample ? mutated(input.sample) : null),
      trick: fc.constantFrom(...TRICKS),
      authenticate: fc.boolean(),
      viaAdmin: fc.boolean(),
    })
    .map((g) => () => {
      const path =
        trick(
          pattern.replace(/:(\w+)/g, (_, n: string) => g.params[n]!),
          g.trick,
        ) + g.query;
      const headers: Record<string, string> = { ...g.headers };
      if (g.body.contentType) headers['content-type'] = g.body.contentType;
      let request: Outgoing = { method, path, headers, ...(g.body.bytes ? { body: g.body.bytes } : {}) };
      const auth = input.auth === 'signed-or-admin' ? (g.viaAdmin ? 'admin' : 'signed') : input.auth;
      if (g.authenticate && auth === 'signed') {
        delete headers.authorization;
        request = s.signed(request);
      } else if (g.authenticate && auth === 'admin') {
        headers.authorization = `Bearer ${s.admin.token}`;
      } else if (g.authenticate && auth === 'webhook') {
        headers['x-wc-webhook-signature'] = createHmac('sha256', WEBHOOK_SECRET)
          .update(g.body.bytes ?? Buffer.alloc(0))
          .digest('base64');
      }
      const bodyNote = g.body.bytes
        ? `${g.body.contentType ?? 'no type'}, ${g.body.bytes.length} bytes: ${g.body.bytes.subarray(0, 120).toString('utf8')}`
        : 'no body';
      return {
        request,
        authenticated: g.authenticate && auth !== 'none' && auth !== 'link',
        describe: `${method} ${path.slice(0, 200)} [${Object.keys(headers).join(',')}] ${bodyNote}`,
      };
    });
}
