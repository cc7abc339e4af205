// Executes one reply's actions in order. Browser actions go to executeAction; the agent-level ones
// (extract, complete, terminate, solve_captcha) are handled here or handed back to the loop.
// Rules: an ID the page did not list fails softly (the rest still runs); any other failure skips
// the rest; so does a page change, because the remaining IDs belong to the old page; a wait
// alongside other actions is dropped (it would only delay them).
// The page is read again before each element action: the target must still be the element the
// model saw (target-check.ts), or the batch stops for a new decision. A submission (a submit
// control, Enter in a form, anything that sent a POST) is waited for, recorded with the server's
// answer, ends the batch, and is not sent twice (submissions.ts).
import { describeTarget, executeAction, locateElement, scanPage, settlePage, type BrowserAction, type PageScan, type TargetDescriptor } from '../../browser/index.ts';
import { navigationRefusal } from '../../net/browser-routing.ts';
import type { AgentAction } from './actions.ts';
import type { ExtractionResult } from './extraction.ts';
import type { ActionOutcome } from './history.ts';
import type { PageView } from './perceive.ts';
import { usesSecret, withSecrets } from './secret-actions.ts';
import { SecretUnavailable } from './secrets.ts';
import { describeEffect, SubmissionLog } from './submissions.ts';
import { checkTarget, identityOf } from './target-check.ts';
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
  /** The page changed between the model's look and the action: why the rest was not done. */
  changedUnder?: string;
  /** What the batch's submissions set off ("POST /api/x → 201"), for the next prompt. */
  effects: string[];
  /** The last action typed text: suggestions or validation may still be on their way. */
  endedTyping: boolean;
}

export interface BatchHooks {
  extract(): Promise<ExtractionResult>;
}

export async function runActions(rt: AgentRuntime, actions: AgentAction[], view: PageView, hooks: BatchHooks, submissions: SubmissionLog): Promise<BatchResult> {
  const result: BatchResult = { outcomes: [], succeeded: 0, effects: [], endedTyping: false };
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
        // "First" = judged on the page the model saw: only page reads (extract) may come before it.
        result.complete = { action, first: actions.slice(0, index).every((a) => a.action_type === 'extract') };
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

    // The page as it is now, not as the model saw it seconds ago.
    let current: PageScan | undefined;
    if (target !== undefined || browserAction.action_type === 'keypress') {
      current = await scanPage(session.page);
      if (stripHash(current.url) !== stripHash(view.scan.url) && session.page === pageBefore && index === firstBrowserAction(actions)) {
        result.changedUnder = `the page moved to ${current.url} while you were deciding`;
        out({ success: false, skipped: result.changedUnder }); stopped = result.changedUnder; continue;
      }
    }
    let resolved = browserAction;
    if (target !== undefined && current) {
      const found = checkTarget(view.scan, current, target);
      if (!found.ok) {
        result.changedUnder = found.why;
        out({ success: false, skipped: `the page changed: ${found.why}` });
        stopped = 'the page changed under your reply';
        continue;
      }
      if (found.replaced) resolved = { ...browserAction, element_id: found.id } as BrowserAction;
    }
    const submission = current ? await submissionTarget(rt, resolved, current) : { form: false };
    if (submission.key && !(action as { repeat?: boolean }).repeat) {
      const refusal = submissions.refusal(submission.key, current!);
      if (refusal) { out({ success: false, error: refusal }); stopped = 'a submission was refused'; continue; }
    }

    let toRun = withScheme(resolved);
    const secret = usesSecret(rt, resolved);
    if (secret) {
      try {
        toRun = await withSecrets(rt, resolved);
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
    // For code runs: how a script finds this element again, read before the action can remove it.
    const resolvedId = 'element_id' in resolved ? resolved.element_id : undefined;
    const described: TargetDescriptor | undefined = rt.recording && resolvedId ? await describeTarget(session.page, resolvedId).catch(() => undefined) : undefined;
    const urlBefore = session.page.url();
    const mark = session.network.mark();
    const started = performance.now();
    let res = await executeAction({ session, timeoutMs: rt.settings.actionTimeoutMs, tempDir: rt.settings.tempDir }, toRun);
    if (toRun.action_type === 'goto_url') {
      // The browser's own words ("ERR_BLOCKED_BY_CLIENT", a 403 page) hide why: say the policy's.
      const refusal = navigationRefusal(session.page, { error: res.error, status: res.data?.status }, toRun.url);
      if (refusal) res = { success: false, error: refusal };
    }
    // What the action set off: wait for it before anything else, and say what it was.
    let sent = session.network.sentSince(mark);
    if (res.success && (submission.form || sent.length > 0 || session.network.pending() > 0)) {
      await settlePage(session, { signal: rt.env.signal });
      sent = session.network.sentSince(mark);
    }
    const navigated = session.page !== pageBefore || session.page.url() !== urlBefore;
    const submitted = res.success && (sent.length > 0 || (submission.form && navigated));
    const effect = submitted ? describeEffect(sent, navigated) : undefined;
    const data = { ...(res.data ?? {}), ...(effect ? { effect } : {}), ...(resolved !== browserAction ? { target_replaced_by: (resolved as { element_id: string }).element_id } : {}) };
    // Read-backs (e.g. an input's value) may contain the secret just typed.
    out(rt.secrets.redactValue({ success: res.success, error: res.error, data: Object.keys(data).length ? data : undefined, ms: Math.round(performance.now() - started) }));
    if (!res.success) { stopped = 'an earlier action failed'; continue; }
    const elementId = 'element_id' in toRun ? toRun.element_id : undefined;
    if (typesSecret && elementId) await maskField(rt, elementId);
    if (rt.recording) {
      if (secret && toRun.action_type !== resolved.action_type) rt.recording.markUncacheable('a one-time code turned out to be a sign-in link');
      else rt.recording.add({ action: resolved, target: described, data: res.data, navigatedTo: navigated ? pathOf(session.page.url()) : undefined });
    }
    result.succeeded++;
    result.endedTyping = toRun.action_type === 'input_text';
    if (submitted) {
      // Only what changed something on the server can be repeated harmfully; a GET search may go again.
      if (submission.key && sent.length > 0) submissions.record(submission.key, sent, navigated);
      result.effects.push(effect!);
      stopped = 'a submission went out; its result comes first';
      continue;
    }
    if (navigated) stopped = 'the page changed; its IDs are no longer valid';
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

/**
 * What an action could submit: `key` names it for SubmissionLog (any click or Enter: a button
 * that POSTed before is one, form or not); `form` says it submits a form (its submit control, or
 * Enter in one of its fields), so its outcome is waited for even when nothing is sent yet.
 */
async function submissionTarget(rt: AgentRuntime, action: BrowserAction, current: PageScan): Promise<{ key?: string; form: boolean }> {
  const id = 'element_id' in action ? action.element_id : undefined;
  const enter = action.action_type === 'keypress' && action.keys.some((k) => /^(enter|return)$/i.test(k));
  if (!id || !(action.action_type === 'click' || enter)) return { form: false };
  const locator = await locateElement(rt.session.page, id).catch(() => undefined);
  const form = await locator?.evaluate((el, isEnter) => {
    if (!((el as HTMLInputElement).form ?? el.closest('form'))) return false;
    if (isEnter) return el.matches('input, select');
    return el.matches('button:not([type]), button[type=submit], input[type=submit], input[type=image]');
  }, enter, { timeout: 1000 }).catch(() => false);
  return { key: keyOf(current, id), form: !!form };
}

function keyOf(scan: PageScan, id: string): string | undefined {
  const el = scan.elements.find((e) => e.id === id);
  return el ? SubmissionLog.keyFor(scan.url, identityOf(el)) : undefined;
}

const stripHash = (url: string) => url.replace(/#.*$/, '');

function firstBrowserAction(actions: AgentAction[]): number {
  return actions.findIndex((a) => !['complete', 'terminate', 'solve_captcha', 'extract', 'wait'].includes(a.action_type));
}

/** "example.com/x" means https://example.com/x, not a path relative to the current page. */
function withScheme(action: BrowserAction): BrowserAction {
  if (action.action_type !== 'goto_url' || /^[a-z][a-z0-9+.-]*:|^[/.?#]/i.test(action.url)) return action;
  return /^[\w-]+(\.[\w-]+)+(:\d+)?(\/|$)/.test(action.url) ? { ...action, url: `https://${action.url}` } : action;
}

function pathOf(url: string): string | undefined {
  try { const u = new URL(url); return `${u.pathname}${u.search}`; } catch { return undefined; }
}
