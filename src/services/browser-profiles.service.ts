// Browser profiles (`bp_…`): saved browser state (Playwright storage state: cookies and
// localStorage per origin) that seeds new sessions and runs. Made blank, from a session (live:
// its worker captures the state; ended: the state it saved at its end), or from a workflow run
// of a `persist_browser_session` workflow (the state that run saved).
import { randomBytes } from 'node:crypto';
import type { BrowserProfile, BrowserProfileListQuery, CreateBrowserProfileRequest, UpdateBrowserProfileRequest } from '../contracts/browser-sessions.ts';
import type { BrowserProfileRow } from '../db/repositories/browser-profiles.repo.ts';
import type { WorkflowCreateYamlRequest } from '../domain/workflow/index.ts';
import { BadRequestError, ConflictError, NotFoundError, validationError } from '../domain/errors.ts';
import { generateId, ID_PREFIX } from '../domain/ids.ts';
import type { ServiceDeps } from './deps.ts';
import { presentBrowserProfile, type ProfileSettings } from './presenters/browser-session.presenter.ts';

// A live session's worker is asked for its state; it answers in well under a second unless the
// browser is busy navigating to each saved origin.
const CAPTURE_TIMEOUT_MS = 20_000;
const EMPTY_STATE = { cookies: [], origins: [] };

export const browserProfileNotFound = (id: string) => new NotFoundError(`Browser profile not found. browser_profile_id=${id}`);

export async function requireBrowserProfile(deps: Pick<ServiceDeps, 'repos'>, organizationId: string, id: string): Promise<BrowserProfileRow> {
  const row = await deps.repos.browserProfiles.get(organizationId, id);
  if (!row) throw browserProfileNotFound(id);
  return row;
}

const duplicateName = (name: string) => new ConflictError(`A browser profile named '${name}' already exists in this organization. Choose another name.`);

function trimmedName(name: string | null | undefined, loc: string[]): string | undefined {
  if (name === undefined || name === null) return undefined;
  const trimmed = name.trim();
  if (!trimmed) throw validationError(loc, 'String should have at least 1 character', 'string_too_short');
  return trimmed;
}

export function browserProfilesService(deps: ServiceDeps) {
  const repo = deps.repos.browserProfiles;

  async function stateFromSession(organizationId: string, id: string): Promise<unknown> {
    const session = await deps.repos.browserSessions.get(organizationId, id);
    if (!session) throw new NotFoundError(`Browser session not found. browser_session_id=${id}`);
    if (session.status === 'created') throw new BadRequestError(`Browser session ${id} has not started yet; try again once it is running.`);
    if (session.status === 'running') {
      const reply = await deps.sessionControl.captureState(id, CAPTURE_TIMEOUT_MS);
      if (reply && 'state' in reply) return reply.state;
      throw new BadRequestError(`Could not read the browser state of session ${id}${reply ? `: ${reply.error}` : ': its worker did not answer'}. Try again.`);
    }
    if (session.savedState) return session.savedState;
    throw new BadRequestError(`Browser session ${id} ended without saving its browser state. Sessions keep their state when they end only if created with generate_browser_profile=true (or PATCHed to it) or started from a browser profile.`);
  }

  async function stateFromWorkflowRun(organizationId: string, runId: string): Promise<unknown> {
    const run = await deps.repos.runs.get(organizationId, runId);
    if (!run || run.runType !== 'workflow_run') throw new NotFoundError(`Workflow run not found ${runId}`);
    const workflow = run.workflowId ? await deps.repos.workflows.byId(run.workflowId) : undefined;
    if (!(workflow?.request as WorkflowCreateYamlRequest | undefined)?.persist_browser_session) throw new BadRequestError('Workflow does not persist browser sessions');
    const saved = await deps.repos.workflows.browserStateSavedBy(organizationId, runId);
    if (saved) return saved.storageState;
    throw new BadRequestError(`Workflow run does not have a persisted session: only a completed run saves its browser state, and only until the workflow's next completed run (or a reset_profile) replaces it.`);
  }

  return {
    async create(organizationId: string, body: CreateBrowserProfileRequest): Promise<BrowserProfile> {
      const name = trimmedName(body.name, ['body', 'name'])!;
      if (body.browser_session_id && body.workflow_run_id) {
        throw validationError(['body'], 'Value error, Provide either browser_session_id or workflow_run_id, not both');
      }
      const state = body.browser_session_id ? await stateFromSession(organizationId, body.browser_session_id)
        : body.workflow_run_id ? await stateFromWorkflowRun(organizationId, body.workflow_run_id)
          : EMPTY_STATE;
      const settings: ProfileSettings = { proxy_location: body.proxy_location ?? null, proxy_session_id: body.proxy_session_id ?? null };
      const row = await repo.insert({
        browserProfileId: generateId(ID_PREFIX.browserProfile), organizationId, name, description: body.description ?? null, state,
        sourceBrowserSessionId: body.browser_session_id ?? null, sourceWorkflowRunId: body.workflow_run_id ?? null, settings,
      });
      if (row === 'duplicate') throw duplicateName(name);
      return presentBrowserProfile(row);
    },

    async list(organizationId: string, q: BrowserProfileListQuery): Promise<BrowserProfile[]> {
      // Every profile here is user-made: none is managed by a workflow.
      if (q.managed === true) return [];
      const rows = await repo.list({ organizationId, page: q.page ?? 1, pageSize: q.page_size ?? 10, includeDeleted: q.include_deleted ?? false, searchKey: q.search_key });
      return rows.map(presentBrowserProfile);
    },

    async get(organizationId: string, id: string): Promise<BrowserProfile> {
      return presentBrowserProfile(await requireBrowserProfile(deps, organizationId, id));
    },

    async update(organizationId: string, id: string, body: UpdateBrowserProfileRequest): Promise<BrowserProfile> {
      const fields = ['name', 'description', 'proxy_location', 'proxy_session_id'] as const;
      if (!fields.some((f) => body[f] !== undefined) && !body.rotate_proxy_session_id) {
        throw validationError(['body'], 'Value error, At least one field must be provided to update');
      }
      const current = await requireBrowserProfile(deps, organizationId, id);
      const name = trimmedName(body.name, ['body', 'name']);
      const settings = { ...(current.settings as ProfileSettings) };
      if (body.proxy_location !== undefined) settings.proxy_location = body.proxy_location;
      if (body.proxy_session_id !== undefined) settings.proxy_session_id = body.proxy_session_id;
      if (body.rotate_proxy_session_id) settings.proxy_session_id = randomBytes(8).toString('hex');
      const updated = await repo.update(organizationId, id, {
        ...(name !== undefined ? { name } : {}), ...(body.description !== undefined ? { description: body.description } : {}), settings,
      });
      if (updated === 'duplicate') throw duplicateName(name!);
      if (!updated) throw browserProfileNotFound(id);
      return presentBrowserProfile(updated);
    },

    async delete(organizationId: string, id: string): Promise<void> {
      if (!(await repo.softDelete(organizationId, id))) throw browserProfileNotFound(id);
    },
  };
}
export type BrowserProfilesService = ReturnType<typeof browserProfilesService>;
