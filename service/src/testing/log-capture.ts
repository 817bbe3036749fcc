import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../platform/log/logger.js';

/** A real pino logger writing into memory, so tests can search everything that was logged. */
export function captureLogs(level = 'trace'): { log: Logger; text(): string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { log: createLogger({ level }, sink), text: () => chunks.join('') };
}
