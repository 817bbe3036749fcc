import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * WooCommerce's `X-WC-Webhook-Signature`: base64(HMAC-SHA256(raw body bytes, secret)).
 * Checked over the exact bytes received (re-serialising the JSON changes them), in constant time,
 * against every active secret so that a rotation never drops a delivery.
 */
export function verifyWooSignature(rawBody: Buffer, header: string | undefined, secrets: readonly string[]): boolean {
  if (!header || !/^[A-Za-z0-9+/]{43}=$/.test(header)) return false;
  const given = Buffer.from(header, 'base64');
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    // No early exit: the time taken does not say which secret matched.
    ok = timingSafeEqual(given, expected) || ok;
  }
  return ok;
}

/** The unsigned ping WooCommerce sends when a webhook is created or saved: `webhook_id=<n>`, form-encoded. */
export function isCreationPing(contentType: string | undefined, rawBody: Buffer): boolean {
  return (
    /application\/x-www-form-urlencoded/i.test(contentType ?? '') &&
    /^webhook_id=\d{1,12}$/.test(rawBody.toString('latin1'))
  );
}
