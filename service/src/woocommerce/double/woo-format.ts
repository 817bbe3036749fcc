import { createHash, createHmac } from 'node:crypto';

/**
 * Byte-exact formatting rules of WordPress/WooCommerce output, as recorded in the fixtures:
 * `wp_json_encode()` escapes "/" and every non-ASCII character (`\u00eb`), dates come in pairs
 * (`date_x` site-local without offset, `date_x_gmt` UTC without `Z`), money is a string with the
 * shop's decimals (0 for ALL).
 */
export function wpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** 'YYYY-MM-DDTHH:MM:SS' in UTC (how the double stores every timestamp). */
export type GmtString = string;

export const toGmtString = (ms: number): GmtString => new Date(ms).toISOString().slice(0, 19);
export const gmtToMs = (gmt: GmtString): number => Date.parse(`${gmt}Z`);

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// Zone offsets only change on quarter-hour boundaries, so one lookup per zone and quarter hour serves
// every instant in it (rendering a page of orders asked Intl for each date otherwise).
const QUARTER_HOUR = 900_000;
const offsets = new Map<string, Map<number, number>>();

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds. */
export function tzOffsetMs(ms: number, timeZone: string): number {
  let byQuarter = offsets.get(timeZone);
  if (!byQuarter) offsets.set(timeZone, (byQuarter = new Map()));
  const quarter = Math.floor(ms / QUARTER_HOUR);
  let offset = byQuarter.get(quarter);
  if (offset === undefined) {
    if (byQuarter.size > 200_000) byQuarter.clear();
    offset = computeOffset(quarter * QUARTER_HOUR, timeZone);
    byQuarter.set(quarter, offset);
  }
  return offset;
}

function computeOffset(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

export const gmtToLocal = (gmt: GmtString, timeZone: string): string => {
  const ms = gmtToMs(gmt);
  return toGmtString(ms + tzOffsetMs(ms, timeZone));
};

/** Site-local wall time → UTC, the way WordPress's `get_gmt_from_date()` does it. */
export function localToGmt(local: string, timeZone: string): GmtString {
  const wall = Date.parse(`${local}Z`);
  let guess = wall - tzOffsetMs(wall, timeZone);
  guess = wall - tzOffsetMs(guess, timeZone);
  return toGmtString(guess);
}

/**
 * `rest_parse_date()`: RFC 3339 with optional fraction and offset. Returns epoch ms, or null for
 * "Invalid date." A value without offset is read in `timeZone` (site time) unless `asGmt`.
 */
export function parseRestDate(value: string, timeZone: string, asGmt: boolean): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const base = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  if (Number.isNaN(Date.parse(`${base}Z`))) return null;
  if (m[8]) return Date.parse(`${base}${m[8] === 'z' ? 'Z' : m[8]}`);
  return asGmt ? gmtToMs(base) : gmtToMs(localToGmt(base, timeZone));
}

/** Gravatar URL as WordPress builds it (sha256 of the trimmed lower-case e-mail since WP 6.8). */
export const avatarUrl = (email: string): string =>
  `https://secure.gravatar.com/avatar/${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}?s=96&d=mm&r=g`;

/** `wp_hash()`-like 32-hex value; WooCommerce's delivery id has 1-second resolution. */
export const wpHash = (data: string, salt: string): string => createHmac('md5', salt).update(data).digest('hex');
