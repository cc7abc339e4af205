// The run viewer: server-rendered pages on the API's own port (docs/run-viewer.md). Its routes skip
// the API's x-api-key check and use the viewer's session cookie instead; POSTs need the session's
// CSRF token and a same-origin Origin. Errors render as pages, not JSON.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, AuthError, NotFoundError } from '../domain/errors.ts';
import { RUN_STATUSES, RUN_TYPES } from '../domain/run-status.ts';
import { VIEWER_SESSION_SECONDS, type ViewerSession } from '../services/viewer/viewer-sessions.ts';
import type { RunListFilters } from '../services/viewer/types.ts';
import { serveAssets } from './assets.ts';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from './cookies.ts';
import { html, type Html } from './html.ts';
import { liveStreams } from './live.ts';
import { credentialsPage } from './pages/credentials.ts';
import { page, type PageContext } from './pages/layout.ts';
import { loginPage } from './pages/login.ts';
import { runDetailPage, runFragment } from './pages/run-detail.ts';
import { runsListPage } from './pages/runs-list.ts';
import { sessionPage, sessionsPage } from './pages/sessions.ts';
import { workflowPage, workflowsPage, type ScheduleLine } from './pages/workflows.ts';
import type { ViewerDeps } from './types.ts';

const CSP = "default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const DONE_MESSAGES: Record<string, string> = {
  canceled: 'Cancel requested: the run stops within seconds.', webhook: 'The webhook is being sent again.', rerun: 'Started again as a new run.',
  'session-opened': 'Browser session opened.', 'session-closed': 'Browser session closed.',
};

declare module 'fastify' { interface FastifyRequest { viewer?: ViewerSession } }

export async function registerViewer(app: FastifyInstance, deps: ViewerDeps): Promise<void> {
  const live = liveStreams(deps);
  app.addHook('onClose', async () => live.closeAll());
  await app.register(async (ui) => {
    ui.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    ui.addHook('onSend', async (_req, reply, payload) => { reply.header('content-security-policy', CSP).header('referrer-policy', 'same-origin'); return payload; });
    ui.setErrorHandler((error, request, reply) => renderError(error as Error & { statusCode?: number }, request, reply));
    serveAssets(ui);
    registerPages(ui, deps, live);
  });
}

/** Signed-in routes: the session or a redirect to sign in (401 for streams and fragments). */
async function requireSession(deps: ViewerDeps, request: FastifyRequest, reply: FastifyReply): Promise<ViewerSession | undefined> {
  try {
    request.viewer = await deps.sessions.open(readCookie(request.headers.cookie, SESSION_COOKIE));
    return request.viewer;
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    const wantsPage = request.method === 'GET' && !/\/(events|fragment)$/.test(request.url.split('?')[0]!);
    if (wantsPage) await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    else await reply.status(401).type('text/plain').send('Sign in to the viewer first.');
    return undefined;
  }
}

/** POSTs: the session's CSRF token in the form, and (when the browser says) the same origin. */
function checkPost(deps: ViewerDeps, session: ViewerSession, request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    let host: string | undefined;
    try { host = new URL(origin).host; } catch { host = undefined; }
    if (host !== request.headers.host) throw new AppError('csrf', 403, 'Cross-site request refused.');
  }
  if (!deps.sessions.checkCsrf(session, (request.body as Record<string, unknown> | undefined)?.csrf)) throw new AppError('csrf', 403, 'The form expired: reload the page and try again.');
}

const ctxOf = (session: ViewerSession, request: FastifyRequest): PageContext => ({ csrfToken: session.csrfToken, path: request.url });
const sendHtml = (reply: FastifyReply, body: Html, status = 200) => reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.text);
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/(?!\/)/.test(next) && !next.includes('\\') ? next : '/runs');

function registerPages(ui: FastifyInstance, deps: ViewerDeps, live: ReturnType<typeof liveStreams>): void {
  const pub = { config: { public: true }, schema: { hide: true } };
  const signedIn = (handler: (session: ViewerSession, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const session = await requireSession(deps, request, reply);
      if (!session) return reply;
      if (request.method === 'POST') checkPost(deps, session, request);
      return handler(session, request, reply);
    };
  const param = (request: FastifyRequest, name: string) => String((request.params as Record<string, string>)[name] ?? '');
  const done = (request: FastifyRequest) => DONE_MESSAGES[String((request.query as Record<string, unknown>).done ?? '')];

  ui.get('/', pub, async (_req, reply) => reply.redirect('/runs', 302));
  ui.get('/login', pub, async (request, reply) => sendHtml(reply, loginPage({ next: safeNext((request.query as Record<string, unknown>).next) })));
  ui.post('/login', pub, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    try {
      const cookie = await deps.sessions.signIn(String(body.api_key ?? ''));
      return reply.header('set-cookie', sessionCookie(cookie, VIEWER_SESSION_SECONDS, deps.secureCookies)).redirect(next, 303);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      return sendHtml(reply, loginPage({ error: 'That API key is not valid here.', next }), 401);
    }
  });
  ui.post('/logout', pub, signedIn(async (_s, _req, reply) => reply.header('set-cookie', clearedSessionCookie(deps.secureCookies)).redirect('/login', 303)));

  ui.get('/runs', pub, signedIn(async (session, request, reply) => {
    const filters = parseFilters(request.query as Record<string, unknown>);
    return sendHtml(reply, runsListPage(ctxOf(session, request), filters, await deps.viewer.listRuns(session.organizationId, filters)));
  }));
  ui.get('/runs/:runId', pub, signedIn(async (session, request, reply) => {
    const detail = await deps.viewer.runDetail(session.organizationId, param(request, 'runId'));
    const text = done(request);
    return sendHtml(reply, runDetailPage(ctxOf(session, request), detail, text ? { text, kind: 'ok' } : undefined));
  }));
  ui.get('/runs/:runId/fragment', pub, signedIn(async (session, request, reply) =>
    sendHtml(reply, runFragment(ctxOf(session, request), await deps.viewer.runDetail(session.organizationId, param(request, 'runId'))))));
  ui.get('/runs/:runId/events', pub, signedIn(async (session, request, reply) => live.open(request, reply, session.organizationId, param(request, 'runId'))));
  ui.post('/runs/:runId/cancel', pub, signedIn(async (session, request, reply) => {
    await deps.viewer.cancel(session.organizationId, param(request, 'runId'));
    return reply.redirect(`/runs/${encodeURIComponent(param(request, 'runId'))}?done=canceled`, 303);
  }));
  ui.post('/runs/:runId/retry-webhook', pub, signedIn(async (session, request, reply) => {
    await deps.viewer.retryWebhook(session.organizationId, param(request, 'runId'));
    return reply.redirect(`/runs/${encodeURIComponent(param(request, 'runId'))}?done=webhook`, 303);
  }));
  ui.post('/runs/:runId/rerun', pub, signedIn(async (session, request, reply) => {
    const runId = await deps.viewer.rerun(session.organizationId, param(request, 'runId'));
    return reply.redirect(`/runs/${encodeURIComponent(runId)}?done=rerun`, 303);
  }));

  ui.get('/workflows', pub, signedIn(async (session, request, reply) => {
    const org = session.organizationId;
    const workflows = await deps.services.workflows.list(org, { page: 1, page_size: 100 });
    const rows = await Promise.all(workflows.map(async (workflow) => ({
      workflow, lastRun: (await deps.services.runs.listRuns(org, { workflow_permanent_id: [workflow.workflowPermanentId], page_size: 1 }))[0],
    })));
    return sendHtml(reply, workflowsPage(ctxOf(session, request), rows));
  }));
  ui.get('/workflows/:wpid', pub, signedIn(async (session, request, reply) => {
    const org = session.organizationId;
    const wpid = param(request, 'wpid');
    const versions = await deps.services.workflows.versions(org, wpid);
    if (!versions.length) throw new NotFoundError(`Workflow not found ${wpid}`);
    const [runs, schedules] = await Promise.all([
      deps.services.runs.listRuns(org, { workflow_permanent_id: [wpid], page_size: 10 }),
      schedulesOf(deps, org, wpid),
    ]);
    return sendHtml(reply, workflowPage(ctxOf(session, request), versions, runs, schedules));
  }));

  ui.get('/browser-sessions', pub, signedIn(async (session, request, reply) =>
    sendHtml(reply, sessionsPage(ctxOf(session, request), await deps.services.browserSessions.listActive(session.organizationId), done(request)))));
  ui.post('/browser-sessions', pub, signedIn(async (session, _request, reply) => {
    const created = await deps.services.browserSessions.create(session.organizationId, {});
    return reply.redirect(`/browser-session/${encodeURIComponent(created.browser_session_id)}?done=session-opened`, 303);
  }));
  ui.get('/browser-session/:id', pub, signedIn(async (session, request, reply) =>
    sendHtml(reply, sessionPage(ctxOf(session, request), await deps.services.browserSessions.get(session.organizationId, param(request, 'id')), done(request)))));
  ui.post('/browser-session/:id/close', pub, signedIn(async (session, request, reply) => {
    await deps.services.browserSessions.close(session.organizationId, param(request, 'id'));
    return reply.redirect('/browser-sessions?done=session-closed', 303);
  }));

  ui.get('/credentials', pub, signedIn(async (session, request, reply) =>
    sendHtml(reply, credentialsPage(ctxOf(session, request), await deps.services.credentials.list(session.organizationId, { page: 1, page_size: 100 })))));
}

async function schedulesOf(deps: ViewerDeps, org: string, wpid: string): Promise<ScheduleLine[]> {
  try {
    const { schedules } = await deps.services.schedules.list(org, wpid);
    return await Promise.all(schedules.map(async (s) => ({
      id: s.workflow_schedule_id, name: s.name, cron: s.cron_expression, timezone: s.timezone, enabled: s.enabled,
      nextRuns: s.enabled ? (await deps.services.schedules.get(org, wpid, s.workflow_schedule_id)).next_runs : [],
    })));
  } catch (err) {
    if (err instanceof AppError && err.status === 501) return []; // schedules turned off on this server
    throw err;
  }
}

const clean = (v: unknown, max = 200): string | undefined => {
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/[\u0000-\u001f\ud800-\udfff]/g, '').trim().slice(0, max);
  return s || undefined;
};
const dateOf = (v: unknown): Date | undefined => {
  const s = clean(v, 10);
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/** Filters from the query string; anything unusable is ignored rather than refused (it is a page). */
export function parseFilters(q: Record<string, unknown>): RunListFilters {
  const status = clean(q.status);
  const type = clean(q.type);
  const to = dateOf(q.to);
  const page = Math.trunc(Number(clean(q.page, 6) ?? 1));
  return {
    status: status && (RUN_STATUSES as readonly string[]).includes(status) ? status : undefined,
    type: type && (RUN_TYPES as readonly string[]).includes(type) ? type : undefined,
    workflow: clean(q.workflow), tag: clean(q.tag), search: clean(q.q),
    from: dateOf(q.from), before: to ? new Date(to.getTime() + 86_400_000) : undefined,
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, 10_000) : 1,
  };
}

function renderError(error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) {
  const status = error instanceof AppError ? error.status : error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
  if (status >= 500) request.log.error({ err: error }, 'run viewer error');
  const message = status >= 500 ? 'Something went wrong on the server; the log has the details.' : error.message;
  const ctx = request.viewer ? { csrfToken: request.viewer.csrfToken, path: request.url } : undefined;
  return sendHtml(reply, page(`${status}`, html`<section class="error-page"><h1>${status === 404 ? 'Not found' : status === 403 ? 'Refused' : 'Error'}</h1><p>${message}</p><p><a href="/runs">Back to runs</a></p></section>`, ctx), status);
}
