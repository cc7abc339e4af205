// The run's `output`: every recorded block output as `<label>_output`, plus
// `extracted_information` collected from all of them (Skyvern's `WorkflowRunResponse.output`).

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every nested `extracted_information` value, lists spread, in document order. */
export function collectExtractedInformation(value: unknown, into: unknown[] = [], depth = 0): unknown[] {
  if (depth > 64) return into;
  if (Array.isArray(value)) {
    for (const item of value) collectExtractedInformation(item, into, depth + 1);
  } else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'extracted_information') {
        if (Array.isArray(child)) into.push(...child);
        else if (child !== null && child !== undefined) into.push(child);
      } else {
        collectExtractedInformation(child, into, depth + 1);
      }
    }
  }
  return into;
}

/** Null when no block recorded output (Skyvern's rule). */
export function assembleRunOutput(outputs: ReadonlyMap<string, unknown>): Record<string, unknown> | null {
  if (outputs.size === 0) return null;
  const result: Record<string, unknown> = {};
  for (const [label, value] of outputs) result[`${label}_output`] = value ?? null;
  result.extracted_information = collectExtractedInformation([...outputs.values()]);
  return result;
}

/** User-defined errors the run's task-like blocks reported (the run's `errors`). */
export function collectTaskErrors(outputs: ReadonlyMap<string, unknown>): Record<string, unknown>[] {
  const errors: Record<string, unknown>[] = [];
  for (const output of outputs.values()) {
    if (isRecord(output) && 'task_id' in output && Array.isArray(output.errors)) {
      for (const e of output.errors) if (isRecord(e)) errors.push(e);
    }
  }
  return errors;
}
