import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `npm test` covers PHP too: the plugin's PHPUnit suite (Debian's phpunit) and its PHPCS ruleset. */
const PLUGIN = path.resolve(__dirname, '../../wp-plugin');

describe('the WordPress plugin (PHP)', () => {
  it('passes its PHPUnit unit suite: signing, verification, replay refusal, back-off, conventions', () => {
    const run = spawnSync('phpunit', ['-c', 'phpunit.xml.dist'], { cwd: PLUGIN, encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(`${run.stdout}${run.stderr}`).toMatch(/^OK \(\d+ tests?, \d+ assertions?\)$/m);
    expect(run.status).toBe(0);
  });

  it('passes php -l and its PHPCS ruleset', () => {
    const run = spawnSync('phpcs', ['--standard=phpcs.xml.dist', '-q'], { cwd: PLUGIN, encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('the plugin in Albanian', () => {
  const LANGUAGES = path.join(PLUGIN, 'languages');

  it('ships the translation template scripts/make-pot.sh makes from the code as it is now', () => {
    const made = spawnSync(path.resolve(__dirname, '../../scripts/make-pot.sh'), ['--stdout'], { encoding: 'utf8' });
    expect(made.error).toBeUndefined(); // xgettext (gettext) is installed by npm test's preflight
    expect(made.status).toBe(0);
    expect(made.stdout).toContain('msgid "Privacy Bridge"');
    // Stale when a string was added, changed or removed: run scripts/make-pot.sh and commit the .pot.
    expect(fs.readFileSync(path.join(LANGUAGES, 'privacy-bridge.pot'), 'utf8')).toBe(made.stdout);
  });

  it('has an sq translation, not fuzzy, for every string of the template, and its .mo is compiled from it', () => {
    const cmp = spawnSync('msgcmp', ['privacy-bridge-sq.po', 'privacy-bridge.pot'], {
      cwd: LANGUAGES,
      encoding: 'utf8',
    });
    expect(cmp.stderr.split('\n').filter((l) => /used but not defined|similar/.test(l))).toEqual([]);
    expect(cmp.status).toBe(0);
    const mo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-mo-')), 'sq.mo');
    const compiled = spawnSync('msgfmt', ['--check', '-o', mo, 'privacy-bridge-sq.po'], {
      cwd: LANGUAGES,
      encoding: 'utf8',
    });
    expect(compiled.status).toBe(0);
    expect(fs.readFileSync(path.join(LANGUAGES, 'privacy-bridge-sq.mo')).equals(fs.readFileSync(mo))).toBe(true);
  });
});
