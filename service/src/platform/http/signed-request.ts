import type { Request, RequestHandler } from 'express';
import {
  MAX_CLOCK_SKEW_SECONDS,
  SIGNED_HEADERS,
  SignedHeaders,
  signatureMatches,
} from '../../../../shared/src/contracts/signed-transport.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

export type TransportKey = { readonly id: string; readonly secret: string };

/**
 * Remembers message ids already acted upon, so a replayed message is refused. A message is claimed
 * while it is handled and released if it was refused or failed, so the sender's retry is not refused.
 */
export interface MessageIdGuard {
  /** False when the id was seen (or is being handled) already. */
  claim(keyId: string, messageId: string): Promise<boolean>;
  release(keyId: string, messageId: string): Promise<void>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The exact bytes received, kept by the JSON parser for signature checks. */
    rawBody?: Buffer;
    /** Set once a signed request verified: who signed it and the message id. */
    signed?: { keyId: string; messageId: string };
  }
}

/**
 * Verifies the signed transport (shared/src/contracts/signed-transport.ts): known key id, timestamp
 * within ±5 minutes, signature over method, path, timestamp, message id and body hash, and a message
 * id not seen before. Every refusal is a 401 with a stable code and no side effect.
 */
export function requireSignedRequest(deps: {
  keys: () => readonly TransportKey[];
  guard: MessageIdGuard;
  clock: Clock;
}): RequestHandler {
  return async (req, res, next) => {
    const headers = SignedHeaders.safeParse(pick(req));
    if (!headers.success) throw new AppError('SIGNATURE_MISSING');
    const h = headers.data;
    const keyId = h[SIGNED_HEADERS.keyId];
    const messageId = h[SIGNED_HEADERS.messageId];
    const timestamp = Number(h[SIGNED_HEADERS.timestamp]);
    const key = deps.keys().find((k) => k.id === keyId);
    if (!key) throw new AppError('SIGNATURE_INVALID', { reason: 'unknown-key' });
    if (Math.abs(deps.clock.now().getTime() / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS)
      throw new AppError('SIGNATURE_EXPIRED');
    const input = {
      method: req.method,
      path: req.originalUrl,
      timestamp,
      messageId,
      body: req.rawBody ?? Buffer.alloc(0),
    };
    if (!signatureMatches(key.secret, input, h[SIGNED_HEADERS.signature]))
      throw new AppError('SIGNATURE_INVALID', { reason: 'mismatch' });
    if (!(await deps.guard.claim(keyId, messageId))) throw new AppError('MESSAGE_REPLAYED', { messageId });
    req.signed = { keyId, messageId };
    // A message refused (4xx: nothing was done) or failed (5xx) releases its id, so the sender's retry
    // of the same message is handled, not taken for a replay and dropped as if delivered.
    res.once('finish', () => {
      if (res.statusCode >= 400) void deps.guard.release(keyId, messageId);
    });
    next();
  };
}

function pick(req: Request): Record<string, unknown> {
  return Object.fromEntries(Object.values(SIGNED_HEADERS).map((name) => [name, req.headers[name]]));
}
