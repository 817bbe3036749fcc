import type { Policy } from '../../../shared/src/policy/index.js';
import type { WooBooking } from '../woocommerce/index.js';

/** An appointment, from WooCommerce Bookings or from order line-item meta. Special-category data. */
export type Appointment = {
  readonly key: string;
  readonly orderId: number | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly status: string | null;
  readonly psychologist: string | null;
  readonly mode: string | null;
  readonly source: 'bookings-api' | 'order-meta';
  /**
   * Every session, when one line item books several (a package: `Data e seancës` is then a list,
   * "2026-11-04, 2026-11-11, 2026-11-18, 2026-11-25", as the real shop writes it). `start` is then the
   * first session's start and `end` the last one's end. Absent for a single session.
   */
  readonly sessions?: readonly { readonly start: string; readonly end: string }[];
};

type LineItem = { id?: number; name?: string; meta_data?: { key?: string; value?: unknown }[] };

/** Local wall time in a zone → UTC ISO (two passes settle the offset around DST changes). */
export function zonedToUtc(date: string, time: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = /^(\d{1,2}):(\d{2})/.exec(time.trim());
  if (!m || !t) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +t[1]!, +t[2]!);
  let utc = wall;
  for (let i = 0; i < 2; i++) utc = wall - offsetMs(utc, timeZone);
  return new Date(utc).toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

// Zone offsets change on quarter-hour boundaries at most: one Intl lookup per zone and quarter hour.
const QUARTER_HOUR = 900_000;
const offsets = new Map<string, number>();

function offsetMs(at: number, timeZone: string): number {
  const key = `${timeZone} ${Math.floor(at / QUARTER_HOUR)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size > 100_000) offsets.clear();
    offset = computeOffset(Math.floor(at / QUARTER_HOUR) * QUARTER_HOUR, timeZone);
    offsets.set(key, offset);
  }
  return offset;
}

function computeOffset(at: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return (
    Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) -
    Math.floor(at / 1000) * 1000
  );
}

/**
 * The sessions of one line item, in time order: the date meta may list several dates ("2026-10-01,
 * 2026-10-08"), the time meta one time for all of them or one per date. Unreadable dates are skipped.
 */
function sessionsOf(dates: string, times: string, minutes: number, timeZone: string): { start: string; end: string }[] {
  const timeList = times
    .split(/[,;]/)
    .map((t) => t.trim())
    .filter(Boolean);
  return dates
    .split(/[,;]/)
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d, i) => zonedToUtc(d, timeList[i] ?? timeList[0] ?? '00:00', timeZone))
    .filter((start): start is string => start !== null)
    .sort()
    .map((start) => ({ start, end: new Date(Date.parse(start) + minutes * 60_000).toISOString() }));
}

/** Appointments recorded as line-item meta, by the policy's booking meta roles (Albanian labels by default). */
export function appointmentsFromOrder(
  policy: Policy,
  order: { id: number; line_items?: LineItem[] },
  options: { timeZone: string; defaultMinutes: number },
): Appointment[] {
  const roles = new Map(policy.bookingMeta.itemMeta.map((m) => [m.key, m.role]));
  const out: Appointment[] = [];
  for (const item of order.line_items ?? []) {
    const byRole = new Map<string, string>();
    for (const meta of item.meta_data ?? []) {
      const role = typeof meta.key === 'string' ? roles.get(meta.key) : undefined;
      if (role && meta.value !== null && meta.value !== undefined) byRole.set(role, String(meta.value));
    }
    if (!byRole.has('date') && !byRole.has('booking-id')) continue;
    const minutes = Number(/\((\d{1,3})\s*min/i.exec(item.name ?? '')?.[1] ?? options.defaultMinutes);
    const sessions = byRole.has('date')
      ? sessionsOf(byRole.get('date')!, byRole.get('time') ?? '00:00', minutes, options.timeZone)
      : [];
    const bookingId = byRole.get('booking-id');
    out.push({
      key: bookingId ? `booking-${bookingId}` : `order-${order.id}-item-${item.id ?? out.length}`,
      orderId: order.id,
      start: sessions[0]?.start ?? null,
      end: sessions.at(-1)?.end ?? null,
      status: byRole.get('booking-status') ?? null,
      psychologist: byRole.get('psychologist') ?? null,
      mode: byRole.get('mode') ?? null,
      source: 'order-meta',
      ...(sessions.length > 1 ? { sessions } : {}),
    });
  }
  return out;
}

export function appointmentFromBooking(b: WooBooking): Appointment {
  const iso = (s?: number) => (typeof s === 'number' && s > 0 ? new Date(s * 1000).toISOString() : null);
  return {
    key: `booking-${b.id}`,
    orderId: b.order_id || null,
    start: iso(b.start),
    end: iso(b.end),
    status: b.status ?? null,
    psychologist: b.resource_id ? `resource-${b.resource_id}` : null,
    mode: null,
    source: 'bookings-api',
  };
}
