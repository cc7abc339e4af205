// A run may name a persistent browser session and/or a browser profile. Both are checked when the
// run is submitted, so a typo is a 404 now rather than a run that quietly starts in a fresh browser.
import { isSessionFinal, sessionEndedReason } from '../domain/browser-sessions.ts';
import { BadRequestError, validationError } from '../domain/errors.ts';
import { requireBrowserProfile } from './browser-profiles.service.ts';
import { browserSessionNotFound } from './browser-sessions.service.ts';
import type { ServiceDeps } from './deps.ts';

export interface BrowserRefs { browser_session_id?: unknown; browser_profile_id?: unknown; browser_address?: unknown }

export async function checkBrowserRefs(deps: Pick<ServiceDeps, 'repos'>, organizationId: string, request: BrowserRefs): Promise<void> {
  const sessionId = request.browser_session_id ? String(request.browser_session_id) : undefined;
  if (sessionId) {
    if (request.browser_address) throw validationError(['body', 'browser_session_id'], 'browser_session_id cannot be combined with browser_address');
    const session = await deps.repos.browserSessions.get(organizationId, sessionId);
    if (!session) throw browserSessionNotFound(sessionId);
    if (isSessionFinal(session.status)) throw new BadRequestError(sessionEndedReason(sessionId, session.status));
  }
  if (request.browser_profile_id) await requireBrowserProfile(deps, organizationId, String(request.browser_profile_id));
}
