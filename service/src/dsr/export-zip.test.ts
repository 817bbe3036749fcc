import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzip } from '../testing/dsr-seed.js';
import { readSealed, writeSealedStream } from './sealed-file.js';
import { zipStream } from './zip.js';

const run = promisify(execFile);

describe('the export ZIP: deflated, streamed through the cipher, sealed at rest', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-zip-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compresses an export of 1,000 orders to a fraction of its size, readable by unzip, and only with its key and context', async () => {
    const orders = Array.from({ length: 1000 }, (_, i) => ({
      id: 1000 + i,
      status: 'completed',
      billing: { first_name: 'Arta', last_name: 'Hoxha', email: 'arta.hoxha@example.al', city: 'Tiranë' },
      notes: [{ note: `Shënim ${i}` }],
    }));
    const json = Buffer.from(JSON.stringify({ orders }, null, 1));
    const html = Buffer.from(
      `<!doctype html><html lang="sq"><body>${orders.map((o) => `<h3>Porosia #${o.id}</h3><p>Arta Hoxha · Tiranë</p>`).join('')}</body></html>`,
    );
    const key = randomBytes(32);
    const file = path.join(dir, 'export.zip');
    const bytes = await writeSealedStream(
      file,
      key,
      zipStream(
        [
          { name: 'index.html', data: html },
          { name: 'export.json', data: json },
        ],
        new Date('2026-10-28T12:40:00Z'),
      ),
      'export:r-1',
    );
    expect(bytes).toBe(fs.statSync(file).size);
    expect(bytes).toBeLessThan((json.length + html.length) / 8);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
    expect(fs.readFileSync(file).includes(Buffer.from('Porosia'))).toBe(false); // ciphertext at rest
    const zip = await readSealed(file, key, 'export:r-1');
    const files = unzip(zip);
    expect(files.get('export.json')!.equals(json)).toBe(true);
    expect(files.get('index.html')!.equals(html)).toBe(true);
    expect([...files.methods.values()]).toEqual([8, 8]);
    fs.writeFileSync(path.join(dir, 'plain.zip'), zip);
    await expect(run('unzip', ['-tq', 'plain.zip'], { cwd: dir })).resolves.toMatchObject({
      stdout: expect.stringContaining('No errors detected'),
    });
    await expect(readSealed(file, key, 'export:r-2')).rejects.toThrow();
    await expect(readSealed(file, randomBytes(32), 'export:r-1')).rejects.toThrow();
  });
});
