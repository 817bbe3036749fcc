import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

/**
 * No caller of this service compresses what it sends (the plugin, WooCommerce's webhooks, the mailer's
 * one-click POST), so any `Content-Encoding` but `identity` is refused at once: 415, before
 * authentication and before a byte of the body is read or inflated (a zip bomb costs nothing).
 */
export const refuseContentEncoding: RequestHandler = (req, _res, next) => {
  const encoding = req.headers['content-encoding'];
  if (encoding === undefined || encoding.trim().toLowerCase() === 'identity' || encoding.trim() === '') return next();
  next(new AppError('BODY_ENCODING_UNSUPPORTED'));
};
