import type { EngineEnv } from '../ports.ts';
import type { TaskInput } from './task-input.ts';

/** The start page could not be opened: the run fails with a reason naming the URL. */
export class NavigationFailed extends Error {}

/** Opens the task's `url` (if any) on the run's active page. */
export async function gotoStartPage(input: TaskInput, env: EngineEnv): Promise<void> {
  if (!input.request.url) return;
  await env.browser.page().goto(input.request.url, { waitUntil: 'domcontentloaded', timeout: 30_000 }).catch((err: Error) => {
    throw new NavigationFailed(`Failed to navigate to ${input.request.url}: ${err.message.split('\n')[0].replace(/^page\.goto: /, '')}`);
  });
}

/**
 * Without an LLM the run still opens its start page as step 0 (screenshot included), so the
 * user sees the browser worked and the failure reason is about the missing configuration only.
 */
export async function openStartPageAsStep(input: TaskInput, env: EngineEnv): Promise<void> {
  const stepId = await env.recorder.startStep(0);
  const page = env.browser.page();
  try {
    await gotoStartPage(input, env);
    const shot = await page.screenshot({ type: 'png' });
    await env.recorder.saveArtifact('screenshot_action', shot, { stepId, ext: 'png' });
    await env.recorder.finishStep(stepId, { status: 'completed', output: { action: 'goto_url', url: page.url(), title: await page.title() } });
  } catch (err) {
    await env.recorder.finishStep(stepId, { status: 'failed', output: { error: (err as Error).message } });
    throw err;
  }
}
