// `goto_url`: load a URL in the run's shared page. Skyvern runs this as a goal-less task, so its
// output is a TaskOutput; we navigate directly (no task row, hence `task_id: null`) but keep the
// TaskOutput keys so templates such as `{{ go_output.status }}` read the same.
import type { Page } from 'playwright-core';
import type { BlockYamlOf } from '../../../../domain/workflow/index.ts';
import type { BlockHandler } from '../block-handler.ts';
import { taskOutput } from '../task-output.ts';
import { BlockAbortedError, canceled, completed, errorMessage, failed, raceAbort } from './results.ts';
import { describeNavigationError, refusedNavigation } from '../../../../net/browser-routing.ts';
import { assertOutboundUrl, isOutboundRefusal } from '../../../../net/outbound.ts';

/** Page loads get this long; the run's own time limit still aborts earlier. */
const NAVIGATION_TIMEOUT_MS = 60_000;

/** Skyvern's validate_url prepends a scheme when the user left it out ("example.com"). */
export function withScheme(url: string): string {
  const trimmed = url.trim();
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/** Only web pages: a file:// or chrome:// URL would let a workflow read the server's own disk. */
export function isWebUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

const gotoOutput = (status: 'completed' | 'failed', failureReason: string | null) => taskOutput({ taskId: null, status, failureReason });

export const gotoUrlBlock: BlockHandler<BlockYamlOf<'goto_url'>> = async (ctx) => {
  const raw = (ctx.block.url ?? '').trim();
  if (!raw) return failed('goto_url needs a non-empty url', gotoOutput('failed', 'goto_url needs a non-empty url'));
  const url = withScheme(raw);
  if (!isWebUrl(url)) {
    const reason = `goto_url only opens http(s) URLs, not ${url}`;
    return failed(reason, gotoOutput('failed', reason));
  }
  let page: Page | undefined;
  try {
    await raceAbort(assertOutboundUrl(url, 'goto_url'), ctx.signal);
    const browser = await raceAbort(ctx.browser(), ctx.signal);
    page = browser.page();
    const response = await raceAbort(page.goto(url, { timeout: NAVIGATION_TIMEOUT_MS, waitUntil: 'load' }), ctx.signal);
    const refused = await refusedNavigation(response);
    if (refused) {
      const reason = `Failed to navigate to url ${url}: ${refused}`;
      return failed(reason, gotoOutput('failed', reason));
    }
  } catch (error) {
    if (error instanceof BlockAbortedError || ctx.signal.aborted) return canceled(ctx.signal);
    const why = isOutboundRefusal(error) ? error.message : page ? describeNavigationError(page, error, url) : errorMessage(error);
    const reason = `Failed to navigate to url ${url}: ${why}`;
    return failed(reason, gotoOutput('failed', reason));
  }
  return completed(gotoOutput('completed', null));
};
