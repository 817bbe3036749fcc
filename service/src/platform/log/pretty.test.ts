import { PassThrough } from 'node:stream';
import { createLogger, wantsPrettyLogs } from './logger.js';
import { formatLine, prettyDestination } from './pretty.js';

describe('readable logs for a developer', () => {
  it('are asked for only in development with the logs on a terminal', () => {
    expect(wantsPrettyLogs('development', { isTTY: true })).toBe(true);
    expect(wantsPrettyLogs('development', { isTTY: false })).toBe(false);
    expect(wantsPrettyLogs('development', {})).toBe(false);
    expect(wantsPrettyLogs('production', { isTTY: true })).toBe(false);
    expect(wantsPrettyLogs('test', { isTTY: true })).toBe(false);
  });

  it('print one line per record: time, level, message, fields — still redacted', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const log = createLogger({ level: 'info', pretty: true }, prettyDestination(out as unknown as NodeJS.WriteStream));
    log.info({ port: 3000, email: 'canary@example.invalid' }, 'privacy-bridge listening');
    expect(text).toMatch(/^\d\d:\d\d:\d\d INFO {2}privacy-bridge listening {2}port=3000 email=\[redacted\]\n$/);
    expect(text).not.toContain('canary');
  });

  it('leave a line that is not JSON as it is, and print an error with its stack', () => {
    expect(formatLine('plain text', false)).toBe('plain text');
    const line = formatLine(
      JSON.stringify({ level: 50, time: 0, msg: 'failed', err: { type: 'Error', stack: 'Error: x\n    at y' } }),
      false,
    );
    expect(line).toBe('00:00:00 ERROR failed  \nError: x\n    at y\n');
  });
});
