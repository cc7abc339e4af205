// Secret values (one-time codes, stored credentials' passwords, card numbers, authenticator codes)
// never reach a prompt, an artifact or a step row. The model sees a placeholder such as {{secret:totp_code}}, types it like any text,
// and the real value is swapped in only at typing time. Every prompt is also passed through
// `redact`, so a value the page echoes back (a filled field, a confirmation) is masked too.

/** Produces a secret's value when it is first needed (a TOTP code is fetched at typing time). */
export type SecretResolver = (signal: AbortSignal) => Promise<string>;

interface SecretEntry {
  name: string;
  /** Told to the model so it knows when to use the placeholder. */
  description: string;
  resolve: SecretResolver;
  /** Values handed out so far; kept to redact them wherever they show up again. */
  seen: Set<string>;
  /** One-time codes must be fetched fresh on every use; static secrets are fetched once. */
  fresh: boolean;
  /** The value may be a sign-in link (magic link) instead of a code: "typing" it opens it. */
  mayBeLink: boolean;
  cached?: string;
}

/** A secret the caller hands the agent: a value known up front, or one produced at typing time (always fresh). */
export interface ProvidedSecret {
  /** Placeholder name: lowercase letters, digits and `_`. */
  name: string;
  description: string;
  value?: string;
  resolve?: SecretResolver;
}

/** What typing a text means once its placeholders are filled: the text, or a sign-in link to open instead. */
export type FilledInput = { text: string } | { link: string };

const LINK = /^https?:\/\/\S+$/i;

/** Thrown when a placeholder cannot be filled; the message is written for the model and the user. */
export class SecretUnavailable extends Error {
  constructor(readonly secretName: string, message: string, readonly errorCode = 'OTP_ERROR') {
    super(message);
  }
}

// Source only: a shared global RegExp carries lastIndex between calls, so each use builds its own.
const PLACEHOLDER_SOURCE = String.raw`\{\{\s*secret\s*:\s*([a-z0-9_]+)\s*\}\}`;
const placeholderPattern = (flags: string) => new RegExp(PLACEHOLDER_SOURCE, flags);

export function placeholderFor(name: string): string {
  return `{{secret:${name}}}`;
}

export class SecretVault {
  private readonly entries = new Map<string, SecretEntry>();

  /** `fresh`: resolve again on every use (one-time codes); otherwise resolve once and reuse. */
  add(name: string, description: string, resolve: SecretResolver, opts: { fresh?: boolean; mayBeLink?: boolean } = {}): string {
    const key = name.toLowerCase();
    this.entries.set(key, { name: key, description, resolve, seen: new Set(), fresh: opts.fresh ?? false, mayBeLink: opts.mayBeLink ?? false });
    return placeholderFor(key);
  }

  addProvided(secret: ProvidedSecret): string {
    if (secret.value !== undefined) return this.addValue(secret.name, secret.description, secret.value);
    return this.add(secret.name, secret.description, secret.resolve ?? (async () => ''), { fresh: true });
  }

  /** A secret whose value is known up front (e.g. a password from a credential). */
  addValue(name: string, description: string, value: string): string {
    const placeholder = this.add(name, description, async () => value);
    this.entries.get(name.toLowerCase())!.seen.add(value);
    return placeholder;
  }

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  /** Lines for the prompt: each placeholder and when to use it. */
  describe(): string[] {
    return [...this.entries.values()].map((e) => `${placeholderFor(e.name)}: ${e.description}`);
  }

  /** Replaces every known secret value in `text` with its placeholder. */
  redact(text: string): string {
    let out = text;
    for (const entry of this.entries.values()) {
      // Longest first, so a value that contains another is masked whole.
      for (const value of [...entry.seen].sort((a, b) => b.length - a.length)) {
        const pattern = maskPattern(value);
        if (pattern) out = out.replace(pattern, placeholderFor(entry.name));
      }
    }
    return out;
  }

  /** Deep-redacts strings inside a JSON-like value (step records, artifacts). */
  redactValue<T>(value: T): T {
    if (this.isEmpty) return value;
    // String by string: masking the JSON text could turn a number into a placeholder and break it.
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (typeof v === 'number') { const text = String(v); const masked = this.redact(text); return masked === text ? v : masked; }
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
      return v;
    };
    return walk(JSON.parse(JSON.stringify(value ?? null))) as T;
  }

  hasPlaceholder(text: string): boolean {
    return placeholderPattern('i').test(text);
  }

  /**
   * Like `fill`, for text about to be typed: when the text is just the placeholder of a one-time
   * code and the code turned out to be a sign-in link, the link is returned to be opened instead.
   */
  async fillInput(text: string, signal: AbortSignal): Promise<FilledInput> {
    const filled = await this.fill(text, signal);
    const only = placeholderPattern('i').exec(text.trim());
    const entry = only && only[0] === text.trim() ? this.entries.get(only[1]!.toLowerCase()) : undefined;
    return entry?.mayBeLink && LINK.test(filled.trim()) ? { link: filled.trim() } : { text: filled };
  }

  /** The text with placeholders replaced by real values; only ever passed to the browser. */
  async fill(text: string, signal: AbortSignal): Promise<string> {
    const names = [...text.matchAll(placeholderPattern('gi'))].map((m) => m[1]!.toLowerCase());
    let out = text;
    for (const name of new Set(names)) {
      const entry = this.entries.get(name);
      if (!entry) throw new SecretUnavailable(name, `unknown placeholder ${placeholderFor(name)}; only these exist: ${this.describe().join('; ') || 'none'}`, 'UNKNOWN_SECRET');
      const value = entry.fresh || entry.cached === undefined ? await entry.resolve(signal) : entry.cached;
      entry.cached = value;
      entry.seen.add(value);
      out = out.replace(placeholderPattern('gi'), (match, found: string) => (found.toLowerCase() === name ? value : match));
    }
    return out;
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * How a secret is found in text. One or two characters would mask ordinary text, so they are not
 * masked. Short values (a CVV, a PIN) only count as whole tokens, so "123" does not eat "$1234".
 * Long digit strings (card numbers) also match as the page formats them: "4242 4242-4242 4242".
 */
function maskPattern(value: string): RegExp | undefined {
  if (value.length < 3) return undefined;
  if (/^\d{8,}$/.test(value)) return new RegExp(value.split('').join('[\\s-]?'), 'g');
  const body = escapeRegExp(value);
  return value.length < 6 ? new RegExp(`(?<![A-Za-z0-9])${body}(?![A-Za-z0-9])`, 'g') : new RegExp(body, 'g');
}
