import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type LaunchOptions } from 'playwright-core';

/** Debian's Chromium, kept off the (closed) network: how every suite and benchmark starts it. */
export const CHROMIUM: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** A browser with a fresh profile of its own (cookies kept across its pages, as a person's browser keeps them). */
export function launchProfile(
  options: Parameters<typeof chromium.launchPersistentContext>[1] = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-chromium-')), {
    ...CHROMIUM,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}
