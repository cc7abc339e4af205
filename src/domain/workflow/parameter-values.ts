// Workflow parameter values: coercion of run-time inputs and defaults to the declared
// `workflow_parameter_type` (Skyvern's `WorkflowParameterType.convert_value` behaviour: booleans
// accept true/false/1/0, json parses strings, numbers accept numeric strings).
import type { WorkflowParameterType } from './schema/parameters.ts';

export type CoercionResult = { ok: true; value: unknown } | { ok: false; msg: string };

const INTEGER_TEXT = /^[-+]?\d+$/;
const FLOAT_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Converts `value` to the parameter's type; null/undefined stay null. */
export function coerceWorkflowParameterValue(type: WorkflowParameterType, value: unknown): CoercionResult {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (type) {
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
      if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return { ok: false, msg: `Expected an integer, got ${describe(value)}` };
    case 'float':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === 'string' && FLOAT_TEXT.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return { ok: false, msg: `Expected a number, got ${describe(value)}` };
    case 'boolean':
      return coerceBoolean(value);
    case 'json':
      if (typeof value !== 'string') return { ok: true, value };
      try {
        return { ok: true, value: JSON.parse(value) as unknown };
      } catch {
        return { ok: false, msg: 'Expected valid JSON text' };
      }
    case 'string':
      // YAML turns `default_value: 2024` into a number; Skyvern keeps scalars and stringifies them.
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
      return { ok: false, msg: `Expected a string, got ${describe(value)}` };
    case 'file_url':
    case 'credential_id':
      if (typeof value === 'string') return { ok: true, value };
      return { ok: false, msg: `Expected a string, got ${describe(value)}` };
  }
}

function coerceBoolean(value: unknown): CoercionResult {
  if (typeof value === 'boolean') return { ok: true, value };
  if (value === 0 || value === 1) return { ok: true, value: value === 1 };
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1') return { ok: true, value: true };
    if (text === 'false' || text === '0') return { ok: true, value: false };
  }
  return { ok: false, msg: `Expected a boolean (true/false/1/0), got ${describe(value)}` };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
