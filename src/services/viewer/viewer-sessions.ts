// Signing in to the run viewer with an API key. The browser keeps the key sealed (AES-GCM under
// the server's key) in an HttpOnly cookie, with an expiry inside the seal; every request opens it
// and authenticates the key again (cached), so a revoked key ends its viewer sessions too, and no
// session table is needed. The CSRF token of a session is an HMAC of its cookie.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthError } from '../../domain/errors.ts';
import type { OrganizationsService } from '../organizations.service.ts';
import { decryptSecret, encryptSecret } from '../secrets.ts';

export const VIEWER_SESSION_SECONDS = 12 * 3600;

export interface ViewerSession { organizationId: string; csrfToken: string }

export function viewerSessions(deps: { serverSecret: string; organizations: OrganizationsService; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const csrfOf = (cookie: string) => createHmac('sha256', deps.serverSecret).update(`viewer-csrf:${cookie}`).digest('base64url');

  return {
    /** Checks the key and returns the cookie value that stands for it. */
    async signIn(apiKey: string): Promise<string> {
      await deps.organizations.authenticate(apiKey.trim());
      return encryptSecret(deps.serverSecret, JSON.stringify({ k: apiKey.trim(), exp: now() + VIEWER_SESSION_SECONDS * 1000 }));
    },

    async open(cookie: string | undefined): Promise<ViewerSession> {
      if (!cookie) throw new AuthError('Sign in with an API key');
      let sealed: { k?: unknown; exp?: unknown };
      try { sealed = JSON.parse(decryptSecret(deps.serverSecret, cookie)) as typeof sealed; } catch { throw new AuthError('Sign in with an API key'); }
      if (typeof sealed.k !== 'string' || typeof sealed.exp !== 'number' || sealed.exp < now()) throw new AuthError('Your viewer session ended; sign in again');
      const org = await deps.organizations.authenticate(sealed.k);
      return { organizationId: org.organizationId, csrfToken: csrfOf(cookie) };
    },

    checkCsrf(session: ViewerSession, given: unknown): boolean {
      if (typeof given !== 'string') return false;
      const a = Buffer.from(given);
      const b = Buffer.from(session.csrfToken);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}

export type ViewerSessions = ReturnType<typeof viewerSessions>;
