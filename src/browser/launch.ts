import type { Browser } from 'playwright-core';

// Loaded at the first launch, not at import: playwright-core costs tens of MB and the API process
// (which reaches this module through shared imports) never starts a browser.
const chromiumType = async () => (await import('playwright-core')).chromium;

/**
 * Flags for a server/container environment: no sandbox (we often run as root),
 * no GPU, and nothing that phones home or updates itself in the background.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface LaunchOptions {
  /** Path to the Chromium binary; the caller passes it from config (e.g. CHROMIUM_PATH). */
  executablePath: string;
  headless?: boolean;
  /** Extra command-line switches appended after the defaults. */
  extraArgs?: string[];
}

export async function launchChromium(opts: LaunchOptions): Promise<Browser> {
  return (await chromiumType()).launch({
    executablePath: opts.executablePath,
    headless: opts.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
  });
}

/** Attach to an already running browser (e.g. a user's Chrome or a remote browser service). */
export async function connectOverCdp(address: string, headers?: Record<string, string>): Promise<Browser> {
  return (await chromiumType()).connectOverCDP(address, headers ? { headers } : {});
}

/** Default binary location used by tests and local development. */
export function defaultChromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}
