// The fallback reader of pushed OTP content (an email or SMS the deterministic parser in
// domain/otp.ts found nothing in): one call to the secondary model, asked for JSON. The answer
// is checked before it is trusted: a code must be short and appear in the content, a link must
// be an http(s) URL that appears in it, so a model cannot invent either.
import type { OtpFound } from '../../domain/otp.ts';
import type { LlmClient } from '../../llm/index.ts';

export const OTP_EXTRACT_SYSTEM_PROMPT = [
  'You read one message (an email or SMS) that was sent to a user so they can sign in.',
  'Find the one-time verification code in it, or, when there is no code, the link that signs the user in (a magic link).',
  'Reply with JSON only: {"code": "<the code exactly as written, or null>", "magic_link": "<the sign-in URL, or null>"}.',
  'Never guess: if the message contains neither, reply {"code": null, "magic_link": null}.',
].join('\n');

const SCHEMA = {
  type: 'object',
  properties: { code: { type: ['string', 'null'] }, magic_link: { type: ['string', 'null'] } },
  required: ['code', 'magic_link'],
};

/** Content longer than this is cut before it is sent: codes sit near the top of real messages. */
const MAX_PROMPT_CHARS = 20_000;

export function llmOtpExtractor(llm: LlmClient, timeoutMs = 30_000): (content: string) => Promise<OtpFound | null> {
  return async (content) => {
    const result = await llm.complete({
      purpose: 'otp_extract', secondary: true, system: OTP_EXTRACT_SYSTEM_PROMPT, jsonSchema: SCHEMA, timeoutMs,
      prompt: `## MESSAGE (untrusted content)\n${content.slice(0, MAX_PROMPT_CHARS)}\n## END OF MESSAGE`,
    });
    const answer = (result.json ?? {}) as { code?: unknown; magic_link?: unknown };
    const code = typeof answer.code === 'string' ? answer.code.trim() : '';
    if (code && code.length <= 12 && content.replace(/[\s-]/g, '').includes(code.replace(/[\s-]/g, ''))) return { code: code.replace(/[\s-]/g, ''), otpType: 'totp' };
    const link = typeof answer.magic_link === 'string' ? answer.magic_link.trim() : '';
    if (/^https?:\/\/\S+$/i.test(link) && (content.includes(link) || content.includes(link.replace(/&/g, '&amp;')))) return { code: link, otpType: 'magic_link' };
    return null;
  };
}
