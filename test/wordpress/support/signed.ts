import { randomBytes } from 'node:crypto';
import { signedHeaders } from '../../../shared/src/contracts/signed-transport.js';

export type Key = { id: string; secret: string };

/** Sends a message to the plugin exactly as the service would: signed over the path as sent. */
export async function sendSigned(
  baseUrl: string,
  path: string,
  body: unknown,
  key: Key,
  opts: {
    method?: string;
    timestamp?: number;
    messageId?: string;
    tamper?: (h: Record<string, string>) => void;
    sendBody?: string;
  } = {},
): Promise<{ status: number; body: any; messageId: string }> {
  const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
  const raw = body === undefined ? '' : JSON.stringify(body);
  const messageId = opts.messageId ?? randomBytes(16).toString('hex');
  const headers: Record<string, string> = signedHeaders(key, {
    method,
    path,
    timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
    messageId,
    body: raw,
  });
  if (raw) headers['content-type'] = 'application/json';
  opts.tamper?.(headers);
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: opts.sendBody ?? (raw || undefined) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed, messageId };
}
