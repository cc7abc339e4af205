// Executes one reply's actions in order. Browser actions go to executeAction; the agent-level ones
// (extract, complete, terminate, solve_captcha) are handled here or handed back to the loop.
// Rules: an ID the page did not list fails softly (the rest still runs); any other failure skips
// the rest; so does a page change, because the remaining IDs belong to the old page; a wait
// alongside other actions is dropped (it would only delay them).
import { executeAction, locateElement, type BrowserAction } from '../../browser/index.ts';
import type { AgentAction } from './actions.ts';
import type { ExtractionResult } from './extraction.ts';
import type { ActionOutcome } from './history.ts';
import type { PageView } from './perceive.ts';
import { usesSecret, withSecrets } from './secret-actions.ts';
import { SecretUnavailable } from './secrets.ts';
import type { AgentRuntime } from './types.ts';

type Of<T extends AgentAction['action_type']> = Extract<AgentAction, { action_type: T }>;

export interface BatchResult {
  outcomes: ActionOutcome[];
  /** Set when the reply contained "complete"; `first` = nothing ran before it in this reply. */
  complete?: { action: Of<'complete'>; first: boolean };
  terminate?: Of<'terminate'>;
  captcha?: Of<'solve_captcha'>;
  /** A secret could not be provided (e.g. no TOTP code arrived in time). */
  secretError?: SecretUnavailable;
  /** Latest result of an "extract" in this reply. */
  extraction?: ExtractionResult;
  /** Browser actions that ran successfully (the page may have changed). */
  succeeded: number;
}

export interface BatchHooks {
  extract(): Promise<ExtractionResult>;
}

export async function runActions(rt: AgentRuntime, actions: AgentAction[], view: PageView, hooks: BatchHooks): Promise<BatchResult> {
  const result: BatchResult = { outcomes: [], succeeded: 0 };
  const listed = new Set(view.scan.elements.map((el) => el.id));
  const session = rt.session;
  const pageBefore = session.page;
  const dropWaits = actions.length > 1 && actions.some((a) => a.action_type !== 'wait');
  let stopped: string | undefined;

  for (const [index, action] of actions.entries()) {
    rt.env.signal.throwIfAborted();
    const out = (o: Omit<ActionOutcome, 'action'>) => result.outcomes.push({ action, ...o });
    if (stopped) { out({ success: false, skipped: stopped }); continue; }
    if (action.action_type === 'wait' && dropWaits) { out({ success: false, skipped: 'a wait is ignored next to other actions' }); continue; }

    switch (action.action_type) {
      case 'complete':
        result.complete = { action, first: index === 0 };
        out({ success: true });
        stopped = 'after complete';
        continue;
      case 'terminate':
        result.terminate = action;
        out({ success: true });
        stopped = 'after terminate';
        continue;
      case 'solve_captcha':
        result.captcha = action;
        out({ success: true });
        stopped = 'after solve_captcha';
        continue;
      case 'extract': {
        result.extraction = await hooks.extract();
        out({ success: result.extraction.ok, error: result.extraction.ok ? undefined : result.extraction.error });
        continue;
      }
    }

    const browserAction = action as BrowserAction;
    const target = 'element_id' in browserAction ? browserAction.element_id : undefined;
    if (target !== undefined && !listed.has(target)) {
      out({ success: false, error: `element ${target} is not on the current page list; use an ID from the list` });
      continue;
    }
    const refusal = refuse(rt, browserAction);
    if (refusal) { out({ success: false, error: refusal }); stopped = 'an earlier action failed'; continue; }

    let toRun = withScheme(browserAction);
    const secret = usesSecret(rt, browserAction);
    if (secret) {
      try {
        toRun = await withSecrets(rt, browserAction);
      } catch (error) {
        if (!(error instanceof SecretUnavailable)) throw error;
        result.secretError = error;
        out({ success: false, error: error.message });
        stopped = 'a secret was not available';
        continue;
      }
    }
    // A one-time code that was a magic link is opened, not typed (and there is no field to mask).
    const typesSecret = secret && toRun.action_type === 'input_text';
    const urlBefore = session.page.url();
    const started = performance.now();
    const res = await executeAction({ session, timeoutMs: rt.settings.actionTimeoutMs, tempDir: rt.settings.tempDir }, toRun);
    // Read-backs (e.g. an input's value) may contain the secret just typed.
    out(rt.secrets.redactValue({ success: res.success, error: res.error, data: res.data, ms: Math.round(performance.now() - started) }));
    if (!res.success) { stopped = 'an earlier action failed'; continue; }
    if (typesSecret && target) await maskField(rt, target);
    result.succeeded++;
    if (session.page !== pageBefore || session.page.url() !== urlBefore) stopped = 'the page changed; its IDs are no longer valid';
  }
  return result;
}

/**
 * Screenshots (for vision models and artifacts) would show a typed secret; render the field's text
 * as dots, as password fields do. Only the rendering changes, never the value the site reads.
 */
async function maskField(rt: AgentRuntime, elementId: string): Promise<void> {
  const locator = await locateElement(rt.session.page, elementId).catch(() => undefined);
  await locator?.evaluate((el) => (el as HTMLElement).style.setProperty('-webkit-text-security', 'disc'), undefined, { timeout: 1000 }).catch(() => undefined);
}

/** Guards on what the model may make the browser do with the user's machine. */
function refuse(rt: AgentRuntime, action: BrowserAction): string | undefined {
  if (action.action_type === 'upload_file') {
    // Only files the user named: otherwise a page could talk the model into uploading local files.
    if (!rt.userText.includes(action.file_url)) return `file_url "${action.file_url}" is not one the task gives; upload only files named in the goal`;
  }
  // file: and data: URLs would let page text steer the model into reading the worker's files.
  if (action.action_type === 'goto_url' && /^[a-z][a-z0-9+.-]*:/i.test(action.url) && !/^https?:/i.test(action.url)) {
    return `goto_url accepts http(s) URLs only, got "${action.url}"`;
  }
  return undefined;
}

/** "example.com/x" means https://example.com/x, not a path relative to the current page. */
function withScheme(action: BrowserAction): BrowserAction {
  if (action.action_type !== 'goto_url' || /^[a-z][a-z0-9+.-]*:|^[/.?#]/i.test(action.url)) return action;
  return /^[\w-]+(\.[\w-]+)+(:\d+)?(\/|$)/.test(action.url) ? { ...action, url: `https://${action.url}` } : action;
}
