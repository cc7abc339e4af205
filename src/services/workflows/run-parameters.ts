// The values a run's workflow parameters take: what the caller sent, else the declared default,
// coerced to the declared type. Checked when the run is submitted (so the caller gets a 400
// naming the parameter) and again by the worker, which runs with the result.
import { coerceWorkflowParameterValue, type WorkflowDefinitionYaml } from '../../domain/workflow/index.ts';

export type ParameterProblem =
  | { kind: 'missing'; keys: string[] }
  | { kind: 'invalid'; key: string; type: string; msg: string };

export type ResolvedParameters = { ok: true; values: Record<string, unknown> } | { ok: false; problem: ParameterProblem };

/** Declared types whose parameters may be left empty without failing the run. */
const OPTIONAL_WHEN_EMPTY = new Set(['credential_id']);

export function resolveRunParameters(definition: WorkflowDefinitionYaml, supplied: Record<string, unknown> | null | undefined): ResolvedParameters {
  const given = supplied ?? {};
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const parameter of definition.parameters) {
    if (parameter.parameter_type !== 'workflow') continue;
    const raw = Object.hasOwn(given, parameter.key) && given[parameter.key] !== null ? given[parameter.key] : parameter.default_value;
    const coerced = coerceWorkflowParameterValue(parameter.workflow_parameter_type, raw);
    if (!coerced.ok) {
      return { ok: false, problem: { kind: 'invalid', key: parameter.key, type: parameter.workflow_parameter_type, msg: coerced.msg } };
    }
    if (coerced.value === null && !OPTIONAL_WHEN_EMPTY.has(parameter.workflow_parameter_type)) missing.push(parameter.key);
    values[parameter.key] = coerced.value;
  }
  if (missing.length > 0) return { ok: false, problem: { kind: 'missing', keys: missing } };
  return { ok: true, values };
}

/** Skyvern's wording, with the run and workflow named so the caller can find the failed run row. */
export function describeParameterProblem(problem: ParameterProblem, runId: string, wpid: string): string {
  if (problem.kind === 'missing') {
    return `Missing value for parameter ${problem.keys.join(', ')} in workflow run ${runId} of workflow ${wpid}`;
  }
  return `Invalid value for parameter ${problem.key} (${problem.type}) in workflow run ${runId} of workflow ${wpid}: ${problem.msg}`;
}
