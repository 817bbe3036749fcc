/** JSON values that may be stored; `undefined` is not one of them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A value already written as JSON text, e.g. on another thread (the backfill's page worker): the ledger
 * takes the text as it is instead of encoding the value again. A fact's detail given so must be
 * canonicalJson's text, as the chain keeps details canonical; keyedFingerprint digests the text it is
 * given, so canonicalJson's text of a value digests as the value itself.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * JSON with object keys sorted at every depth: the same value always encodes to the same text.
 * Built by appending to one string (no array per level): it encodes every fact's detail and every
 * keyed digest of a backfill.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]!);
    return `${out}]`;
  }
  let out = '{';
  for (const k of Object.keys(value).sort()) {
    const v = value[k];
    if (v === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}
