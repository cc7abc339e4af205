// Task-like blocks (task, navigation, extraction, action, login, validation, file_download,
// task_v2) run through the browser agent, one `tsk_…` task each, on the run's shared browser.
// The output is Skyvern's TaskOutput, so `{{ label_output.extracted_information }}` and
// `{{ label.output.field }}` read the extracted data.
import type { BlockType, BlockYaml } from '../../../domain/workflow/index.ts';
import type { BlockExecution, ExecutedBlock } from '../executor.ts';
import type { TaskBlockRequest, TaskBlockResult } from '../task-block-port.ts';
import { CACHED_BLOCK_TYPES, type BlockScripts } from '../../scripts/ports.ts';
import { moduleOfRun } from '../../scripts/run-with-script.ts';
import { recorderForBlock } from './standalone-adapter.ts';
import { taskOutput } from './task-output.ts';

const TASK_LIKE: ReadonlySet<BlockType> = new Set(['task', 'navigation', 'extraction', 'action', 'login', 'validation', 'file_download', 'task_v2']);

export const isTaskLikeBlock = (block: BlockYaml): boolean => TASK_LIKE.has(block.block_type);

export const AGENT_UNAVAILABLE = 'The browser agent is not available in this build, so task-like blocks cannot run.';

type Fields = Record<string, unknown>;

/** A login block without its own goal gets Skyvern's kind of default instruction. */
export const DEFAULT_LOGIN_GOAL = 'Log in using the provided credentials. COMPLETE when you are logged in (the account page or a welcome message shows); '
  + 'TERMINATE if the credentials are rejected.';
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The agent request for a rendered block; `x-max-steps-override` wins over the block's own cap. */
export function taskRequestOf(block: BlockYaml, run: BlockExecution, taskId: string): TaskBlockRequest {
  const f = block as Fields;
  const { exec } = run;
  const keys = Array.isArray(f.parameter_keys) ? (f.parameter_keys as string[]) : [];
  const payload = keys.length ? Object.fromEntries(keys.map((k) => [k, exec.state.parameterValue(k, run.frames)])) : null;
  const ownCap = block.block_type === 'task_v2' ? f.max_steps : f.max_steps_per_run;
  return {
    blockType: block.block_type,
    label: block.label,
    taskId,
    blockRunId: run.blockRunId,
    url: startUrl(f.url, run),
    navigationGoal: str(f.navigation_goal) ?? (block.block_type === 'login' ? DEFAULT_LOGIN_GOAL : null),
    dataExtractionGoal: str(f.data_extraction_goal),
    dataSchema: f.data_schema ?? null,
    navigationPayload: payload,
    completeCriterion: str(f.complete_criterion),
    terminateCriterion: str(f.terminate_criterion),
    errorCodeMapping: (f.error_code_mapping as Record<string, string> | null | undefined) ?? exec.input.definition.error_code_mapping ?? null,
    maxSteps: exec.input.maxStepsOverride ?? (typeof ownCap === 'number' && ownCap > 0 ? ownCap : exec.env.settings.defaultMaxSteps),
    engine: str(f.engine) ?? (block.block_type === 'task_v2' ? 'skyvern-2.0' : 'skyvern-1.0'),
    completeOnDownload: f.complete_on_download === true || block.block_type === 'file_download',
    downloadSuffix: str(f.download_suffix),
    totpIdentifier: str(f.totp_identifier) ?? exec.input.totpIdentifier ?? credentialIdentifier(keys, exec.input.credentialTotpIdentifiers),
    totpVerificationUrl: str(f.totp_verification_url) ?? exec.input.totpUrl ?? null,
    prompt: str(f.prompt),
    maxIterations: typeof f.max_iterations === 'number' ? f.max_iterations : null,
    model: (f.model as { model_name?: string } | null | undefined) ?? exec.input.model ?? null,
    secrets: exec.input.secrets ?? [],
  };
}

/** A block reading a credential whose codes arrive by email/SMS waits for codes pushed for that credential's identifier. */
function credentialIdentifier(keys: string[], identifiers: Record<string, string> | undefined): string | null {
  const key = keys.find((k) => identifiers?.[k]);
  return key ? identifiers![key]! : null;
}

/**
 * Legacy form: a `url` equal to a declared parameter key means that parameter's value (older
 * docs write `url: website_url`). Empty means "stay on the current page".
 */
function startUrl(url: unknown, run: BlockExecution): string | null {
  const text = str(url);
  if (!text) return null;
  const declared = run.exec.input.definition.parameters.some((p) => p.key === text);
  if (!declared) return text;
  const value = run.exec.state.parameterValue(text, run.frames);
  return str(value);
}

export async function runTaskLikeBlock(block: BlockYaml, run: BlockExecution, taskId: string): Promise<ExecutedBlock> {
  const { env } = run.exec;
  if (!env.taskBlocks) return { status: 'failed', output: null, failureReason: AGENT_UNAVAILABLE };
  const request = taskRequestOf(block, run, taskId);
  const scripts = env.scripts && CACHED_BLOCK_TYPES.has(block.block_type) ? env.scripts : undefined;
  const scriptParameters = scripts ? blockScriptParameters(run) : {};
  if (scripts) {
    request.code = {
      script: scripts.runWith === 'code' ? scripts.cached(block.label) : undefined,
      aiFallback: scripts.aiFallback,
      parameters: scriptParameters,
      record: true,
      onFallback: () => scripts.fellBack(block.label),
    };
  }
  const browser = await env.browser();
  const result = await env.taskBlocks(request, {
    browser,
    recorder: recorderForBlock(env.recorder, run.blockRunId),
    llm: env.llm,
    signal: env.signal,
    logger: env.logger.child({ block: block.label, block_type: block.block_type, task_id: taskId }),
    verificationCodeFor: env.verificationCodeFor,
  });
  if (scripts && result.status === 'completed') keepBlockModule(scripts, request, result, run, scriptParameters);
  return { status: result.status, output: taskOutput({ taskId, status: result.status, extractedInformation: result.extractedInformation, failureReason: result.failureReason, errors: result.errors, failureCategory: result.failureCategory }), failureReason: result.failureReason };
}

/** The agent did (or repaired) the block: its recorded actions become the block's module for the next version. */
function keepBlockModule(scripts: BlockScripts, request: TaskBlockRequest, result: TaskBlockResult, run: BlockExecution, parameters: Record<string, unknown>): void {
  const extract = !!request.dataExtractionGoal || (request.blockType === 'extraction' && request.dataSchema != null);
  const module = moduleOfRun({ label: request.label, blockType: request.blockType, runId: run.exec.input.runId, code: result.code, parameters, extract });
  if (!module) return;
  if ('uncacheable' in module) {
    run.exec.env.logger.child({ block: request.label }).info({ reason: module.uncacheable }, 'block not cached');
    return;
  }
  scripts.keep(request.label, module.source, module.stored);
}

/** What a block's module sees as `parameters`: the run's parameters and, in a loop, the current value. */
function blockScriptParameters(run: BlockExecution): Record<string, unknown> {
  const { state, input } = run.exec;
  const values: Record<string, unknown> = { ...input.parameters };
  for (const p of input.definition.parameters) {
    if (p.parameter_type === 'context') values[p.key] = state.parameterValue(p.key, run.frames);
  }
  const loop = run.frames.at(-1);
  if (loop) Object.assign(values, { current_value: loop.currentValue, current_item: loop.currentValue, current_index: loop.currentIndex });
  return values;
}
