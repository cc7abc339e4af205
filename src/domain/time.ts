// Skyvern serialises naive UTC datetimes (no `Z`, microseconds). The SDKs and user code compare
// them with naive datetimes, so every timestamp we send has exactly that one style.
export function toWireTime(d: Date | null | undefined): string | null {
  if (!d) return null;
  return d.toISOString().replace('Z', '000');
}

export function toWireTimeRequired(d: Date): string {
  return d.toISOString().replace('Z', '000');
}
