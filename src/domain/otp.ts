// One-time codes pushed for `totp_identifier` runs: what counts as the code in a pushed email or
// SMS, and how identifiers are compared. Deterministic on purpose: the same content always gives
// the same answer, and the common shapes ("Your code is 123 456", "482913 is your verification
// code", an email with a sign-in link) need no model.

export interface OtpFound {
  /** The code, or the URL of a magic link. */
  code: string;
  otpType: 'totp' | 'magic_link';
}

/** Content this short (after trimming) is the code itself (Skyvern's rule). */
export const VERBATIM_MAX_CHARS = 10;
/** Longer content nothing could be read from is stored raw up to this size (TOTP_RAW_CONTENT_MAX_LENGTH). */
export const RAW_CONTENT_MAX_CHARS = 65_536;
/** How long a pushed code stays usable for a run (TOTP_LIFESPAN_MINUTES). */
export const TOTP_LIFESPAN_MINUTES = 10;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails compare case-insensitively; every identifier is trimmed. */
export function normalizeTotpIdentifier(identifier: string): string {
  const trimmed = identifier.trim();
  return EMAIL.test(trimmed) ? trimmed.toLowerCase() : trimmed;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`)\]]+/gi;
const isUrl = (text: string) => /^https?:\/\/\S+$/i.test(text);

export function parseOtpContent(content: string): OtpFound | null {
  const trimmed = content.trim();
  if (!trimmed) return null;
  if (trimmed.length <= VERBATIM_MAX_CHARS) return { code: trimmed, otpType: 'totp' };
  if (isUrl(trimmed)) return { code: trimmed, otpType: 'magic_link' };
  const { text, links } = plainText(trimmed);
  const code = findCode(text.replace(URL_IN_TEXT, ' '));
  if (code) return { code, otpType: 'totp' };
  const link = findMagicLink(text, links);
  return link ? { code: link, otpType: 'magic_link' } : null;
}

/** Text of an HTML email (tags dropped, common entities decoded) and the links its anchors point to. */
function plainText(content: string): { text: string; links: string[] } {
  if (!/<[a-z][^>]*>/i.test(content)) return { text: content, links: [] };
  const links = [...content.matchAll(/<a\b[^>]*\bhref\s*=\s*["']([^"']+)["']/gi)].map((m) => decodeEntities(m[1]!)).filter(isUrl);
  const text = decodeEntities(content
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<(br|\/p|\/div|\/tr|\/h\d|\/li)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' '));
  return { text, links };
}

function decodeEntities(text: string): string {
  return text.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'").replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

const CODE_WORDS = /\b(?:(?:verification|security|login|sign[- ]?in|access|confirmation|auth(?:entication)?|one[- ]time|2fa|mfa)\s+)?(?:code|otp|passcode|pass code|pin|token)\b|\bverif(?:y|ication)\b|\bone[- ]time password\b|\b2fa\b|\btwo[- ]factor\b/gi;
// Digits (4-8, or two groups of 3 like "123 456"), or an upper-case code mixing letters and digits.
const CANDIDATE = /(?<![\w@.])(\d{3}[ -]\d{3}|\d{4,8}|(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{4,10})(?![\w@]|\.\d)/g;
/** A code this far (in characters) from a keyword still counts as "near" it. */
const NEAR_CHARS = 80;

function findCode(text: string): string | undefined {
  const words = [...text.matchAll(CODE_WORDS)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
  const candidates = [...text.matchAll(CANDIDATE)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, value: m[1]!.replace(/[ -]/g, '') }));
  let best: { value: string; score: number } | undefined;
  for (const c of candidates) {
    const distances = words.map((w) => (c.start >= w.end ? c.start - w.end : w.start >= c.end ? w.start - c.end + 10 : Infinity));
    let score = Math.min(Infinity, ...distances);
    if (score > NEAR_CHARS) continue;
    // Years and short numbers are weaker than the six-digit codes most sites send.
    if (/^(19|20)\d\d$/.test(c.value)) score += 40;
    if (c.value.length !== 6) score += 5;
    if (!best || score < best.score) best = { value: c.value, score };
  }
  if (best) return best.value;
  // No keyword at all: a single six-digit number is still almost certainly the code ("Acme: 482913").
  const sixes = [...new Set(candidates.map((c) => c.value).filter((v) => /^\d{6}$/.test(v)))];
  return words.length === 0 && sixes.length === 1 ? sixes[0] : undefined;
}

const LINK_URL_WORDS = /login|log-in|signin|sign-in|sign_in|magic|verify|verification|confirm|auth|token|otp|session|passwordless|access/i;
const LINK_TEXT_WORDS = /sign[- ]?in|log[- ]?in|magic link|verify|confirm|click|tap|open this link|access your account/i;
const NOT_A_LOGIN_LINK = /unsubscribe|privacy|terms|help|support|preferences|facebook|twitter|linkedin|instagram|\.(png|jpe?g|gif|svg)(\?|$)/i;

function findMagicLink(text: string, links: string[]): string | undefined {
  const inText = [...text.matchAll(URL_IN_TEXT)].map((m) => ({ url: m[0].replace(/[.,;:!?]+$/, ''), before: text.slice(Math.max(0, m.index! - 100), m.index!) }));
  const all = [...links.map((url) => ({ url, before: '' })), ...inText].filter((l) => !NOT_A_LOGIN_LINK.test(l.url));
  const unique = [...new Map(all.map((l) => [l.url, l])).values()];
  if (unique.length === 0) return undefined;
  const scored = unique.map((l) => ({ url: l.url, score: (LINK_URL_WORDS.test(l.url) ? 2 : 0) + (LINK_TEXT_WORDS.test(l.before) ? 1 : 0) }))
    .sort((a, b) => b.score - a.score);
  if (scored[0]!.score > 0) return scored[0]!.url;
  return unique.length === 1 ? unique[0]!.url : undefined;
}
