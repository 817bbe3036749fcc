import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The plugin ⇄ service transport. Every message, both ways, carries four headers and is signed with
 * HMAC-SHA256 over its method, path, timestamp, message id and body hash. Two keys may be active at
 * once (rotation): the key id says which one signed. The PHP side (wp-plugin/includes/Contract/Signer.php)
 * implements the same string to sign; test/contract checks both agree.
 */
export const SIGNED_HEADERS = {
  keyId: 'x-pb-key-id',
  timestamp: 'x-pb-timestamp',
  messageId: 'x-pb-message-id',
  signature: 'x-pb-signature',
} as const;

/** Messages dated further than this from the receiver's clock are refused. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export const KeyId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);
/** A message id is stable across retries of one message (the outbox re-signs, never renames). */
export const MessageId = z.string().regex(/^[A-Za-z0-9._-]{8,128}$/);

export const SignedHeaders = z.object({
  [SIGNED_HEADERS.keyId]: KeyId,
  [SIGNED_HEADERS.timestamp]: z.string().regex(/^\d{1,12}$/),
  [SIGNED_HEADERS.messageId]: MessageId,
  [SIGNED_HEADERS.signature]: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
});
export type SignedHeaders = z.infer<typeof SignedHeaders>;

export type SignatureInput = {
  method: string;
  /** Path with query string, as sent (e.g. `/v1/consents` or `/wp-json/privacy-bridge/v1/status`). */
  path: string;
  timestamp: number;
  messageId: string;
  body: Buffer | string;
};

export function stringToSign({ method, path, timestamp, messageId, body }: SignatureInput): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return `PB1\n${method.toUpperCase()}\n${path}\n${timestamp}\n${messageId}\n${bodyHash}`;
}

export function sign(secret: string, input: SignatureInput): string {
  return createHmac('sha256', secret).update(stringToSign(input), 'utf8').digest('base64');
}

export function signatureMatches(secret: string, input: SignatureInput, signature: string): boolean {
  const expected = Buffer.from(sign(secret, input), 'base64');
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Headers for an outgoing signed message. */
export function signedHeaders(key: { id: string; secret: string }, input: SignatureInput): Record<string, string> {
  return {
    [SIGNED_HEADERS.keyId]: key.id,
    [SIGNED_HEADERS.timestamp]: String(input.timestamp),
    [SIGNED_HEADERS.messageId]: input.messageId,
    [SIGNED_HEADERS.signature]: sign(key.secret, input),
  };
}
