// Workflow runs: load the exact version the run points at, resolve its parameters, give the
// runner a lazily opened shared browser (seeded with the workflow's saved state when it persists
// its session), record block executions in Postgres, and save the browser state after a
// completed run.
import type { WorkflowCreateYamlRequest, WorkflowDefinitionResponse } from '../domain/workflow/index.ts';
import { agentTaskBlocks } from '../engine/workflow/agent-task-blocks.ts';
import { captureBrowserState, seedBrowserState, type StoredBrowserState } from '../engine/workflow/browser-state.ts';
import { STANDALONE_BLOCK_HANDLERS } from '../engine/workflow/blocks/standalone/index.ts';
import type { WorkflowRunStore } from '../engine/workflow/ports.ts';
import { runWorkflow } from '../engine/workflow/runner.ts';
import { writeBehind } from '../engine/workflow/write-behind-store.ts';
import type { TaskBlockExecutor } from '../engine/workflow/task-block-port.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import { splitStoredRequest } from '../services/presenters/workflow-run.presenter.ts';
import { describeParameterProblem, resolveRunParameters } from '../services/workflows/run-parameters.ts';
import { openRunBrowser, type OpenRunBrowser } from './run-browser.ts';
import { createRunRecorder } from './run-recorder.ts';
import { timeSteps } from './step-timing.ts';
import { workflowCodeSources } from './totp-source.ts';
import { workflowScripts } from './workflow-scripts.ts';
import { resolveWorkflowCredentials } from './workflow-credentials.ts';
import type { RunExecutor } from './run-task.job.ts';
import type { WorkerDeps } from './worker-deps.ts';

/** Block executions as `workflow_run_blocks` rows and the run's output on its row. */
function blockStore(deps: WorkerDeps, run: RunRow): WorkflowRunStore {
  const repo = deps.repos.workflowRunBlocks;
  return {
    async startBlock(row) {
      await repo.insert({
        workflowRunBlockId: row.blockRunId, runId: run.runId, organizationId: run.organizationId, parentBlockRunId: row.parentBlockRunId,
        blockType: row.blockType, label: row.label, status: 'running', continueOnFailure: row.continueOnFailure,
        currentValue: row.currentValue ?? null, currentIndex: row.currentIndex ?? null, taskId: row.taskId ?? null, details: row.details ?? null,
      });
    },
    async updateBlock(id, patch) {
      await repo.update(id, { output: patch.output, loopValues: patch.loopValues, details: patch.details });
    },
    async finishBlock(id, result) {
      await repo.update(id, {
        status: result.status, output: result.output ?? null, failureReason: result.failureReason ?? null, finishedAt: new Date(),
        ...(result.loopValues ? { loopValues: result.loopValues } : {}), ...(result.details ? { details: result.details } : {}),
      });
    },
    async saveRunOutput(output) {
      await deps.repos.runs.update(run.runId, { output: output ?? null });
    },
  };
}

/** `taskBlocks` defaults to the browser agent; tests may pass their own. */
export function createWorkflowExecutor(opts: { taskBlocks?: TaskBlockExecutor } = { taskBlocks: agentTaskBlocks }): RunExecutor {
  return async (run, deps, signal, log) => {
    const workflow = run.workflowId ? await deps.repos.workflows.byId(run.workflowId) : undefined;
    if (!workflow) return { status: 'failed', failureReason: `The workflow version ${run.workflowId ?? '(none)'} this run executes no longer exists.` };
    const settings = workflow.request as WorkflowCreateYamlRequest;
    const { request } = splitStoredRequest(run);
    const resolved = resolveRunParameters(settings.workflow_definition, request.parameters as Record<string, unknown> | null);
    if (!resolved.ok) {
      return { status: 'failed', failureReason: `Setup workflow failed. failure reason: ${describeParameterProblem(resolved.problem, run.runId, workflow.workflowPermanentId)}` };
    }
    const credentials = await resolveWorkflowCredentials(deps, run.organizationId, settings.workflow_definition, resolved.values);
    if (!credentials.ok) return { status: 'failed', failureReason: `Setup workflow failed. failure reason: ${credentials.reason}` };
    // A run restarted after its worker died starts from the top; the old attempt's rows would only confuse the timeline.
    if (run.attempts > 1) await deps.repos.workflowRunBlocks.deleteForRun(run.runId);

    const recorder = timeSteps(createRunRecorder(deps, run), run.runType, deps.telemetry);
    const persist = settings.persist_browser_session === true && request.start_fresh_browser !== true;
    let opened: OpenRunBrowser | undefined;
    let opening: Promise<OpenRunBrowser> | undefined;
    const onAbort = () => { void opened?.abort(); };
    signal.addEventListener('abort', onAbort, { once: true });
    const browser = () => (opening ??= (async () => {
      const b = await openRunBrowser(deps, run);
      opened = b;
      if (signal.aborted) onAbort();
      // A session brings its own state and a profile is the run's chosen start (Skyvern's seed precedence).
      if (persist && !run.browserSessionId && !run.browserProfileId) {
        const saved = await deps.repos.workflows.browserState(run.organizationId, workflow.workflowPermanentId) as StoredBrowserState | undefined;
        if (saved) await seedBrowserState(b.context, saved);
      }
      return b;
    })());

    const scripts = await workflowScripts(deps, run, workflow, request, resolved.values, log);
    const store = writeBehind(blockStore(deps, run));
    let completed = false;
    try {
      const outcome = await runWorkflow({
        runId: run.runId, organizationId: run.organizationId, workflowId: workflow.workflowId, workflowPermanentId: workflow.workflowPermanentId,
        workflowTitle: workflow.title, definition: settings.workflow_definition, responseDefinition: workflow.definition as WorkflowDefinitionResponse,
        parameters: { ...resolved.values, ...credentials.parameters }, maxStepsOverride: run.maxSteps, browserSessionId: run.browserSessionId,
        model: (settings.model as { model_name?: string } | null) ?? null,
        totpUrl: (request.totp_url as string | null) ?? null, totpIdentifier: (request.totp_identifier as string | null) ?? null,
        secrets: credentials.secrets, credentialTotpIdentifiers: credentials.totpIdentifiers,
      }, {
        store, browser, openedBrowser: () => opened, recorder, llm: deps.llm,
        handlers: STANDALONE_BLOCK_HANDLERS, taskBlocks: opts.taskBlocks, signal, logger: log,
        verificationCodeFor: workflowCodeSources(deps, run, workflow), scripts,
        settings: { ...deps.config.workflow, defaultMaxSteps: deps.config.maxStepsPerRun },
      });
      // Every block row is stored before the run's status says it ended.
      await store.flush();
      if (!signal.aborted) await scripts.finish(outcome.status).catch((err) => log.warn({ err }, 'script version not written'));
      completed = outcome.status === 'completed' && !signal.aborted;
      if (completed && persist && opened) {
        await deps.repos.workflows.saveBrowserState(run.organizationId, workflow.workflowPermanentId, await captureBrowserState(opened.context), run.runId);
      }
      return outcome;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await store.flush().catch(() => {});
      if (!completed) {
        const status = signal.aborted && signal.reason === 'timed_out' ? 'timed_out' : 'canceled';
        await deps.repos.workflowRunBlocks.finishOpen(run.runId, status, null).catch(() => {});
      }
      await opened?.finish(recorder, { finalScreenshot: !signal.aborted }).catch((err) => log.warn({ err }, 'artifact filing failed'));
    }
  };
}
