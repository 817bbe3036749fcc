import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { prettyDestination } from './pretty.js';

export type Logger = PinoLogger;

/**
 * The redaction backstop. The first line of defence is never logging personal values at all
 * (ids and SubjectRefs only); these paths catch what slips through.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-wc-webhook-signature"]',
  'req.headers["x-pb-signature"]',
  'email',
  '*.email',
  'phone',
  '*.phone',
  'ip',
  '*.ip',
  '*.name',
  'address',
  '*.address',
  'body',
  '*.body',
];

/** Runs of percent-escapes decoded where they decode (`drita%40example.invalid` → `drita@example.invalid`), kept where they do not. */
export function decodePercent(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const EMAIL = /[^\s@"'<>()[\]{},;:/?#&=]+@[^\s@"'<>()[\]{},;:/?#&=]+/g;
/** Unsubscribe tokens (`id.sig`, 22 + 22 base64url characters) and admin tokens (`pbat_…`): both work when read. */
const TOKEN = /(?:[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}|pbat_[A-Za-z0-9_-]{20,})/g;

/** Secret- and email-shaped text, looked for after percent-decoding (an email in a path arrives as `%40`). */
export function scrubSecrets(text: string): string {
  return decodePercent(text).replace(TOKEN, '[token]').replace(EMAIL, '[email]');
}

/** Email-, token- and phone-shaped text in a message we did not write (a driver's, a library's) is masked. */
export function scrub(text: string | undefined): string | undefined {
  return text === undefined ? undefined : scrubSecrets(text).replace(/\+?\d[\d\s().-]{6,}\d/g, '[number]');
}

/** The last line of defence, over every string of every record: no email or working token reaches a log. */
function scrubRecord(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubRecord(v, depth + 1));
  // Plain records only: an Error goes to errSerializer (which scrubs it), other instances stay as they are.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubRecord(v, depth + 1);
  return out;
}

/**
 * Driver errors (pg puts row values in `detail`) are cut down to type, code, message and stack,
 * and the message and stack are scrubbed.
 */
function errSerializer(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    code: typeof code === 'string' ? code : undefined,
    message: scrub(err.message),
    stack: scrub(err.stack),
  };
}

/**
 * JSON lines on stderr; `pretty: true` makes them one readable line each (the service asks for it only in
 * development with stderr on a terminal, see {@link wantsPrettyLogs}).
 */
export function createLogger(
  options: { level: string; name?: string; pretty?: boolean },
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'privacy-bridge',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { log: (record) => scrubRecord(record) as Record<string, unknown> },
      serializers: {
        err: errSerializer,
        error: errSerializer,
        req: (req: { method?: string; url?: string; id?: unknown }) => ({
          id: req.id,
          method: req.method,
          path: scrub(req.url?.split('?')[0]),
        }), // query strings may carry an email,
      },
    },
    destination ?? (options.pretty ? prettyDestination(process.stderr) : pino.destination({ dest: 2, sync: false })),
  );
}

/** Readable logs for a developer at a terminal: NODE_ENV=development and the logs' stream (stderr) is a TTY. */
export const wantsPrettyLogs = (env: string, stream: { isTTY?: boolean } = process.stderr) =>
  env === 'development' && stream.isTTY === true;
