import { AppError } from '../../platform/errors.js';

/** WooCommerce's answer, mapped to our codes. The upstream message is not kept: it can quote input. */
export function wooError(status: number | undefined, wooCode: unknown, path: string): AppError {
  const details = { status, wooCode: typeof wooCode === 'string' ? wooCode : undefined, path };
  if (status === 401 || status === 403) return new AppError('WOO_AUTH_FAILED', details);
  if (status === 404 || status === 410) return new AppError('WOO_NOT_FOUND', details);
  if (status === 400) return new AppError('WOO_PARAM_REJECTED', details);
  if (status === 501) return new AppError('WOO_PARAM_REJECTED', details);
  if (status === undefined) return new AppError('WOO_UNREACHABLE', details);
  return new AppError('WOO_UNAVAILABLE', details);
}

/** 429 and 5xx and transport failures are worth another try; the rest are not. */
export const isTransient = (status: number | undefined) => status === undefined || status === 429 || status >= 500;

/** Seconds or an HTTP date, capped so a hostile header cannot park a worker for hours. */
export function retryAfterMs(header: unknown, now: number, capMs = 60_000): number | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), capMs) : null;
}
