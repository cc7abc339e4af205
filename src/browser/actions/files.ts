import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ActionError, type ActionContext, type ActionOf, type ActionResult } from './types.ts';
import { resolveTarget, settle, stepTimeout } from './element.ts';
import { clickWithFallbacks } from './click.ts';
import { outboundFetch } from '../../net/outbound.ts';

/** Turns file_url (local path, file:// or http(s) URL) into a local file path. */
export async function resolveUploadFile(fileUrl: string, tempDir?: string): Promise<string> {
  if (/^https?:\/\//i.test(fileUrl)) {
    const response = await outboundFetch(fileUrl, {}, { label: 'upload_file' });
    if (!response.ok) throw new ActionError(`could not fetch ${fileUrl}: HTTP ${response.status}`);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fromHeader = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    const fromPath = basename(new URL(fileUrl).pathname);
    const name = (fromHeader ? decodeURIComponent(fromHeader) : fromPath).replace(/[^\w.\- ()]+/g, '_') || 'upload';
    // A fresh folder per file keeps the original name, which pages often display or validate.
    const dir = await mkdtemp(join(tempDir ?? tmpdir(), 'skyport-upload-'));
    const path = join(dir, name);
    await writeFile(path, Buffer.from(await response.arrayBuffer()));
    return path;
  }
  const path = fileUrl.startsWith('file://') ? fileURLToPath(fileUrl) : fileUrl;
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new ActionError(`file to upload not found: ${fileUrl}`);
  return path;
}

export async function uploadFile(ctx: ActionContext, action: ActionOf<'upload_file'>): Promise<ActionResult> {
  const timeout = stepTimeout(ctx);
  const page = ctx.session.page;
  const { locator, facts } = await resolveTarget(ctx, action.element_id);
  const path = await resolveUploadFile(action.file_url, ctx.tempDir);
  const data = { file: path, fileName: basename(path) };

  if (facts.tag === 'input' && facts.type === 'file') {
    await locator.setInputFiles(path, { timeout });
    return { success: true, data };
  }
  // A styled "Choose file" wrapper usually contains (or is the label of) the real input.
  const inner = locator.locator('input[type=file]');
  if ((await inner.count()) > 0) {
    await inner.first().setInputFiles(path, { timeout });
    return { success: true, data };
  }
  // Otherwise the element opens the OS file dialog when clicked; intercept it.
  const chooser = page.waitForEvent('filechooser', { timeout });
  await clickWithFallbacks(page, locator, timeout, facts);
  await (await chooser).setFiles(path);
  return { success: true, data };
}

export async function downloadFile(ctx: ActionContext, action: ActionOf<'download_file'>): Promise<ActionResult> {
  const timeout = stepTimeout(ctx);
  const { locator, facts } = await resolveTarget(ctx, action.element_id, { clickCheck: true });
  // The download must start soon after the click; saving a large file may take much longer.
  const nextDownload = ctx.session.waitForNextDownload(timeout * 2);
  nextDownload.catch(() => undefined);
  const method = await clickWithFallbacks(ctx.session.page, locator, timeout, facts);
  const record = await nextDownload;
  await settle(ctx.session.page, 1000);
  if (record.error) throw new ActionError(`the download started but could not be saved: ${record.error}`);
  return { success: true, data: { file: record.path, fileName: record.fileName, url: record.url, method } };
}
