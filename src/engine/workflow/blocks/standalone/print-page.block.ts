// `print_page`: save the current page as a PDF. Like Skyvern, the file lands in the run's downloads
// folder (so it is listed in the run's downloaded_files) and is also stored as a `pdf` artifact
// that later blocks can reach by id; the output carries both.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BlockYamlOf } from '../../../../domain/workflow/index.ts';
import type { BlockHandler } from '../block-handler.ts';
import { BlockAbortedError, canceled, completed, errorMessage, failed, raceAbort } from './results.ts';

type PrintPageBlock = BlockYamlOf<'print_page'>;

const FORMATS = new Set(['A4', 'Letter', 'Legal', 'Tabloid']);

// Header: print date and title; footer: URL and page x/y. Chromium fills the classed spans.
const HEADER = '<div style="font-size:9px;width:100%;display:flex;justify-content:space-between;padding:0 12px;">'
  + '<span class="date"></span><span class="title"></span><span></span></div>';
const FOOTER = '<div style="font-size:9px;width:100%;display:flex;justify-content:space-between;padding:0 12px;">'
  + '<span class="url"></span><span><span class="pageNumber"></span>/<span class="totalPages"></span></span></div>';

export const printPageBlock: BlockHandler<PrintPageBlock> = async (ctx) => {
  const { block } = ctx;
  let pdf: Buffer;
  let downloadsDir: string;
  try {
    const browser = await raceAbort(ctx.browser(), ctx.signal);
    downloadsDir = browser.downloadsDir;
    const stamped = block.include_timestamp !== false;
    pdf = await raceAbort(browser.page().pdf({
      format: FORMATS.has(block.format ?? '') ? block.format : 'A4',
      landscape: block.landscape === true,
      printBackground: block.print_background !== false,
      ...(stamped ? { displayHeaderFooter: true, headerTemplate: HEADER, footerTemplate: FOOTER, margin: { top: '40px', bottom: '40px' } } : {}),
    }), ctx.signal);
  } catch (error) {
    if (error instanceof BlockAbortedError || ctx.signal.aborted) return canceled(ctx.signal);
    return failed(`Failed to generate PDF: ${errorMessage(error)}`);
  }

  const filename = pdfFileName(block.custom_filename, new Date());
  const filePath = path.join(downloadsDir, filename);
  await writeFile(filePath, pdf);
  const artifactId = await ctx.recorder.saveArtifact('pdf', pdf, { blockRunId: ctx.blockRunId, ext: 'pdf' });
  const fileInfo = {
    url: pathToFileURL(filePath).href,
    checksum: createHash('sha256').update(pdf).digest('hex'),
    filename,
    file_size: pdf.length,
    modified_at: new Date().toISOString(),
    artifact_id: artifactId,
  };
  return completed({
    filename,
    file_path: filePath,
    size_bytes: pdf.length,
    artifact_id: artifactId,
    // Share links are minted when outputs are read (the runner/presenter knows the URL scheme).
    artifact_uri: null,
    artifact_url: null,
    downloaded_files: [fileInfo],
    downloaded_file_urls: [fileInfo.url],
    downloaded_file_artifact_ids: [artifactId],
  });
};

/** `custom_filename` made safe for a file system (no folders, no control characters), else page_<UTC stamp>.pdf. */
export function pdfFileName(custom: string | null | undefined, now: Date): string {
  const cleaned = (custom ?? '')
    .replace(/[/\\]/g, '_')
    .replace(/[\u0000-\u001f<>:"|?*]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  if (cleaned) return cleaned.toLowerCase().endsWith('.pdf') ? cleaned : `${cleaned}.pdf`;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  return `page_${stamp}.pdf`;
}
