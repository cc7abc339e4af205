import type { EngineEnv } from '../ports.ts';
import type { TaskInput } from './task-input.ts';
import { describeNavigationError, refusedNavigation } from '../../net/browser-routing.ts';
import { assertOutboundUrl, isOutboundRefusal } from '../../net/outbound.ts';

/** The start page could not be opened: the run fails with a reason naming the URL. */
export class NavigationFailed extends Error {}

/** Opens the task's `url` (if any) on the run's active page. */
export async function gotoStartPage(input: TaskInput, env: EngineEnv): Promise<void> {
  if (!input.request.url) return;
  const url = input.request.url;
  const page = env.browser.page();
  let refused: string | undefined;
  try {
    await assertOutboundUrl(url, 'url');
    refused = await refusedNavigation(await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 }));
  } catch (err) {
    throw new NavigationFailed(isOutboundRefusal(err) ? `Failed to navigate to ${url}: ${err.message}` : `Failed to navigate to ${url}: ${describeNavigationError(page, err, url)}`);
  }
  if (refused) throw new NavigationFailed(`Failed to navigate to ${url}: ${refused}`);
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
