// Datetimes users send (query filters, expiry fields): ISO 8601, with or without an offset. A
// naive one is UTC, as every timestamp this API sends is. Unparseable → 422 at `loc`.
import { validationError } from './errors.ts';

export function parseDateTimeInput(text: string | null | undefined, loc: (string | number)[]): Date | undefined {
  if (!text) return undefined;
  const value = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(value.getTime())) throw validationError(loc, 'Input should be a valid datetime', 'datetime_parsing');
  return value;
}
