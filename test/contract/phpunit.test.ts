import { spawnSync } from 'node:child_process';
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
  it('has an sq translation for every string its PHP marks for translation', () => {
    const files = spawnSync('find', ['.', '-name', '*.php', '-not', '-path', './tests/*'], { cwd: PLUGIN, encoding: 'utf8' }).stdout.trim().split('\n');
    const keywords = ['__', 'esc_html__', 'esc_attr__', '_e', 'esc_html_e', 'esc_attr_e', '_n:1,2', '_x:1,2c', 'esc_html_x:1,2c', 'esc_attr_x:1,2c'];
    const pot = spawnSync('xgettext', ['--language=PHP', '--from-code=UTF-8', ...keywords.map((k) => `--keyword=${k}`), '-o', '-', ...files], { cwd: PLUGIN, encoding: 'utf8' });
    expect(pot.error).toBeUndefined(); // gettext is installed by scripts/wordpress-env.sh
    expect(pot.stdout).toContain('msgid "Privacy Bridge"');
    const cmp = spawnSync('msgcmp', ['languages/privacy-bridge-sq.po', '-'], { cwd: PLUGIN, encoding: 'utf8', input: pot.stdout });
    expect(cmp.stderr.split('\n').filter((l) => /used but not defined|similar/.test(l))).toEqual([]);
    expect(cmp.status).toBe(0);
  });
});
