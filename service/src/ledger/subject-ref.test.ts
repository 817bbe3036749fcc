import { inspect } from 'node:util';
import { sensitive } from '../platform/sensitive.js';
import { isSubjectRef, normaliseEmail, subjectRef } from './subject-ref.js';

describe('SubjectRef', () => {
  const pepper = Buffer.alloc(32, 1);

  it('is the same for every spelling of one address, and differs with the pepper', () => {
    const a = subjectRef(sensitive(' Arta.Hoxha@Example.COM '), pepper);
    expect(a).toBe(subjectRef(sensitive('arta.hoxha@example.com'), pepper));
    expect(isSubjectRef(a)).toBe(true);
    expect(a).not.toBe(subjectRef(sensitive('arta.hoxha@example.com'), Buffer.alloc(32, 2)));
    expect(normaliseEmail('  Besa@Example.AL\t')).toBe('besa@example.al');
  });

  it('carries the address only inside Sensitive, which never prints it', () => {
    const value = sensitive('arta@example.invalid');
    expect(`${value}`).toBe('[redacted]');
    expect(JSON.stringify({ value })).toBe('{"value":"[redacted]"}');
    expect(inspect(value)).not.toContain('arta');
  });
});
