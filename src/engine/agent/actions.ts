// The agent's action vocabulary (Skyvern's): the browser actions plus the ones the agent itself
// handles — extract, complete, terminate, solve_captcha. Models write these loosely (upper case,
// `id` for `element_id`, a bare key string, a select option as a string…); `normalizeAction`
// accepts what is unambiguous and explains what it could not use, for the next prompt.
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { BrowserAction, normalizeElementId } from '../../browser/index.ts';

export const UserErrorClaim = Type.Object({
  error_code: Type.String(),
  reasoning: Type.Optional(Type.String()),
  confidence_float: Type.Optional(Type.Number()),
});
export type UserErrorClaim = Static<typeof UserErrorClaim>;
const claims = Type.Optional(Type.Array(UserErrorClaim));
const reasoning = Type.Optional(Type.String());

export const ExtractAction = Type.Object({ action_type: Type.Literal('extract'), reasoning });
export const CompleteAction = Type.Object({
  action_type: Type.Literal('complete'), data: Type.Optional(Type.Unknown()),
  /** A quote from the current page that shows the goal done; found there, it verifies the claim without a separate check. */
  evidence: Type.Optional(Type.String()),
  errors: claims, reasoning,
});
export const TerminateAction = Type.Object({ action_type: Type.Literal('terminate'), reason: Type.String(), errors: claims, reasoning });
export const SolveCaptchaAction = Type.Object({ action_type: Type.Literal('solve_captcha'), captcha_type: Type.Optional(Type.String()), reasoning });

export const AgentAction = Type.Union([BrowserAction, ExtractAction, CompleteAction, TerminateAction, SolveCaptchaAction]);
export type AgentAction = Static<typeof AgentAction>;
export type AgentActionType = AgentAction['action_type'];

/** What models call the actions besides their proper names. */
const ALIASES: Record<string, string> = {
  type: 'input_text', input: 'input_text', fill: 'input_text', type_text: 'input_text', enter_text: 'input_text', paste_text: 'input_text',
  select: 'select_option', choose_option: 'select_option',
  check: 'checkbox', toggle: 'checkbox',
  upload: 'upload_file', download: 'download_file',
  press: 'keypress', press_key: 'keypress', key_press: 'keypress', press_keys: 'keypress', press_enter: 'keypress',
  goto: 'goto_url', go_to_url: 'goto_url', navigate: 'goto_url', open_url: 'goto_url',
  extract_information: 'extract', extract_data: 'extract',
  done: 'complete', finish: 'complete', finished: 'complete',
  fail: 'terminate', abort: 'terminate', stop: 'terminate',
  captcha: 'solve_captcha',
};

export type NormalizedAction = { ok: true; action: AgentAction } | { ok: false; problem: string };

type Raw = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);

/** Turns one action object from a model reply into a checked AgentAction. */
export function normalizeAction(input: unknown): NormalizedAction {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: false, problem: `not an action object: ${JSON.stringify(input)?.slice(0, 80)}` };
  const raw = input as Raw;
  const named = str(raw.action_type ?? raw.type ?? raw.action)?.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!named) return { ok: false, problem: 'an action has no action_type' };
  const type = ALIASES[named] ?? named;
  const out: Raw = { action_type: type };
  if (typeof raw.reasoning === 'string') out.reasoning = raw.reasoning;
  const id = str(raw.element_id ?? raw.id ?? raw.element);
  if (id && !['goto_url', 'wait', 'extract', 'complete', 'terminate', 'solve_captcha'].includes(type)) out.element_id = normalizeElementId(id) ?? id.trim();

  switch (type) {
    case 'input_text': out.text = str(raw.text ?? raw.value) ?? ''; break;
    case 'select_option': out.option = optionOf(raw); break;
    case 'checkbox': out.is_checked = bool(raw.is_checked ?? raw.checked ?? raw.value) ?? true; break;
    case 'upload_file': out.file_url = str(raw.file_url ?? raw.file ?? raw.url ?? raw.path); break;
    case 'keypress': out.keys = keysOf(raw, named); break;
    case 'scroll': out.direction = str(raw.direction)?.toLowerCase() === 'up' ? 'up' : 'down'; break;
    case 'wait': out.seconds = Math.min(30, Math.max(0, Number(raw.seconds ?? 2) || 2)); break;
    case 'goto_url': out.url = str(raw.url ?? raw.href); break;
    case 'complete': {
      const data = raw.data ?? raw.output ?? raw.answer;
      if (data !== undefined) out.data = data;
      if (str(raw.evidence)) out.evidence = str(raw.evidence);
      break;
    }
    case 'terminate': out.reason = str(raw.reason) ?? str(raw.reasoning) ?? 'The agent stopped without giving a reason.'; break;
    case 'solve_captcha': if (str(raw.captcha_type)) out.captcha_type = str(raw.captcha_type); break;
  }
  if ((type === 'complete' || type === 'terminate') && Array.isArray(raw.errors)) out.errors = errorClaims(raw.errors);
  // The model's explicit wish to send something again that was already sent (see submissions.ts).
  if (raw.repeat === true || raw.repeat === 'true') out.repeat = true;

  if (Value.Check(AgentAction, out)) return { ok: true, action: out as AgentAction };
  return { ok: false, problem: describeProblem(type, out) };
}

function optionOf(raw: Raw): Raw {
  const option = raw.option ?? raw.options;
  if (typeof option === 'string' || typeof option === 'number') return { label: String(option) };
  const src = option && typeof option === 'object' ? (option as Raw) : raw;
  const out: Raw = {};
  if (str(src.label)) out.label = str(src.label);
  if (str(src.value)) out.value = str(src.value);
  if (src.index !== undefined && src.index !== null && Number.isInteger(Number(src.index))) out.index = Number(src.index);
  if (!out.label && !out.value && out.index === undefined && str(raw.text)) out.label = str(raw.text);
  return out;
}

function keysOf(raw: Raw, named: string): string[] | undefined {
  let keys: string[] | undefined;
  if (Array.isArray(raw.keys)) keys = raw.keys.map(str).filter((k): k is string => !!k);
  else if (str(raw.keys ?? raw.key)) keys = [str(raw.keys ?? raw.key)!];
  else if (named === 'press_enter') keys = ['Enter'];
  const repeat = Math.min(10, Math.max(1, Number(raw.repeat ?? 1) || 1));
  return keys && repeat > 1 ? Array.from({ length: repeat }, () => keys!).flat() : keys;
}

function errorClaims(list: unknown[]): UserErrorClaim[] {
  return list.flatMap((e) => {
    if (!e || typeof e !== 'object') return [];
    const r = e as Raw;
    const code = str(r.error_code ?? r.code);
    if (!code) return [];
    const conf = Number(r.confidence_float ?? r.confidence);
    return [{ error_code: code, reasoning: str(r.reasoning) ?? '', ...(Number.isFinite(conf) ? { confidence_float: conf } : {}) }];
  });
}

function describeProblem(type: string, out: Raw): string {
  const known = ['click', 'input_text', 'select_option', 'checkbox', 'upload_file', 'download_file', 'keypress', 'scroll', 'hover', 'wait',
    'goto_url', 'extract', 'complete', 'terminate', 'solve_captcha'];
  if (!known.includes(type)) return `unknown action_type "${type}"`;
  const member = memberSchema(AgentAction, type);
  const first = member ? [...Value.Errors(member, out)][0] : undefined;
  const field = first?.instancePath.replace(/^\//, '') || (first?.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0];
  const missing = field || 'a required field';
  return `${type} is missing or has an invalid "${missing}"`;
}

/** The union member for one action_type, so errors name that action's fields, not another member's. */
function memberSchema(schema: unknown, type: string): TSchema | undefined {
  const s = schema as { anyOf?: unknown[]; properties?: { action_type?: { const?: unknown } } };
  if (s.anyOf) return s.anyOf.map((m) => memberSchema(m, type)).find(Boolean);
  return s.properties?.action_type?.const === type ? (schema as TSchema) : undefined;
}

export interface ParsedReply {
  thoughts: string;
  actions: AgentAction[];
  /** Actions that could not be used, with the reason; reported back to the model. */
  problems: string[];
}

/** Reads a model's step reply: `{thoughts, actions: [...]}`, a bare array, or one action object. */
export function parseAgentReply(json: unknown): ParsedReply {
  let obj: Raw = {};
  let list: unknown[] = [];
  if (Array.isArray(json)) list = json;
  else if (json && typeof json === 'object') {
    obj = json as Raw;
    if (Array.isArray(obj.actions)) list = obj.actions;
    else if (obj.actions && typeof obj.actions === 'object') list = [obj.actions];
    else if (obj.action_type) list = [obj];
  }
  const thoughts = str(obj.thoughts ?? obj.reasoning ?? obj.action_plan) ?? '';
  const actions: AgentAction[] = [];
  const problems: string[] = [];
  for (const item of list) {
    const n = normalizeAction(item);
    if (n.ok) actions.push(n.action);
    else problems.push(n.problem);
  }
  if (list.length === 0) problems.push('the reply has no "actions" array');
  return { thoughts, actions, problems };
}

/** Element IDs of an action, for checking them against the page the model was shown. */
export function targetOf(action: AgentAction): string | undefined {
  return 'element_id' in action ? action.element_id : undefined;
}
