// A scripted "model" for the agent's end-to-end tests. It reads the prompt the agent really sent
// (goal, notes, the serialized page) and answers like a model would, choosing elements BY THE TEXT
// AND LABELS it finds on the page — never by hard-coded IDs — so a passing test proves that
// perception (scan + serialization) and execution work together.
import { ACTION_SYSTEM_PROMPT } from '../../../../src/engine/agent/prompts/action-prompt.ts';
import { CHECK_SYSTEM_PROMPT } from '../../../../src/engine/agent/prompts/check-prompt.ts';
import { EXTRACT_SYSTEM_PROMPT } from '../../../../src/engine/agent/prompts/extract-prompt.ts';
import { PLAN_SYSTEM_PROMPT } from '../../../../src/engine/agent/prompts/plan-prompt.ts';
import { startScriptedLlm, type ScriptedAnswer, type ScriptedLlm, type ScriptedRequest } from '../../../fixtures/llm/scripted-openai-server.ts';
import assert from 'node:assert/strict';
import { serveFixtures, type FixtureServer } from '../../../fixtures/sites/server.ts';
import { startStack, type TestStack } from '../../../support/stack.ts';

export type CallKind = 'action' | 'check' | 'extract' | 'plan';

export interface PageElement { id: string; tag: string; text?: string; label?: string; value?: string; raw: string }

/** The serialized page as the model received it. */
export class SeenPage {
  readonly lines: string[];
  readonly elements: PageElement[];
  constructor(readonly text: string) {
    this.lines = text.split('\n');
    // An element starts a line, or sits inside a table row's line (`cell | [e5] a "View" | …`).
    this.elements = this.lines.flatMap((raw) => [...raw.matchAll(/(?<=^|\s)\[((?:f\d+)?e\d+)\] (\S+)((?:"(?:[^"\\]|\\.)*"|[^"[])*)/g)].map((m) => {
      const rest = m[3]!;
      const quoted = (key: string) => new RegExp(`${key}="((?:[^"\\\\]|\\\\.)*)"`).exec(rest)?.[1];
      const text = /^(?: role=\S+)?(?: type=\S+)? "((?:[^"\\]|\\.)*)"/.exec(rest)?.[1];
      return { id: m[1]!, tag: m[2]!, text, label: quoted('label'), value: quoted('value'), raw };
    }));
  }
  get url(): string { return /^URL: (.*)$/m.exec(this.text)?.[1] ?? ''; }
  has(what: string | RegExp): boolean { return typeof what === 'string' ? this.text.includes(what) : what.test(this.text); }
  /** ID of the element whose visible text or label is (or else contains) `name`. */
  find(name: string | RegExp, tag?: string): string {
    const el = this.maybe(name, tag);
    if (!el) throw new Error(`scripted model: no element ${String(name)}${tag ? ` (${tag})` : ''} on ${this.url}:\n${this.text}`);
    return el.id;
  }
  maybe(name: string | RegExp, tag?: string): PageElement | undefined {
    const pool = this.elements.filter((e) => !tag || e.tag === tag);
    const names = (e: PageElement) => [e.text, e.label].filter((s): s is string => !!s).map((s) => s.toLowerCase());
    if (name instanceof RegExp) return pool.find((e) => [e.text, e.label].some((s) => s && name.test(s)));
    const want = name.toLowerCase();
    return pool.find((e) => names(e).includes(want)) ?? pool.find((e) => names(e).some((s) => s.includes(want)));
  }
  valueOf(name: string | RegExp): string | undefined { return this.maybe(name)?.value; }
}

export interface AgentCall {
  kind: CallKind;
  goal: string;
  /** "## NAME" sections of the user prompt, by name (page section under "PAGE"). */
  sections: Record<string, string>;
  page: SeenPage;
  prompt: string;
  /** True when this is the LLM layer's re-ask after an unusable reply. */
  reask: boolean;
  req: ScriptedRequest;
}

const KINDS: Array<[CallKind, string]> = [['action', ACTION_SYSTEM_PROMPT], ['check', CHECK_SYSTEM_PROMPT], ['extract', EXTRACT_SYSTEM_PROMPT], ['plan', PLAN_SYSTEM_PROMPT]];

const textOf = (content: unknown): string => typeof content === 'string' ? content
  : Array.isArray(content) ? content.map((p: any) => (p?.type === 'text' ? p.text : '')).join('') : '';

export function parseCall(req: ScriptedRequest): AgentCall {
  const system = textOf(req.messages.find((m: any) => m.role === 'system')?.content);
  const prompt = textOf(req.messages.find((m: any) => m.role === 'user')?.content);
  const kind = KINDS.find(([, s]) => system.startsWith(s.slice(0, 60)))?.[0];
  if (!kind) throw new Error(`scripted model: unknown system prompt: ${system.slice(0, 120)}`);
  const sections: Record<string, string> = {};
  const parts = prompt.split(/^## (.+)$/m);
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!.startsWith('CURRENT PAGE') ? 'PAGE' : parts[i]!.trim();
    sections[name] = parts[i + 1]!.trim();
  }
  return {
    kind, sections, prompt, req,
    goal: sections.GOAL ?? sections.TASK ?? '',
    page: new SeenPage(sections.PAGE ?? ''),
    reask: req.messages.some((m: any) => m.role === 'assistant'),
  };
}

export type Brain = (call: AgentCall) => ScriptedAnswer | Promise<ScriptedAnswer>;

export interface ScriptedAgent {
  llm: ScriptedLlm;
  /** Env for startStack: the worker's LLM is this server. */
  env: Record<string, string>;
  /** Routes calls whose goal/task contains `marker` to `brain`. */
  on(marker: string, brain: Brain): void;
  callsFor(marker: string): AgentCall[];
  close(): Promise<void>;
}

export async function startScriptedAgent(opts: { vision?: boolean; latencyMs?: number } = {}): Promise<ScriptedAgent> {
  const brains = new Map<string, Brain>();
  const seen: AgentCall[] = [];
  const route = (call: AgentCall) => {
    // Mini-goals of a 2.0 plan carry the whole task in OVERALL TASK.
    const haystack = `${call.goal}\n${call.sections['OVERALL TASK'] ?? ''}`;
    return [...brains.entries()].find(([marker]) => haystack.includes(marker));
  };
  const llm = await startScriptedLlm(async (req) => {
    const call = parseCall(req);
    seen.push(call);
    const match = route(call);
    if (!match) throw new Error(`scripted model: no brain for goal ${call.goal.slice(0, 100)}`);
    return match[1](call);
  }, { latencyMs: opts.latencyMs });
  return {
    llm,
    env: {
      ENABLE_OPENAI_COMPATIBLE: 'true', OPENAI_COMPATIBLE_API_BASE: `${llm.baseUrl}/v1`, OPENAI_COMPATIBLE_MODEL_NAME: 'scripted',
      OPENAI_COMPATIBLE_API_KEY: 'test', LLM_KEY: 'OPENAI_COMPATIBLE', OPENAI_COMPATIBLE_SUPPORTS_VISION: opts.vision ? 'true' : 'false',
      LLM_MAX_RETRIES: '0',
    },
    on: (marker, brain) => { brains.set(marker, brain); },
    callsFor: (marker) => seen.filter((c) => route(c)?.[0] === marker),
    close: () => llm.close(),
  };
}

// Reply builders, so scripts read like what a model would answer.
export const act = (thoughts: string, ...actions: object[]) => ({ thoughts, actions });
export const click = (element_id: string) => ({ action_type: 'click', element_id });
export const type = (element_id: string, text: string) => ({ action_type: 'input_text', element_id, text });
export const select = (element_id: string, label: string) => ({ action_type: 'select_option', element_id, option: { label } });
export const check = (element_id: string, is_checked = true) => ({ action_type: 'checkbox', element_id, is_checked });
export const complete = (data: unknown = null, evidence?: string) => ({ action_type: 'complete', data, ...(evidence ? { evidence } : {}) });
export const verdict = (achieved: boolean, thoughts = achieved ? 'The page shows the goal is done.' : 'Not done yet.', output: unknown = null) =>
  ({ thoughts, user_goal_achieved: achieved, output });

/**
 * A brain for a simple task: `step` decides actions; the checker says done when `success` is on the
 * page, and so does the acting model, quoting it, when it is asked on a page that shows it.
 */
export function simpleBrain(success: RegExp, step: (call: AgentCall) => ScriptedAnswer, extract?: (call: AgentCall) => ScriptedAnswer): Brain {
  return (call) => {
    if (call.kind === 'check') return verdict(call.page.has(success));
    if (call.kind === 'extract' && extract) return extract(call);
    const shown = success.exec(call.page.text)?.[0];
    if (call.kind === 'action' && shown) return act('The page shows the goal done', complete(null, shown));
    if (call.kind === 'action') return step(call);
    throw new Error(`scripted model: unexpected ${call.kind} call`);
  };
}

/** One stack whose worker talks to a scripted agent, plus the fixture sites: a test file's whole setup. */
export interface AgentHarness {
  stack: TestStack;
  agent: ScriptedAgent;
  site: FixtureServer;
  /** Submits a task and waits for its terminal state. */
  runTask(body: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

export async function startAgentHarness(env: Record<string, string> = {}, opts: { latencyMs?: number } = {}): Promise<AgentHarness> {
  const [agent, site] = await Promise.all([startScriptedAgent({ latencyMs: opts.latencyMs }), serveFixtures()]);
  const stack = await startStack({ worker: true, env: { ...agent.env, ...env } });
  return {
    stack, agent, site,
    async runTask(body) {
      const created = await stack.request('POST', '/v1/run/tasks', body);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      return stack.waitForTerminal(created.body.run_id, 90_000);
    },
    async close() { await stack.close(); await agent.close(); await site.close(); },
  };
}
