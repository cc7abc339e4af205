// What a for_loop iterates: `loop_variable_reference` (preferred) or `loop_over_parameter_key`.
import type { ForLoopBlockYaml } from '../../../domain/workflow/index.ts';
import type { BlockExecution } from '../executor.ts';
import { renderTemplate, TemplateError } from '../template/index.ts';

export type LoopValues = { ok: true; values: unknown[] } | { ok: false; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const WRAPPED = /^\{\{\s*([\s\S]+?)\s*\}\}$/;

export function resolveLoopValues(block: ForLoopBlockYaml, run: BlockExecution): LoopValues {
  const reference = block.loop_variable_reference?.trim();
  if (reference) {
    const value = fromReference(reference, run);
    if (value === undefined) {
      return { ok: false, reason: `No iterable value found for the loop block ${block.label}: loop_variable_reference "${reference}" resolved to nothing` };
    }
    return { ok: true, values: asList(value) };
  }
  const key = block.loop_over_parameter_key;
  if (!key) return { ok: false, reason: `The loop block ${block.label} names neither loop_variable_reference nor loop_over_parameter_key` };
  let value = run.exec.state.parameterValue(key, run.frames);
  // A block output loops over its extracted data.
  if (isRecord(value) && 'extracted_information' in value) value = value.extracted_information;
  return { ok: true, values: asList(value) };
}

/**
 * `{{ expr }}` or a bare `expr` is evaluated as data (through `tojson`, so lists stay lists);
 * when it yields nothing, the usual places extracted lists live are tried, as Skyvern does.
 */
function fromReference(reference: string, run: BlockExecution): unknown {
  const wrapped = WRAPPED.exec(reference);
  if (!wrapped && reference.includes('{')) {
    // A larger template (text around the braces): render it and read the result as JSON if it is JSON.
    const text = safeRender(reference, run);
    return text === undefined || text.trim() === '' ? undefined : parseMaybeJson(text);
  }
  const expression = wrapped ? wrapped[1] : reference;
  const candidates = [expression, `(${expression}).extracted_information`, `(${expression}).extracted_information.results`, `(${expression}).results`];
  // The docs write `{{ extract_output.orders }}` for data a task block keeps under extracted_information.
  const intoOutput = /^([A-Za-z_]\w*_output)\.(.+)$/.exec(expression);
  if (intoOutput) candidates.push(`${intoOutput[1]}.extracted_information.${intoOutput[2]}`);
  for (const candidate of candidates) {
    const text = safeRender(`{% if (${candidate}) is defined and (${candidate}) is not none %}{{ (${candidate}) | tojson }}{% endif %}`, run);
    if (text === undefined || text.trim() === '') continue;
    const value = parseMaybeJson(text);
    if (value !== null && value !== undefined && value !== '') return value;
  }
  return undefined;
}

function safeRender(template: string, run: BlockExecution): string | undefined {
  try {
    return renderTemplate(template, run.exec.state.templateContext(run.frames));
  } catch (error) {
    if (error instanceof TemplateError) return undefined;
    throw error;
  }
}

function parseMaybeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}

/** Lists as they are; a JSON list in a string parsed; null → nothing; anything else one item. */
export function asList(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    const parsed = parseMaybeJson(value);
    if (Array.isArray(parsed)) return parsed;
  }
  return [value];
}
