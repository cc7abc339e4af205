// Turns TypeBox validation errors into pydantic-style problems (`Field required`,
// `Input should be a valid string`…), one per location, so a 422 reads like Skyvern's.
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { problem, type DefinitionProblem, type Loc } from './problems.ts';

type SchemaError = {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
};

const TYPE_NAMES: Record<string, string> = {
  string: 'string', integer: 'integer', number: 'number', boolean: 'boolean',
  array: 'list', object: 'dictionary', null: 'null',
};

function pointerToLoc(pointer: string): Loc {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((raw) => {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(part) ? Number(part) : part;
  });
}

function quoteList(values: unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : (quoted[0] ?? '');
}

/** Validates `value` against `schema`; returns problems with `base` prefixed to each loc. */
export function schemaProblems(schema: TSchema, value: unknown, base: Loc): DefinitionProblem[] {
  if (Value.Check(schema, value)) return [];
  const errors = [...Value.Errors(schema, value)] as unknown as SchemaError[];
  const byPath = new Map<string, { loc: Loc; expectedTypes: string[]; other: string[] }>();
  const entry = (loc: Loc) => {
    const key = JSON.stringify(loc);
    let found = byPath.get(key);
    if (!found) byPath.set(key, (found = { loc, expectedTypes: [], other: [] }));
    return found;
  };

  for (const error of errors) {
    const loc = [...base, ...pointerToLoc(error.instancePath)];
    switch (error.keyword) {
      case 'required':
        for (const name of (error.params.requiredProperties as string[] | undefined) ?? []) {
          entry([...loc, name]).other.push('Field required');
        }
        break;
      case 'type':
        entry(loc).expectedTypes.push(TYPE_NAMES[String(error.params.type)] ?? String(error.params.type));
        break;
      case 'enum':
        entry(loc).other.push(`Input should be ${quoteList((error.params.allowedValues as unknown[]) ?? [])}`);
        break;
      case 'const':
        entry(loc).other.push(`Input should be '${String(error.params.allowedValue)}'`);
        break;
      case 'minimum':
        entry(loc).other.push(`Input should be greater than or equal to ${String(error.params.limit)}`);
        break;
      case 'maximum':
        entry(loc).other.push(`Input should be less than or equal to ${String(error.params.limit)}`);
        break;
      case 'anyOf':
        break; // summarised by the branch errors at the same path
      default:
        entry(loc).other.push(error.message);
    }
  }

  const problems: DefinitionProblem[] = [];
  const paths = [...byPath.values()];
  for (const { loc, expectedTypes, other } of paths) {
    // A nullable field that failed its non-null branch deeper down also reports "must be null"
    // here; the deeper error is the useful one.
    const hasDeeper = paths.some((p) => p.loc.length > loc.length && JSON.stringify(p.loc.slice(0, loc.length)) === JSON.stringify(loc));
    const types = expectedTypes.filter((t) => t !== 'null');
    if (other.length > 0) problems.push(problem(loc, other[0]));
    else if (types.length > 0 && !hasDeeper) {
      problems.push(problem(loc, `Input should be a valid ${quoteTypes([...new Set(types)])}`));
    }
  }
  return problems.length > 0 ? problems : [problem(base, 'Input is invalid')];
}

function quoteTypes(types: string[]): string {
  return types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types.at(-1)}` : types[0];
}
