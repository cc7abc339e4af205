/**
 * Native date/time inputs only accept machine formats (yyyy-mm-dd, HH:mm…), but LLMs write
 * dates the way the task phrased them. These convert common human forms; anything
 * unrecognised is returned unchanged so the page can still reject it visibly.
 */

const pad = (n: number) => String(n).padStart(2, '0');

export function toIsoDate(text: string): string {
  const t = text.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(t);
  if (m) return `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
  // 03/15/2024 is read as US month/day unless the first number cannot be a month.
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const [month, day] = a > 12 ? [b, a] : [a, b];
    return `${m[3]}-${pad(month)}-${pad(day)}`;
  }
  const parsed = new Date(t);
  if (!Number.isNaN(parsed.getTime()) && /[a-z]/i.test(t)) {
    return `${parsed.getFullYear()}-${pad(parsed.getMonth() + 1)}-${pad(parsed.getDate())}`;
  }
  return t;
}

export function toIsoTime(text: string): string {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$/i.exec(text.trim());
  if (!m) return text.trim();
  let hours = Number(m[1]);
  const meridiem = m[4]?.toLowerCase().replace(/\./g, '');
  if (meridiem === 'pm' && hours < 12) hours += 12;
  if (meridiem === 'am' && hours === 12) hours = 0;
  return `${pad(hours)}:${m[2]}${m[3] ? `:${m[3]}` : ''}`;
}

/** Converts `text` to the value format a native <input type=…> expects. */
export function toNativeInputValue(type: string, text: string): string {
  switch (type) {
    case 'date':
      return toIsoDate(text);
    case 'time':
      return toIsoTime(text);
    case 'month': {
      const m = /^(\d{4})[-/.](\d{1,2})$/.exec(text.trim());
      return m ? `${m[1]}-${pad(Number(m[2]))}` : toIsoDate(text).slice(0, 7);
    }
    case 'datetime-local': {
      const [datePart, timePart] = text.trim().split(/[T ](?=\d{1,2}:)/);
      return `${toIsoDate(datePart ?? '')}T${toIsoTime(timePart ?? '00:00')}`;
    }
    default:
      return text;
  }
}

export const NATIVE_DATE_TYPES = ['date', 'time', 'month', 'week', 'datetime-local'];
