import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** The server benchmarks create throwaway databases on (trust auth on this machine). */
export const BENCH_POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type Scratch = { readonly url: string; drop(): Promise<void> };

/** A fresh, empty PostgreSQL database; `drop()` removes it (call it in `finally`). */
export async function scratchPostgres(label: string): Promise<Scratch> {
  const name = `pb_bench_${label}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: BENCH_POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A fresh directory for SQLite files, removed by `remove()`. */
export function scratchDir(): { readonly dir: string; file(name: string): string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-bench-'));
  return { dir, file: (name) => path.join(dir, name), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
