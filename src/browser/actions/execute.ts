import type { ActionContext, ActionResult, BrowserAction } from './types.ts';
import { ActionError } from './types.ts';
import { errorMessage, resolveTarget, settle, stepTimeout, waitForQuietDom } from './element.ts';
import { clickWithFallbacks } from './click.ts';
import { inputText } from './input-text.ts';
import { selectOption } from './select-option.ts';
import { setCheckbox } from './checkbox.ts';
import { downloadFile, uploadFile } from './files.ts';
import { gotoUrl, hover, pressKeys, scroll, wait } from './simple.ts';

async function click(ctx: ActionContext, elementId: string): Promise<ActionResult> {
  const pagesBefore = ctx.session.pages.length;
  const urlBefore = ctx.session.page.url();
  const target = await resolveTarget(ctx, elementId, { clickCheck: true });
  // For links that target another tab, wait for the tab: on a busy machine it can appear late.
  const popup = target.facts.opensTab ? ctx.session.context.waitForEvent('page', { timeout: 5000 }).catch(() => null) : null;
  const method = await clickWithFallbacks(ctx.session.page, target.locator, stepTimeout(ctx), target.facts);
  if (popup) await popup;
  const stayed = ctx.session.pages.length === pagesBefore && ctx.session.page.url() === urlBefore;
  if (target.facts.link && stayed) {
    // A link that did not navigate may have started a download: Chromium reports it a moment
    // after the aborted navigation that the click waited for. One quiet frame covers that.
    await waitForQuietDom(ctx.session.page, 50);
  }
  await settle(ctx.session.page);
  const data: Record<string, unknown> = { method };
  // A click that opened a tab: the session already switched to it; tell the agent.
  if (ctx.session.pages.length > pagesBefore) {
    await ctx.session.page.waitForLoadState('domcontentloaded', { timeout: 10_000 }).catch(() => undefined);
    data.newPage = ctx.session.page.url();
  }
  return { success: true, data };
}

async function dispatch(ctx: ActionContext, action: BrowserAction): Promise<ActionResult> {
  switch (action.action_type) {
    case 'click':
      return click(ctx, action.element_id);
    case 'input_text':
      return inputText(ctx, action);
    case 'select_option':
      return selectOption(ctx, action);
    case 'checkbox':
      return setCheckbox(ctx, action);
    case 'upload_file':
      return uploadFile(ctx, action);
    case 'download_file':
      return downloadFile(ctx, action);
    case 'keypress':
      return pressKeys(ctx, action);
    case 'scroll':
      return scroll(ctx, action);
    case 'hover':
      return hover(ctx, action);
    case 'wait':
      return wait(ctx, action);
    case 'goto_url':
      return gotoUrl(ctx, action);
    default: {
      const unknown = action as { action_type?: unknown };
      throw new ActionError(`unsupported action type: ${String(unknown.action_type)}`);
    }
  }
}

/**
 * Runs one browser action against the session's active page. Never throws: failures come back
 * as { success: false, error } with a message the LLM can act on in its next step.
 */
export async function executeAction(ctx: ActionContext, action: BrowserAction): Promise<ActionResult> {
  try {
    return await dispatch(ctx, action);
  } catch (error) {
    return { success: false, error: errorMessage(error) };
  }
}
