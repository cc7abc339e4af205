// Schedule parameters are stricter than a run request's: a schedule runs unattended for months,
// so a misspelled key must be refused when it is saved, not ignored at every fire (Skyvern's rule).
import { BadRequestError } from '../errors.ts';
import { coerceWorkflowParameterValue } from '../workflow/parameter-values.ts';
import type { WorkflowDefinitionYaml } from '../workflow/schema/request.ts';

/** Drops keys given as null, so the workflow's defaults apply at run time. */
export function stripNullParameters(parameters: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!parameters) return null;
  return Object.fromEntries(Object.entries(parameters).filter(([, v]) => v !== null && v !== undefined));
}

/** Refuses unknown keys, missing required values and values of the wrong type, naming them. */
export function checkScheduleParameters(wpid: string, definition: Pick<WorkflowDefinitionYaml, 'parameters'> | undefined, parameters: Record<string, unknown>): void {
  const declared = (definition?.parameters ?? []).flatMap((p) => (p.parameter_type === 'workflow' ? [p] : []));
  const known = new Set(declared.map((p) => p.key));
  const unknown = Object.keys(parameters).filter((k) => !known.has(k));
  if (unknown.length) throw new BadRequestError(`Unknown schedule parameters for workflow ${wpid}: ${unknown.join(', ')}`);
  const missing = declared.filter((p) => (p.default_value === null || p.default_value === undefined) && !(p.key in parameters)).map((p) => p.key);
  if (missing.length) throw new BadRequestError(`Missing schedule parameters for workflow ${wpid}: ${missing.join(', ')}`);
  for (const p of declared) {
    if (!(p.key in parameters)) continue;
    const result = coerceWorkflowParameterValue(p.workflow_parameter_type, parameters[p.key]);
    if (!result.ok) throw new BadRequestError(`Invalid schedule parameter '${p.key}' for workflow ${wpid}: ${result.msg}`);
  }
}
