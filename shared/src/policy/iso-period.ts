import { z } from 'zod';

/**
 * Retention periods and deadlines are ISO-8601 durations with a date part only:
 * `P10Y`, `P6M`, `P1M`, `P2W`, `P30D`, `P1Y6M`, and `P0D` for "no margin".
 * Chosen over `{ months: n }` because PHP reads the same string (`new DateInterval('P10Y')`),
 * and it says calendar months, not 30-day blocks. Hours and minutes are deliberately not allowed.
 */
const ISO_PERIOD = /^P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

export const IsoPeriod = z
  .string()
  .regex(ISO_PERIOD, 'must be an ISO-8601 period with a date part only, such as P10Y, P6M, P1M or P30D');
export type IsoPeriod = z.infer<typeof IsoPeriod>;

export type PeriodParts = { years: number; months: number; weeks: number; days: number };

export function parseIsoPeriod(period: string): PeriodParts {
  const match = ISO_PERIOD.exec(period);
  if (!match) throw new RangeError('not an ISO-8601 date period (expected e.g. P10Y, P6M, P30D)');
  const [, years = '0', months = '0', weeks = '0', days = '0'] = match;
  return { years: Number(years), months: Number(months), weeks: Number(weeks), days: Number(days) };
}

/**
 * `from` plus `period` in UTC calendar arithmetic. Years and months move the calendar date and
 * clamp to the end of a shorter month (31 Jan + P1M = 28/29 Feb, as GDPR's "one month" is read);
 * weeks and days are then added as whole days.
 */
export function addIsoPeriod(from: Date, period: string): Date {
  const { years, months, weeks, days } = parseIsoPeriod(period);
  const monthIndex = from.getUTCFullYear() * 12 + from.getUTCMonth() + years * 12 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(from.getTime());
  result.setUTCFullYear(year, month, Math.min(from.getUTCDate(), lastDay));
  result.setUTCDate(result.getUTCDate() + weeks * 7 + days);
  return result;
}
