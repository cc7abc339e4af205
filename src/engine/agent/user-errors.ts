// error_code_mapping: the user's own error codes. The model may attach codes to terminate or
// complete; only codes the user defined are kept. When it names none, a code (or its description)
// mentioned in the model's reason still counts, as in Skyvern.
import type { UserErrorClaim } from './actions.ts';
import type { ReportedError } from './types.ts';

export function userDefinedErrors(
  claims: UserErrorClaim[] | undefined,
  mapping: Record<string, string> | null | undefined,
  reasonText?: string,
): ReportedError[] {
  if (!mapping || Object.keys(mapping).length === 0) return [];
  const codes = Object.keys(mapping);
  const canonical = (code: string) => codes.find((c) => c.toLowerCase() === code.trim().toLowerCase());
  const out: ReportedError[] = [];
  for (const claim of claims ?? []) {
    const code = canonical(claim.error_code);
    if (!code || out.some((e) => e.error_code === code)) continue;
    out.push(reported(code, claim.reasoning || reasonText || mapping[code]!, claim.confidence_float));
  }
  if (out.length > 0 || !reasonText) return out;
  const text = reasonText.toLowerCase();
  for (const code of codes) {
    const byCode = new RegExp(`\\b${escapeRegExp(code.toLowerCase())}\\b`).test(text);
    const description = mapping[code]!.toLowerCase().trim();
    if (byCode || (description.length >= 8 && text.includes(description))) out.push(reported(code, reasonText, byCode ? 0.9 : 0.7));
  }
  return out;
}

function reported(code: string, reasoning: string, confidence?: number): ReportedError {
  const c = typeof confidence === 'number' && Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 1;
  return { error_code: code, reasoning, confidence_float: c, error_type: 'user_defined' };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
