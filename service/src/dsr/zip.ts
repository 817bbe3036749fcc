import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

/**
 * The export ZIP, deflated, as a stream: yazl (maintained, one small dependency) compresses each file
 * with Node's own zlib and writes the archive as it goes, so the caller pipes it straight into the
 * cipher and the file — no uncompressed archive is ever held whole. UTF-8 names, DOS times in UTC.
 */
export function zipStream(files: readonly { name: string; data: Buffer }[], at: Date = new Date()): Readable {
  const zip = new ZipFile();
  for (const f of files) zip.addBuffer(f.data, f.name, { mtime: at, compressionLevel: 6 });
  zip.end();
  return zip.outputStream as Readable;
}
