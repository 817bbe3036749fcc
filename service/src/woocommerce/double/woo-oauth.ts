/**
 * The OAuth 1.0a signature base string exactly as WooCommerce builds it to check a request over plain
 * http (`WC_REST_Authentication::check_oauth_signature()`, WooCommerce 9.9), from the parameters as
 * PHP hands them over. Pure: no clock, no keys, no I/O.
 *
 * What differs from a textbook RFC 5849 check, and matters:
 * - parameters are what PHP's `$_GET` / `$_POST` hold: already url-decoded ("+" is a space), the LAST
 *   of a repeated name wins, `a[0]=x` / `a[]=x` / `a[k]=x` build (nested) arrays, and "." or " " in a
 *   name become "_";
 * - names are sorted with `strcmp` before they are encoded; arrays stay in the order PHP built them;
 * - each name and leaf value goes through `wc_rest_urlencode_rfc3986()` (rawurlencode, "%7E" → "~"),
 *   then each `name=value` (nested names as `a%5Bk%5D`) through it again, joined with "%26".
 */

/** A PHP request variable: a string, or an ordered array (PHP arrays keep insertion order). */
export type PhpValue = string | PhpArray;
export type PhpArray = Map<string, PhpValue>;

/** PHP's `urldecode()`: "+" is a space, `%XX` a byte; a malformed escape stays as it is. */
export function phpUrldecode(s: string): string {
  const bytes: number[] = [];
  const src = Buffer.from(s.replace(/\+/g, ' '), 'utf8');
  for (let i = 0; i < src.length; i++) {
    const hex = src[i] === 0x25 && i + 2 < src.length ? src.toString('latin1', i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(src[i]!);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** PHP's `rawurldecode()`: like urldecode, but "+" stays a plus. */
export const phpRawurldecode = (s: string) => phpUrldecode(s.replace(/\+/g, '%2B'));

/** `wc_rest_urlencode_rfc3986()` on a string: PHP's rawurlencode (unreserved: A-Z a-z 0-9 - _ . ~). */
export const wcUrlencode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** One `name=value` pair into PHP's request array, as `php_register_variable_ex()` does. */
export function phpRegister(target: PhpArray, rawName: string, value: string): void {
  const open = rawName.indexOf('[');
  let base = open < 0 ? rawName : rawName.slice(0, open);
  const segments: string[] = [];
  if (open >= 0) {
    const rest = rawName.slice(open);
    const m = rest.match(/^(\[[^\]]*\])+/);
    if (m) for (const seg of m[0].match(/\[[^\]]*\]/g)!) segments.push(seg.slice(1, -1));
    else base = rawName.replace('[', '_'); // an unmatched "[" in the name becomes "_"
  }
  base = base.replace(/^ +/, '').replace(/[ .]/g, '_');
  if (base === '') return;
  let node = target;
  let key = base;
  for (const seg of segments) {
    let child = node.get(key);
    if (!(child instanceof Map)) {
      child = new Map();
      node.set(key, child);
    }
    node = child;
    key = seg === '' ? String(nextIndex(node)) : seg;
  }
  node.set(key, value);
}

const nextIndex = (a: PhpArray) =>
  [...a.keys()].reduce((n, k) => (/^(0|[1-9]\d*)$/.test(k) ? Math.max(n, Number(k) + 1) : n), 0);

/** A raw query string (or form body) as PHP's `$_GET` (`$_POST`). */
export function phpParseStr(raw: string, into: PhpArray = new Map()): PhpArray {
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    phpRegister(into, phpUrldecode(eq < 0 ? pair : pair.slice(0, eq)), phpUrldecode(eq < 0 ? '' : pair.slice(eq + 1)));
  }
  return into;
}

const strcmp = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function joinWithEqualsSign(params: PhpArray, out: string[] = [], prefix = ''): string[] {
  for (const [k, v] of params) {
    const name = prefix ? `${prefix}%5B${k}%5D` : k;
    if (v instanceof Map) joinWithEqualsSign(v, out, name);
    else out.push(wcUrlencode(`${name}=${v}`));
  }
  return out;
}

const encodeLeaves = (v: PhpValue): PhpValue =>
  v instanceof Map ? new Map([...v].map(([k, x]) => [k, encodeLeaves(x)])) : wcUrlencode(v);

/**
 * The string WooCommerce signs: `METHOD&rawurlencode(home + path)&params`, from the request's
 * parameters (query, form body and Authorization header merged in that order, `oauth_signature` left out).
 */
export function wooSignatureBase(method: string, url: string, params: PhpArray): string {
  const sorted = [...params].filter(([k]) => k !== 'oauth_signature').sort(([a], [b]) => strcmp(a, b));
  const normalised: PhpArray = new Map(sorted.map(([k, v]) => [wcUrlencode(k), encodeLeaves(v)]));
  return `${method.toUpperCase()}&${wcUrlencode(url)}&${joinWithEqualsSign(normalised).join('%26')}`;
}

/** The signature as WooCommerce reads it back: spaces (a "+" PHP decoded) restored, then rawurldecoded. */
export const providedSignature = (raw: string) => phpRawurldecode(raw.replace(/ /g, '+'));
