import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

function defaultBrowsersDir(): string {
  return process.env.PLAYWRIGHT_BROWSERS_PATH || path.join(os.homedir(), '.cache', 'ms-playwright');
}

/**
 * Playwright looks for its own ffmpeg build (a download we cannot make here) under its browsers
 * folder as ffmpeg-<revision>/ffmpeg-linux. A link there to Debian's ffmpeg lets it record run
 * videos. Playwright fixes that folder when it is imported, so the link goes where it will look.
 * Returns false when no system ffmpeg exists (runs then have no video).
 */
export function linkSystemFfmpeg(browsersDir = defaultBrowsersDir(), systemFfmpeg = '/usr/bin/ffmpeg'): boolean {
  if (!existsSync(systemFfmpeg)) return false;
  const require = createRequire(import.meta.url);
  const browsersJson = path.join(path.dirname(require.resolve('playwright-core/package.json')), 'browsers.json');
  const revision = JSON.parse(readFileSync(browsersJson, 'utf8')).browsers.find((b: { name: string }) => b.name === 'ffmpeg')?.revision;
  if (!revision) return false;
  const dir = path.join(browsersDir, `ffmpeg-${revision}`);
  const target = path.join(dir, 'ffmpeg-linux');
  if (!existsSync(target)) {
    mkdirSync(dir, { recursive: true });
    try { symlinkSync(systemFfmpeg, target); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; }
  }
  return true;
}
