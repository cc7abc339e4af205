// Evaluating branch / loop conditions: Jinja expressions rendered and read as truthy or falsy,
// natural-language conditions batched into one LLM call that may look at the current page.
import { LlmError } from '../../../llm/errors.ts';
import type { BlockExecution } from '../executor.ts';
import { renderTemplate } from '../template/index.ts';

export interface Criteria {
  criteria_type?: 'jinja2_template' | 'prompt';
  expression: string;
  description?: string | null;
}

export interface CriteriaResult { result: boolean; expression: string; reasoning?: string }
export type CriteriaVerdict =
  | { ok: true; results: CriteriaResult[]; llmPrompt: string | null; llmResponse: unknown }
  | { ok: false; reason: string };

const FALSY = new Set(['', 'false', '0', 'no', 'n', 'off', 'null', 'none']);

/** Skyvern's reading of a rendered condition: falsy words, numbers ≠ 0, any other text is true. */
export function isTruthyText(text: string): boolean {
  const normalized = text.trim().toLowerCase();
  if (FALSY.has(normalized)) return false;
  const n = Number(normalized);
  if (normalized !== '' && Number.isFinite(n)) return n !== 0;
  return true;
}

export function evaluateJinja(expression: string, run: BlockExecution): CriteriaResult {
  const rendered = renderTemplate(expression, run.exec.state.templateContext(run.frames), { strictness: run.exec.env.settings.templatingStrictness });
  return { result: isTruthyText(rendered), expression: rendered };
}

const PROMPT_SCHEMA = {
  type: 'object',
  properties: {
    evaluations: {
      type: 'array',
      items: {
        type: 'object',
        properties: { index: { type: 'integer' }, result: { type: 'boolean' }, reasoning: { type: 'string' } },
        required: ['index', 'result'],
      },
    },
  },
  required: ['evaluations'],
};

const SYSTEM = 'You check conditions for a browser automation workflow. Judge every condition on its own, '
  + 'from the current page and the workflow data given. Reply with JSON only: '
  + '{"evaluations": [{"index": <condition number>, "result": true|false, "reasoning": "<one sentence>"}]}.';

/** Page facts for prompt conditions, only when a block already opened the browser. */
async function pageContext(run: BlockExecution): Promise<string> {
  const browser = run.exec.env.openedBrowser();
  if (!browser) return 'No page is open.';
  const page = browser.page();
  const text = await page.evaluate('document.body ? document.body.innerText : ""').catch(() => '') as string;
  return `Current page: ${page.url()} (title: ${await page.title().catch(() => '')})\nVisible text:\n${String(text).slice(0, 6000)}`;
}

/** All natural-language conditions in one LLM call (their Jinja parts rendered first). */
export async function evaluatePrompts(expressions: string[], run: BlockExecution): Promise<CriteriaVerdict> {
  const { env } = run.exec;
  const context = run.exec.state.templateContext(run.frames);
  const rendered = expressions.map((e) => renderTemplate(e, context, { strictness: env.settings.templatingStrictness }));
  const outputs = JSON.stringify(Object.fromEntries(run.exec.state.outputs)).slice(0, 8000);
  const prompt = [
    'Conditions:', ...rendered.map((e, i) => `${i}. ${e}`), '',
    await pageContext(run), '',
    `Outputs of the workflow's blocks so far (JSON): ${outputs}`,
  ].join('\n');
  try {
    const reply = await env.llm.complete({ system: SYSTEM, prompt, jsonSchema: PROMPT_SCHEMA, purpose: 'conditional', model: run.exec.input.model ?? null, signal: env.signal });
    await env.recorder.addUsage({ inputTokens: reply.usage.inputTokens, outputTokens: reply.usage.outputTokens, costUsd: reply.costUsd });
    const evaluations = ((reply.json as { evaluations?: unknown[] })?.evaluations ?? []) as { index?: number; result?: unknown; reasoning?: string }[];
    const results = rendered.map((expression, i) => {
      const found = evaluations.find((e) => e.index === i) ?? evaluations[i];
      return { expression, result: found?.result === true, reasoning: found?.reasoning };
    });
    return { ok: true, results, llmPrompt: prompt, llmResponse: reply.json ?? reply.text };
  } catch (error) {
    if (env.signal.aborted) throw error;
    const reason = error instanceof LlmError ? `LLM call failed: ${error.message}` : (error as Error).message;
    return { ok: false, reason };
  }
}

/** Evaluates every condition (Jinja ones locally, prompt ones in one batch), keeping their order. */
export async function evaluateCriteria(criteria: Criteria[], run: BlockExecution): Promise<CriteriaVerdict> {
  try {
    const results: (CriteriaResult | undefined)[] = criteria.map((c) => (c.criteria_type === 'prompt' ? undefined : evaluateJinja(c.expression, run)));
    const promptIndexes = criteria.flatMap((c, i) => (c.criteria_type === 'prompt' ? [i] : []));
    if (promptIndexes.length === 0) return { ok: true, results: results as CriteriaResult[], llmPrompt: null, llmResponse: null };
    const verdict = await evaluatePrompts(promptIndexes.map((i) => criteria[i].expression), run);
    if (!verdict.ok) return verdict;
    promptIndexes.forEach((criteriaIndex, k) => { results[criteriaIndex] = verdict.results[k]; });
    return { ok: true, results: results as CriteriaResult[], llmPrompt: verdict.llmPrompt, llmResponse: verdict.llmResponse };
  } catch (error) {
    if (run.exec.env.signal.aborted) throw error;
    return { ok: false, reason: (error as Error).message };
  }
}
