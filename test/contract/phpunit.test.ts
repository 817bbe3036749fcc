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
