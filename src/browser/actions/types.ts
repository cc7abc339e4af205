import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { PageSession } from '../session.ts';

/**
 * Browser actions the LLM can ask for (Skyvern's vocabulary). Agent-level actions such as
 * extract, complete, terminate and solve_captcha are handled by the agent, not here.
 * Extra properties (confidence, ids the LLM invents…) are tolerated.
 */

const reasoning = Type.Optional(Type.String({ description: 'Why the LLM chose this action (logged only).' }));
const elementId = Type.String({ description: 'ID from the serialized page, e.g. "e12" or "f1e3".' });

export const ClickAction = Type.Object({ action_type: Type.Literal('click'), element_id: elementId, reasoning });
export const InputTextAction = Type.Object({
  action_type: Type.Literal('input_text'),
  element_id: elementId,
  text: Type.String(),
  reasoning,
});
export const SelectOptionAction = Type.Object({
  action_type: Type.Literal('select_option'),
  element_id: elementId,
  option: Type.Object({
    label: Type.Optional(Type.String()),
    value: Type.Optional(Type.String()),
    index: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
  reasoning,
});
export const CheckboxAction = Type.Object({
  action_type: Type.Literal('checkbox'),
  element_id: elementId,
  is_checked: Type.Boolean(),
  reasoning,
});
export const UploadFileAction = Type.Object({
  action_type: Type.Literal('upload_file'),
  element_id: elementId,
  file_url: Type.String({ description: 'Local path or http(s) URL of the file to upload.' }),
  reasoning,
});
export const DownloadFileAction = Type.Object({
  action_type: Type.Literal('download_file'),
  element_id: elementId,
  reasoning,
});
export const KeypressAction = Type.Object({
  action_type: Type.Literal('keypress'),
  keys: Type.Array(Type.String(), { minItems: 1 }),
  element_id: Type.Optional(elementId),
  reasoning,
});
export const ScrollAction = Type.Object({
  action_type: Type.Literal('scroll'),
  direction: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  element_id: Type.Optional(elementId),
  reasoning,
});
export const HoverAction = Type.Object({ action_type: Type.Literal('hover'), element_id: elementId, reasoning });
export const WaitAction = Type.Object({
  action_type: Type.Literal('wait'),
  seconds: Type.Number({ minimum: 0 }),
  reasoning,
});
export const GotoUrlAction = Type.Object({ action_type: Type.Literal('goto_url'), url: Type.String(), reasoning });

export const BrowserAction = Type.Union([
  ClickAction,
  InputTextAction,
  SelectOptionAction,
  CheckboxAction,
  UploadFileAction,
  DownloadFileAction,
  KeypressAction,
  ScrollAction,
  HoverAction,
  WaitAction,
  GotoUrlAction,
]);

export type BrowserAction = Static<typeof BrowserAction>;
export type BrowserActionType = BrowserAction['action_type'];
export type ActionOf<T extends BrowserActionType> = Extract<BrowserAction, { action_type: T }>;

export const BROWSER_ACTION_TYPES: readonly BrowserActionType[] = [
  'click', 'input_text', 'select_option', 'checkbox', 'upload_file', 'download_file',
  'keypress', 'scroll', 'hover', 'wait', 'goto_url',
];

export function isBrowserAction(value: unknown): value is BrowserAction {
  return Value.Check(BrowserAction, value);
}

export interface ActionResult {
  success: boolean;
  /** Human/LLM-readable reason for a failure. */
  error?: string;
  /** Action-specific details: e.g. which click strategy worked, saved file path, new tab URL. */
  data?: Record<string, unknown>;
}

export interface ActionContext {
  session: PageSession;
  /** Timeout for one Playwright step (a click attempt, a fill…). Default 5000 ms. */
  timeoutMs?: number;
  /** Where upload_file stores files fetched from URLs. Default: the OS temp folder. */
  tempDir?: string;
}

/** An expected failure with a message meant for the LLM (as opposed to a bug). */
export class ActionError extends Error {
  override name = 'ActionError';
}
