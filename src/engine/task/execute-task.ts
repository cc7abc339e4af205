import type { EngineEnv, RunOutcome } from '../ports.ts';
import type { TaskInput } from './task-input.ts';

/** What the task engine needs to know of the LLM before the agent loop exists. */
export interface TaskLlmStatus { configured: boolean; problems: string[] }

export const NO_LLM_REASON =
  'No LLM is configured, so the agent cannot choose actions. Set LLM_KEY and enable its provider, e.g. ' +
  'ENABLE_OPENAI=true OPENAI_API_KEY=… LLM_KEY=OPENAI_GPT4O, or ENABLE_OPENAI_COMPATIBLE=true ' +
  'OPENAI_COMPATIBLE_API_BASE=… OPENAI_COMPATIBLE_MODEL_NAME=… LLM_KEY=OPENAI_COMPATIBLE, then restart the worker.';

/** The start page could not be opened: the run fails with a reason naming the URL. */
export class NavigationFailed extends Error {}

/** Opens the task's start page as the run's first step, recording screenshots around it. */
export async function openStartPage(input: TaskInput, env: EngineEnv): Promise<void> {
  const stepId = await env.recorder.startStep(0);
  const page = env.browser.page();
  try {
    if (input.request.url) {
      await page.goto(input.request.url, { waitUntil: 'domcontentloaded', timeout: 30_000 }).catch((err: Error) => {
        throw new NavigationFailed(`Failed to navigate to ${input.request.url}: ${err.message.split('\n')[0].replace(/^page\.goto: /, '')}`);
      });
    }
    const shot = await page.screenshot({ type: 'png' });
    await env.recorder.saveArtifact('screenshot_action', shot, { stepId, ext: 'png' });
    await env.recorder.finishStep(stepId, { status: 'completed', output: { action: 'goto_url', url: page.url(), title: await page.title() } });
  } catch (err) {
    await env.recorder.finishStep(stepId, { status: 'failed', output: { error: (err as Error).message } });
    throw err;
  }
}

export async function executeTask(input: TaskInput, env: EngineEnv, llm: TaskLlmStatus): Promise<RunOutcome> {
  try {
    await openStartPage(input, env);
  } catch (err) {
    if (err instanceof NavigationFailed && !env.signal.aborted) return { status: 'failed', failureReason: err.message };
    throw err;
  }
  if (!llm.configured) {
    const detail = llm.problems.length ? ` Problems found: ${llm.problems.join('; ')}.` : '';
    return { status: 'failed', failureReason: NO_LLM_REASON + detail };
  }
  return { status: 'failed', failureReason: 'The agent step loop is not available in this build.' };
}
