// Saving and reading workflow ("agent") definitions. Every save is a new immutable version
// (`w_…`) under one permanent id (`wpid_…`); the response form of the definition is built once
// at save time and stored, so the ids inside it stay the same on every read.
import { createHash, randomUUID } from 'node:crypto';
import { NotFoundError, ValidationFailed } from '../domain/errors.ts';
import { generateId, ID_PREFIX } from '../domain/ids.ts';
import { toWireTimeRequired } from '../domain/time.ts';
import {
  parseAndValidateDefinitionInput, toWorkflowResponseDefinition, WorkflowDefinitionError, type DefinitionInput,
  type ParsedDefinitionInput, type WorkflowCreateYamlRequest,
} from '../domain/workflow/index.ts';
import type { WorkflowListQuery } from '../contracts/workflows.ts';
import type { WorkflowRow } from '../db/repositories/workflows.repo.ts';
import type { ServiceDeps } from './deps.ts';

/** Update inherits these from the previous version when the request leaves them out (Skyvern's rule). */
const INHERITED_ON_UPDATE = [
  'cdp_connect_headers', 'max_elapsed_time_minutes', 'mask_secrets', 'pin_saved_session_ip', 'enable_self_healing', 'code_version',
] as const;

export const workflowNotFound = (wpid: string) => new NotFoundError(`Workflow not found. workflow_permanent_id=${wpid}`);

/** Definition problems as 422 items located in the HTTP body (`body.json_definition.…`). */
function parseBody(body: DefinitionInput): ParsedDefinitionInput {
  try {
    return parseAndValidateDefinitionInput(body);
  } catch (error) {
    if (!(error instanceof WorkflowDefinitionError)) throw error;
    const field = typeof body.yaml_definition === 'string' && body.yaml_definition.trim() !== '' ? 'yaml_definition' : 'json_definition';
    throw new ValidationFailed(error.issues.map((issue) => {
      const loc = issue.loc[0] === field ? issue.loc : [field, ...issue.loc];
      return { ...issue, loc: ['body', ...loc] };
    }));
  }
}

export function workflowsService(deps: Pick<ServiceDeps, 'repos'>) {
  const repo = deps.repos.workflows;

  function buildVersion(organizationId: string, wpid: string, version: number, request: WorkflowCreateYamlRequest, folderId: string | null) {
    const workflowId = generateId(ID_PREFIX.workflow);
    const now = new Date();
    const definition = toWorkflowResponseDefinition(request, { newId: generateId, now: toWireTimeRequired(now), workflowId, uuid: randomUUID });
    return {
      workflowId, organizationId, workflowPermanentId: wpid, version, title: request.title, status: request.status ?? 'published',
      isSavedTask: request.is_saved_task ?? false, folderId, request: { ...request, folder_id: folderId }, definition,
      createdAt: now, modifiedAt: now,
    };
  }

  async function requireLatest(organizationId: string, wpid: string): Promise<WorkflowRow> {
    const latest = await repo.latest(organizationId, wpid);
    if (!latest) throw workflowNotFound(wpid);
    return latest;
  }

  return {
    async create(organizationId: string, body: DefinitionInput, opts: { folderId?: string; idempotencyKey?: string } = {}): Promise<WorkflowRow> {
      const { request } = parseBody(body);
      const folderId = opts.folderId ?? request.folder_id ?? null;
      if (!opts.idempotencyKey) {
        const created = await repo.insertVersion(buildVersion(organizationId, generateId(ID_PREFIX.workflowPermanent), 1, request, folderId));
        return created!;
      }
      // The same key always names the same agent: a repeated create answers with its first version.
      const digest = createHash('sha256').update(`create_workflow\0${organizationId}\0${opts.idempotencyKey}`).digest('hex');
      const wpid = `${ID_PREFIX.workflowPermanent}_${digest}`;
      const existing = await repo.firstVersionAnyState(organizationId, wpid);
      if (existing) return existing;
      return (await repo.insertVersion(buildVersion(organizationId, wpid, 1, request, folderId)))
        ?? (await repo.firstVersionAnyState(organizationId, wpid))!;
    },

    async update(organizationId: string, wpid: string, body: DefinitionInput): Promise<WorkflowRow> {
      const parsed = parseBody(body);
      for (let attempt = 0; ; attempt++) {
        const latest = await requireLatest(organizationId, wpid);
        const previous = latest.request as WorkflowCreateYamlRequest;
        const request: WorkflowCreateYamlRequest = { ...parsed.request };
        for (const field of INHERITED_ON_UPDATE) {
          if (!parsed.providedFields.has(field)) (request as Record<string, unknown>)[field] = previous[field] ?? null;
        }
        const created = await repo.insertVersion(buildVersion(organizationId, wpid, latest.version + 1, request, latest.folderId));
        // Two updates racing for the same version number: the loser builds on the winner.
        if (created || attempt >= 3) return created ?? requireLatest(organizationId, wpid);
      }
    },

    async get(organizationId: string, wpid: string, version?: number): Promise<WorkflowRow> {
      const row = version === undefined ? await repo.latest(organizationId, wpid) : await repo.version(organizationId, wpid, version);
      if (!row) throw workflowNotFound(wpid);
      return row;
    },

    async versions(organizationId: string, wpid: string): Promise<WorkflowRow[]> {
      const rows = await repo.versions(organizationId, wpid);
      if (rows.length === 0) throw workflowNotFound(wpid);
      return rows;
    },

    async list(organizationId: string, q: WorkflowListQuery): Promise<WorkflowRow[]> {
      return repo.listLatest({
        organizationId, page: q.page ?? 1, pageSize: q.page_size ?? 10, searchKey: q.search_key, title: q.title,
        // Skyvern lists published and draft workflows unless asked for other statuses.
        statuses: q.status?.length ? q.status : ['published', 'draft'],
        onlySavedTasks: q.only_saved_tasks, onlyWorkflows: q.only_workflows, onlyTemplates: q.only_templates, folderId: q.folder_id,
      });
    },

    async delete(organizationId: string, wpid: string): Promise<void> {
      if (!(await repo.softDelete(organizationId, wpid))) throw workflowNotFound(wpid);
    },

    /** Forgets the browser state a `persist_browser_session` workflow carries between runs. */
    async resetBrowserState(organizationId: string, wpid: string): Promise<void> {
      await requireLatest(organizationId, wpid);
      await repo.clearBrowserState(organizationId, wpid);
    },
  };
}
export type WorkflowsService = ReturnType<typeof workflowsService>;
