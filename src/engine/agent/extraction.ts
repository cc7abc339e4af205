// Extraction to the user's data_extraction_schema. A real JSON Schema is enforced with ajv: a
// reply that does not match is sent back once with the validator's message; an example shape or a
// prose description is passed to the model as guidance only.
import { JsonSchemaChecker } from '../../llm/json-output.ts';
import { callModel, type CallRecord } from './llm-call.ts';
import { extractionText, type PageView } from './perceive.ts';
import { buildExtractPrompt } from './prompts/extract-prompt.ts';
import { looksLikeJsonSchema } from './prompts/sections.ts';
import type { AgentRuntime } from './types.ts';

export type ExtractionResult = { ok: true; value: unknown } | { ok: false; value: unknown; error: string };

const PRIMITIVE_TYPES = ['string', 'number', 'integer', 'boolean', 'null'];
const checker = new JsonSchemaChecker();

/** How the schema is enforced: `validate` is absent for example shapes and descriptions. */
interface SchemaPlan {
  /** What the model is shown. */
  shown: unknown;
  validate?: (value: unknown) => { ok: true } | { ok: false; error: string };
  /** Primitive schemas are asked for as {"value": …} (replies must be JSON objects) and unwrapped. */
  wrapped: boolean;
}

function planFor(schema: unknown): SchemaPlan {
  if (!looksLikeJsonSchema(schema)) return { shown: schema, wrapped: false };
  const wrapped = typeof schema.type === 'string' && PRIMITIVE_TYPES.includes(schema.type);
  const enforced = wrapped ? { type: 'object', properties: { value: schema }, required: ['value'] } : schema;
  try {
    checker.compile(enforced);
  } catch {
    return { shown: schema, wrapped: false }; // Not a valid JSON Schema after all: treat it as an example.
  }
  return { shown: enforced, wrapped, validate: (value) => checker.check(enforced, value) };
}

export interface ExtractionRequest {
  goal: string;
  /** The whole task, when `goal` is one part of it. */
  parentGoal?: string;
  schema?: unknown;
  earlier?: unknown;
  view: PageView;
}

export async function extractData(rt: AgentRuntime, rec: CallRecord, req: ExtractionRequest): Promise<ExtractionResult> {
  const plan = planFor(req.schema);
  const pageText = extractionText(req.view, rt.secrets);
  let feedback: string | undefined;
  let last: unknown = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    const { system, prompt } = buildExtractPrompt({ goal: req.goal, parentGoal: req.parentGoal, schema: plan.shown, earlier: req.earlier, feedback, pageText });
    const reply = await callModel(rt, rec, { purpose: 'extract', system, prompt, images: req.view.screenshot ? [req.view.screenshot] : [] });
    last = reply.json ?? null;
    const checked = plan.validate ? plan.validate(last) : { ok: true as const };
    const value = plan.wrapped && last && typeof last === 'object' ? (last as Record<string, unknown>).value : last;
    rec.artifacts.save('llm_response_parsed', JSON.stringify({ purpose: 'extract', attempt, valid: checked.ok, value }), 'json');
    if (checked.ok) return { ok: true, value };
    feedback = `${checked.error}. Reply again with JSON that satisfies the schema.`;
    last = value;
  }
  return { ok: false, value: last, error: feedback!.replace(/\. Reply again.*$/, '') };
}
