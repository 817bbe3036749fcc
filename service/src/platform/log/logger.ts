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

/** Email- and phone-shaped text in a message we did not write (a driver's, a library's) is masked. */
export function scrub(text: string | undefined): string | undefined {
  return text
    ?.replace(/[^\s@"'<>()[\]{},;:]+@[^\s@"'<>()[\]{},;:]+/g, '[email]')
    .replace(/\+?\d[\d\s().-]{6,}\d/g, '[number]');
}

/**
 * Driver errors (pg puts row values in `detail`) are cut down to type, code, message and stack,
 * and the message and stack are scrubbed.
 */
function errSerializer(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  return { type: err.name, code: typeof code === 'string' ? code : undefined, message: scrub(err.message), stack: scrub(err.stack) };
}

/**
 * JSON lines on stderr; `pretty: true` makes them one readable line each (the service asks for it only in
 * development with stderr on a terminal, see {@link wantsPrettyLogs}).
 */
export function createLogger(options: { level: string; name?: string; pretty?: boolean }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'privacy-bridge',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        err: errSerializer,
        error: errSerializer,
        req: (req: { method?: string; url?: string; id?: unknown }) => ({ id: req.id, method: req.method, path: req.url?.split('?')[0] }), // query strings may carry an email,
      },
    },
    destination ?? (options.pretty ? prettyDestination(process.stderr) : pino.destination({ dest: 2, sync: false })),
  );
}

/** Readable logs for a developer at a terminal: NODE_ENV=development and the logs' stream (stderr) is a TTY. */
export const wantsPrettyLogs = (env: string, stream: { isTTY?: boolean } = process.stderr) => env === 'development' && stream.isTTY === true;
