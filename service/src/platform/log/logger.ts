import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';

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

export function createLogger(options: { level: string; name?: string }, destination?: DestinationStream): Logger {
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
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
