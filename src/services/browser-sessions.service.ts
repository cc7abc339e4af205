// Persistent browser sessions as the API sees them: rows in Postgres, a job that a worker turns
// into a running Chromium, and messages to that worker (close, capture). The API never touches
// the browser itself.
import type { BrowserSessionResponse, CreateBrowserSessionRequest } from '../contracts/browser-sessions.ts';
import type { BrowserSessionRow } from '../db/repositories/browser-sessions.repo.ts';
import { ACTIVE_SESSION_WINDOW_MS, isSessionFinal, resolveSessionTimeout } from '../domain/browser-sessions.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../domain/errors.ts';
import { generateId, ID_PREFIX } from '../domain/ids.ts';
import { normalizeHttpUrl } from '../domain/urls.ts';
import { requireBrowserProfile } from './browser-profiles.service.ts';
import type { ServiceDeps } from './deps.ts';
import { presentBrowserSession } from './presenters/browser-session.presenter.ts';

const POLL_MS = 150;
// How long close waits for the session's worker to save state and stop the browser before
// ending the row itself (the worker may be gone; it stops the browser when it next looks).
const CLOSE_WAIT_MS = 10_000;

export const browserSessionNotFound = (id: string) => new NotFoundError(`Browser session not found. browser_session_id=${id}`);

export function browserSessionsService(deps: ServiceDeps) {
  const repo = deps.repos.browserSessions;
  const present = (row: BrowserSessionRow, warning?: string | null) => presentBrowserSession(row, deps.config.appUrl, { warning });

  async function requireSession(organizationId: string, id: string): Promise<BrowserSessionRow> {
    const row = await repo.get(organizationId, id);
    if (!row) throw browserSessionNotFound(id);
    return row;
  }

  /** Polls the row until `done` says so or `ms` pass; returns the last row read. */
  async function waitFor(id: string, ms: number, done: (row: BrowserSessionRow) => boolean): Promise<BrowserSessionRow | undefined> {
    const deadline = Date.now() + ms;
    let row = await repo.getById(id);
    while (row && !done(row) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      row = await repo.getById(id);
    }
    return row;
  }

  return {
    requireSession,

    /**
     * Inserts the session and hands it to a worker, then waits (BROWSER_SESSION_CREATE_WAIT_MS) for
     * its browser, so `browser_address` is usually in this very answer; if not, `GET` shows it once up.
     */
    async create(organizationId: string, body: CreateBrowserSessionRequest): Promise<BrowserSessionResponse> {
      const url = body.url ? normalizeHttpUrl(body.url, ['body', 'url']) : null;
      if (body.proxy_session_id && body.proxy_location !== 'RESIDENTIAL_ISP') {
        throw new BadRequestError('proxy_session_id is only supported with proxy_location RESIDENTIAL_ISP');
      }
      if (body.browser_profile_id) await requireBrowserProfile(deps, organizationId, body.browser_profile_id);
      const { minutes, warning } = resolveSessionTimeout(body.timeout, deps.config.browserSessions.maxTimeoutMinutes);
      const id = generateId(ID_PREFIX.browserSession);
      const row = await repo.insert({
        browserSessionId: id, organizationId, status: 'created', timeoutMinutes: minutes,
        browserProfileId: body.browser_profile_id ?? null, generateBrowserProfile: body.generate_browser_profile ?? false,
        request: { ...body, url, timeout: minutes },
      });
      try {
        await deps.browserSessionQueue.enqueue(id);
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message, browser_session_id: id }, 'session enqueue failed; reconciler will retry');
        return present(row, warning);
      }
      const waitMs = deps.config.browserSessions.createWaitMs;
      const latest = waitMs > 0 ? await waitFor(id, waitMs, (r) => r.status !== 'created') : undefined;
      return present(latest ?? row, warning);
    },

    /** Sessions not ended nor deleted and created in the last 24 hours (not paginated, like Skyvern). */
    async listActive(organizationId: string): Promise<BrowserSessionResponse[]> {
      const rows = await repo.listActive(organizationId, new Date(Date.now() - ACTIVE_SESSION_WINDOW_MS));
      return rows.map((r) => present(r));
    },

    async get(organizationId: string, id: string): Promise<BrowserSessionResponse> {
      return present(await requireSession(organizationId, id));
    },

    async update(organizationId: string, id: string, generateBrowserProfile: boolean): Promise<BrowserSessionResponse> {
      const row = await requireSession(organizationId, id);
      if (isSessionFinal(row.status)) throw new ConflictError(`Browser session ${id} has already ended (status ${row.status}); it can no longer be changed.`);
      const updated = await repo.setGenerateProfile(id, generateBrowserProfile);
      if (!updated) throw new ConflictError(`Browser session ${id} has already ended; it can no longer be changed.`);
      return present(updated);
    },

    /**
     * Ends the session. A session no worker has taken yet just ends; a running one is stopped by
     * its worker (which first saves its state when asked to) — or, if that worker does not answer,
     * ended here and stopped by the worker when it next renews its lease. Closing twice is fine.
     */
    async close(organizationId: string, id: string): Promise<{ message: string }> {
      const row = await requireSession(organizationId, id);
      if (!isSessionFinal(row.status)) {
        if (row.status === 'created' && (await repo.end(id, 'completed', { organizationId }))) {
          await deps.browserSessionQueue.discard(id).catch(() => {});
        } else {
          await deps.sessionControl.requestClose(id).catch((err) => deps.logger.warn({ err, browser_session_id: id }, 'session close publish failed'));
          const after = await waitFor(id, CLOSE_WAIT_MS, (r) => isSessionFinal(r.status));
          if (after && !isSessionFinal(after.status)) await repo.end(id, 'completed', { organizationId });
        }
      }
      return { message: 'Browser session closed' };
    },
  };
}
export type BrowserSessionsService = ReturnType<typeof browserSessionsService>;
