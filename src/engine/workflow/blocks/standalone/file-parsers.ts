// Which kind of file file_url_parser got, and its content as JSON data: CSV → row objects,
// JSON → the value, plain text → a string, PDF → its text. Detection follows Skyvern's order
// (explicit file_type, then the URL's extension, then magic bytes, then CSV as the last resort),
// with JSON and plain text added since they are common and unambiguous.
import path from 'node:path';
import { parseCsv } from './csv.ts';
import type { LoadedFile } from './file-source.ts';

export type FileKind = 'csv' | 'json' | 'text' | 'pdf' | 'excel' | 'image' | 'docx' | 'zip';
export type DeclaredFileType = 'auto_detect' | 'csv' | 'excel' | 'pdf' | 'image' | 'docx' | 'zip';

const BY_EXTENSION: Record<string, FileKind> = {
  '.csv': 'csv', '.tsv': 'csv', '.json': 'json', '.txt': 'text', '.md': 'text', '.log': 'text', '.pdf': 'pdf',
  '.xlsx': 'excel', '.xls': 'excel', '.xlsm': 'excel', '.docx': 'docx', '.zip': 'zip',
  '.png': 'image', '.jpg': 'image', '.jpeg': 'image', '.gif': 'image', '.bmp': 'image', '.webp': 'image', '.tif': 'image', '.tiff': 'image',
};

export class UnsupportedFileError extends Error {}

export function detectFileKind(declared: DeclaredFileType | undefined, file: LoadedFile): FileKind {
  // An explicit non-CSV type wins; "csv" was Skyvern's old default, so it is re-checked like auto_detect.
  if (declared && declared !== 'auto_detect' && declared !== 'csv') return declared;
  const extension = path.extname(pathOf(file.source)).toLowerCase() || path.extname(file.name).toLowerCase();
  if (extension === '.doc') throw new UnsupportedFileError('Legacy .doc format (Word 97-2003) is not supported; convert the file to .docx');
  const byExtension = BY_EXTENSION[extension];
  if (byExtension) return byExtension;
  const byMagic = magicKind(file.data);
  if (byMagic) return byMagic;
  const type = (file.contentType ?? '').toLowerCase();
  if (type.includes('json')) return 'json';
  if (type.includes('pdf')) return 'pdf';
  if (type.includes('csv') || type.includes('tab-separated')) return 'csv';
  if (type.startsWith('text/plain')) return 'text';
  if (looksLikeJson(file.data)) return 'json';
  return 'csv';
}

export async function parseFileContent(kind: FileKind, file: LoadedFile): Promise<unknown> {
  switch (kind) {
    case 'csv':
      return parseCsv(file.data.toString('utf8'));
    case 'json':
      return JSON.parse(file.data.toString('utf8').replace(/^\uFEFF/, ''));
    case 'text':
      return file.data.toString('utf8');
    case 'pdf':
      return pdfText(file.data);
    default:
      throw new UnsupportedFileError(`Unsupported file type: ${kind} files are not supported by Skyport yet (csv, json, text and pdf are)`);
  }
}

/** All text of a PDF, pages joined by newlines. Image-only (scanned) PDFs give an empty string. */
export async function pdfText(data: Buffer): Promise<string> {
  // Loaded on first use: the bundled PDF.js is large and most runs never parse a PDF.
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(data));
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    return text.map((page) => page.trim()).join('\n').trim();
  } finally {
    await pdf.destroy().catch(() => {});
  }
}

function pathOf(source: string): string {
  try {
    return /^https?:/i.test(source) ? new URL(source).pathname : source;
  } catch {
    return source;
  }
}

function magicKind(data: Buffer): FileKind | null {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) return 'zip';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image';
  if (data.subarray(0, 4).toString('latin1') === 'GIF8') return 'image';
  return null;
}

function looksLikeJson(data: Buffer): boolean {
  const text = data.toString('utf8').trim();
  if (!/^[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
