import { captureLogs } from '../../testing/log-capture.js';
import { scrub } from './logger.js';

describe('the log scrubber', () => {
  it('decodes percent-encoding before it looks for an email', () => {
    expect(scrub('GET /v1/unsubscribe/drita%40example.invalid')).toBe('GET /v1/unsubscribe/[email]');
    expect(scrub('to drita%2Ehoxha%40example%2Einvalid now')).toBe('to [email] now');
    expect(scrub('bad %E0%A4%A stays')).toBe('bad %E0%A4%A stays');
  });

  it('masks unsubscribe and admin tokens', () => {
    const token = `${'A'.repeat(22)}.${'b'.repeat(22)}`;
    expect(scrub(`/v1/unsubscribe/${token}`)).toBe('/v1/unsubscribe/[token]');
    expect(scrub(`Bearer pbat_${'x'.repeat(43)}`)).toBe('Bearer [token]');
  });

  it('is applied to every string a record carries, at any field', () => {
    const logs = captureLogs('info');
    logs.log.info(
      { where: { deep: ['a path /v1/unsubscribe/drita%40example.invalid'] }, at: '2026-11-25T10:00:00.000Z' },
      'note',
    );
    expect(logs.text()).not.toContain('drita');
    expect(logs.text()).toContain('2026-11-25T10:00:00.000Z');
  });

  it('leaves errors to their serializer, which keeps type, code and a scrubbed message', () => {
    const logs = captureLogs('info');
    logs.log.error({ err: Object.assign(new Error('boom for drita@example.invalid'), { code: 'E_TEST' }) }, 'failed');
    const line = JSON.parse(logs.text()) as { err: { type: string; code: string; message: string } };
    expect(line.err).toMatchObject({ type: 'Error', code: 'E_TEST', message: 'boom for [email]' });
  });
});
