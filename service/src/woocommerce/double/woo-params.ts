import { INVALID_DATE, INVALID_EMAIL, notInEnum, outOfBounds, ERR } from './woo-errors.js';
import { parseRestDate } from './woo-format.js';
import type { PhpQuery } from './woo-http.js';
import { ORDER_STATUSES } from './woo-records.js';

type Problem = { code: string; message: string };

/**
 * Validation of collection parameters as WordPress's `rest_validate_request_arg()` does it:
 * every bad parameter is collected and reported in one `rest_invalid_param` 400, before the
 * permission check runs. Unknown parameters are ignored (e.g. `modified_after` on customers).
 */
export class ParamReader {
  readonly problems: Record<string, Problem> = {};
  constructor(private readonly query: PhpQuery) {}

  string(name: string): string | undefined {
    const v = this.query.get(name);
    return Array.isArray(v) ? v[v.length - 1] : v;
  }

  list(name: string): string[] | undefined {
    const v = this.query.get(name);
    if (v === undefined) return undefined;
    return (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  }

  int(name: string, def: number, min?: number, max?: number): number {
    const raw = this.string(name);
    if (raw === undefined || raw === '') return def;
    if (!/^-?\d+$/.test(raw.trim()))
      return this.fail(name, { code: 'rest_invalid_type', message: `${name} is not of type integer.` }, def);
    const n = Number(raw);
    if (min !== undefined && max !== undefined && (n < min || n > max))
      return this.fail(name, outOfBounds(name, min, max), def);
    if (min !== undefined && n < min)
      return this.fail(
        name,
        { code: 'rest_out_of_bounds', message: `${name} must be greater than or equal to ${min}` },
        def,
      );
    return n;
  }

  ids(name: string): number[] | undefined {
    const items = this.list(name);
    if (!items) return undefined;
    const bad = items.findIndex((s) => !/^\d+$/.test(s));
    if (bad >= 0)
      return this.fail(
        name,
        { code: 'rest_invalid_type', message: `${name}[${bad}] is not of type integer.` },
        undefined,
      );
    return items.map(Number);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], def: T): T {
    const raw = this.string(name);
    if (raw === undefined) return def;
    return (allowed as readonly string[]).includes(raw) ? (raw as T) : this.fail(name, notInEnum(name, allowed), def);
  }

  bool(name: string, def: boolean): boolean {
    const raw = this.string(name);
    if (raw === undefined) return def;
    if (['true', '1'].includes(raw.toLowerCase())) return true;
    if (['false', '0', ''].includes(raw.toLowerCase())) return false;
    return this.fail(name, { code: 'rest_invalid_type', message: `${name} is not of type boolean.` }, def);
  }

  date(name: string, timeZone: string, asGmt: boolean): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const ms = parseRestDate(raw, timeZone, asGmt);
    return ms === null ? this.fail(name, INVALID_DATE, undefined) : ms;
  }

  email(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    return isEmail(raw) ? raw : this.fail(name, INVALID_EMAIL, undefined);
  }

  fail<T>(name: string, problem: Problem, value: T): T {
    this.problems[name] ??= problem;
    return value;
  }

  /** Throws the captured 400 when anything was wrong. */
  done(): void {
    if (Object.keys(this.problems).length) throw ERR.invalidParams(this.problems);
  }
}

/** WordPress `is_email()`, close enough: a local part, an @ and a domain with a dot. */
export const isEmail = (s: string): boolean =>
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(s) && s.length >= 6;

export const ORDER_STATUS_PARAM = [
  'any',
  'trash',
  'auto-draft',
  ...ORDER_STATUSES.filter((s) => s !== 'checkout-draft'),
  'checkout-draft',
] as const;

export function readStatuses(p: ParamReader): string[] {
  const items = p.list('status') ?? ['any'];
  const bad = items.findIndex((s) => !(ORDER_STATUS_PARAM as readonly string[]).includes(s));
  if (bad >= 0) p.fail('status', notInEnum(`status[${bad}]`, ORDER_STATUS_PARAM), undefined);
  return items;
}

/**
 * Text as WordPress's utf8mb4_unicode_520_ci tables compare it in a search's LIKE: case and accents
 * folded (ë = e, Ç = c), so an Albanian name is found with or without its letters' marks.
 */
export const foldForSearch = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
