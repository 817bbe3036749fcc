import type { DestinationStream } from 'pino';

/**
 * pino's JSON lines as one readable line each, for a developer's terminal: `06:12:03 INFO  message  key=value`.
 * Only the presentation changes: the line arrives already redacted and serialised by the logger.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLOURS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v']);

export function formatLine(line: string, colour: boolean): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = Number(record.level);
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 19) : '';
  const label = LEVELS[level] ?? String(record.level);
  const fields = Object.entries(record)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) =>
      k === 'err' && v && typeof v === 'object' && 'stack' in v
        ? `\n${String((v as { stack: unknown }).stack)}`
        : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
    );
  const head = colour ? `\x1b[${COLOURS[level] ?? '0'}m${label}\x1b[0m` : label;
  return `${time} ${head} ${String(record.msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}\n`;
}

export function prettyDestination(out: NodeJS.WriteStream): DestinationStream {
  return {
    write: (chunk: string) =>
      void chunk
        .split('\n')
        .filter(Boolean)
        .forEach((line) => out.write(formatLine(line, out.isTTY === true))),
  };
}
