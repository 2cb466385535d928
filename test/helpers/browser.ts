import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Browser } from 'playwright-core';

/** Debian's `chromium` (scripts/test-tools.mjs installs it); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

/**
 * Whether the browser tests can run: a Chromium binary at `CHROMIUM_PATH`. When it is missing they are skipped and
 * say so loudly; AZTEC_BROWSER_REQUIRED=1 (set by .ci/run where chromium is installed) makes that an error instead,
 * as AZTEC_DOCKER_REQUIRED does for the docker tests.
 */
export function browserAvailability(): { available: boolean; reason: string } {
  if (existsSync(CHROMIUM_PATH)) return { available: true, reason: '' };
  const reason = `no Chromium at ${CHROMIUM_PATH} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`;
  if (process.env['AZTEC_BROWSER_REQUIRED'] === '1') throw new Error(`AZTEC_BROWSER_REQUIRED=1 but ${reason}`);
  const bar = '!'.repeat(100);
  process.stderr.write(`\n${bar}\n!! BROWSER TESTS NOT RUN: ${reason}\n${bar}\n\n`);
  return { available: false, reason };
}

/** Headless Chromium through playwright-core; `--no-sandbox` when running as root (the sandbox refuses root). */
export function launchChromium(): Promise<Browser> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...(root ? ['--no-sandbox'] : []), '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** Where tests leave files for people to look at (screenshots): AZTEC_TEST_ARTIFACTS, else a folder in the temp dir. */
export function artifactsDir(): string {
  const dir = process.env['AZTEC_TEST_ARTIFACTS'] || join(tmpdir(), 'aztec-test-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}
