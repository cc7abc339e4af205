import { NotFoundError } from './errors.ts';

/**
 * This server keeps no browser sessions or profiles yet, so no ID can name one. An unknown ID is a
 * 404, as in Skyvern, rather than a run that silently starts in a fresh browser instead.
 */
export function rejectUnknownBrowserRefs(request: { browser_session_id?: unknown; browser_profile_id?: unknown }): void {
  if (request.browser_session_id) throw new NotFoundError(`Browser session not found. browser_session_id=${String(request.browser_session_id)}`);
  if (request.browser_profile_id) throw new NotFoundError(`Browser profile not found. browser_profile_id=${String(request.browser_profile_id)}`);
}
