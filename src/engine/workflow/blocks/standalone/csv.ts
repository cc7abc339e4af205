// CSV/TSV to row objects, the way Python's csv.DictReader does it for Skyvern: the first row is the
// header, every later non-blank row becomes {header: cell}; missing cells are null, extra cells
// are dropped. Quoted fields may hold delimiters, doubled quotes and line breaks (RFC 4180).

const CANDIDATE_DELIMITERS = [',', '\t', ';', '|'] as const;

/** The delimiter that splits the first line into the most fields (quotes respected). */
export function sniffDelimiter(text: string): string {
  const firstLine = splitRecords(text, ',', 1)[0]?.join(',') ?? '';
  let best: string = ',';
  let bestCount = 1;
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const count = splitRecords(firstLine, delimiter, 1)[0]?.length ?? 0;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

export function parseCsv(text: string, delimiter = sniffDelimiter(text)): Record<string, string | null>[] {
  const records = splitRecords(text.replace(/^\uFEFF/, ''), delimiter);
  const header = records.shift();
  if (!header) return [];
  return records
    .filter((cells) => cells.some((cell) => cell !== ''))
    .map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? null])));
}

/** Records as arrays of cells; stops after `limit` records when given. */
function splitRecords(text: string, delimiter: string, limit = Infinity): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    // A blank line is one empty cell; DictReader skips it, so drop it here too.
    if (!(cells.length === 1 && cells[0] === '')) records.push(cells);
    cells = [];
    cell = '';
  };
  while (i < text.length && records.length < limit) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endRecord();
      i += 1;
    } else if (ch === '\n' || ch === '\r') endRecord();
    else cell += ch;
    i += 1;
  }
  if (records.length < limit && (cell !== '' || cells.length > 0)) endRecord();
  return records;
}
