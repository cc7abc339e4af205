// The Jinja runtime as workflows need it, built on @huggingface/jinja (a maintained Jinja
// interpreter that keeps template values in its own value types and never exposes host objects).
//
// The library has no hooks for custom filters or resource limits, so this file — and only this
// file — reaches into its interpreter instance (per render, never globally):
//  - `applyFilter`: our filters (filters.ts) first, the library's built-ins otherwise;
//  - `evaluate`: a step budget and size caps, so `{% for %}` bombs and string/list doubling stop
//    fast instead of hanging a worker or exhausting memory;
//  - `evaluateBinaryExpression`: `~` treats undefined as empty text (Jinja's lax behaviour).
// The tests in this folder pin these behaviours, so a library upgrade that moves them fails loudly.
import { Environment, Interpreter, parse, tokenize } from '@huggingface/jinja';
import { CUSTOM_FILTERS } from './filters.ts';
import { fromRuntime, toRuntime, toText, type RuntimeValue } from './values.ts';

export type TemplateLimits = {
  /** Expression/statement evaluations per render. */
  maxSteps: number;
  /** Longest string any expression may produce (characters). */
  maxStringLength: number;
  /** Longest list any expression may produce (context lists included). */
  maxListLength: number;
  /** Longest `range()`. */
  maxRangeLength: number;
  /** Wall-clock safety net for one render, checked between evaluation steps. */
  maxDurationMs: number;
};

// The library's `for` costs up to ~10 µs per iteration, so the step budget (one step per node
// evaluated and one per list item produced) keeps the worst case around a second; real workflow
// templates use a few hundred steps, a loop over 10k extracted rows a few tens of thousands.
export const DEFAULT_LIMITS: TemplateLimits = {
  maxSteps: 100_000,
  maxStringLength: 5_000_000,
  maxListLength: 100_000,
  maxRangeLength: 10_000,
  maxDurationMs: 1_000,
};

export class TemplateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

export class TemplateLimitError extends TemplateError {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateLimitError';
  }
}

export type Program = ReturnType<typeof parse>;
type Node = { type: string; [key: string]: unknown };
type Internals = {
  evaluate(node: Node, env: Environment): RuntimeValue;
  applyFilter(operand: RuntimeValue, filter: Node, env: Environment): RuntimeValue;
  evaluateArguments(args: Node[], env: Environment): [RuntimeValue[], Map<string, RuntimeValue>];
  evaluateBinaryExpression(node: Node, env: Environment): RuntimeValue;
};

const PROGRAM_CACHE_SIZE = 500;
const programCache = new Map<string, Program>();

/** Parses (with a small LRU cache: the same block fields render on every loop iteration). */
export function compile(template: string): Program {
  const cached = programCache.get(template);
  if (cached) {
    programCache.delete(template);
    programCache.set(template, cached);
    return cached;
  }
  let program: Program;
  try {
    // Jinja's defaults (no trim_blocks / lstrip_blocks), as Skyvern's environment uses them.
    program = parse(tokenize(template, { trim_blocks: false, lstrip_blocks: false }));
  } catch (error) {
    throw new TemplateError(`Template syntax error: ${(error as Error).message}`, { cause: error });
  }
  programCache.set(template, program);
  if (programCache.size > PROGRAM_CACHE_SIZE) programCache.delete(programCache.keys().next().value!);
  return program;
}

function globalsEnvironment(limits: TemplateLimits): Environment {
  const env = new Environment();
  for (const [name, value] of [['true', true], ['false', false], ['none', null], ['True', true], ['False', false], ['None', null]] as const) {
    env.set(name, value);
  }
  env.set('range', (start: number, stop?: number, step = 1) => boundedRange(start, stop, step, limits.maxRangeLength));
  return env;
}

function boundedRange(start: number, stop: number | undefined, step: number, max: number): number[] {
  if (stop === undefined) [start, stop] = [0, start];
  if (![start, stop, step].every(Number.isInteger)) throw new TemplateError('range() arguments must be integers');
  if (step === 0) throw new TemplateError('range() step must not be zero');
  const length = Math.max(0, Math.ceil((stop - start) / step));
  if (length > max) throw new TemplateLimitError(`range() of ${length} items exceeds the limit of ${max}`);
  return Array.from({ length }, (_, i) => start + i * step);
}

/** Renders a compiled template against plain data (see `toTemplateData`). */
export function run(program: Program, data: Record<string, unknown>, limits: TemplateLimits = DEFAULT_LIMITS): string {
  const env = new Environment(globalsEnvironment(limits));
  for (const [name, value] of Object.entries(data)) env.set(name, value);
  const interpreter = new Interpreter(env);
  instrument(interpreter as unknown as Internals, limits);
  try {
    return (interpreter.run(program) as unknown as RuntimeValue).value as string;
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    if (error instanceof RangeError) throw new TemplateLimitError(`Template too large or too deep: ${error.message}`);
    throw new TemplateError(`Template error: ${(error as Error).message}`, { cause: error });
  }
}

function instrument(interpreter: Internals, limits: TemplateLimits): void {
  const baseEvaluate = interpreter.evaluate.bind(interpreter);
  const baseApplyFilter = interpreter.applyFilter.bind(interpreter);
  const baseBinary = interpreter.evaluateBinaryExpression.bind(interpreter);
  let steps = 0;
  const deadline = Date.now() + limits.maxDurationMs;

  const charge = (cost: number) => {
    steps += cost;
    if (steps > limits.maxSteps) throw new TemplateLimitError(`Template exceeded ${limits.maxSteps} evaluation steps`);
    if (Date.now() > deadline) throw new TemplateLimitError(`Template rendering took longer than ${limits.maxDurationMs} ms`);
  };
  interpreter.evaluate = (node, env) => {
    charge(1);
    const result = baseEvaluate(node, env);
    if (typeof result?.value === 'string' && result.value.length > limits.maxStringLength) {
      throw new TemplateLimitError(`Template produced a string longer than ${limits.maxStringLength} characters`);
    }
    if (Array.isArray(result?.value)) {
      if (result.value.length > limits.maxListLength) {
        throw new TemplateLimitError(`Template produced a list longer than ${limits.maxListLength} items`);
      }
      // A list costs one step per item: a loop over it does per-item work even with an empty
      // body, which the per-node count alone would not see (nested `range()` loops).
      charge(result.value.length);
    }
    return result;
  };

  interpreter.applyFilter = (operand, filterNode, env) => {
    const isCall = filterNode.type === 'CallExpression';
    const nameNode = (isCall ? filterNode.callee : filterNode) as Node;
    const filter = nameNode.type === 'Identifier' ? CUSTOM_FILTERS.get(nameNode.value as string) : undefined;
    if (!filter) return baseApplyFilter(operand, filterNode, env);
    const [args, kwargs] = isCall ? interpreter.evaluateArguments(filterNode.args as Node[], env) : [[], new Map()];
    const result = filter(fromRuntime(operand), {
      args: args.map(fromRuntime),
      kwargs: Object.fromEntries([...kwargs].map(([k, v]) => [k, fromRuntime(v)])),
    });
    return toRuntime(result);
  };

  interpreter.evaluateBinaryExpression = (node, env) => {
    if ((node.operator as { value?: string } | undefined)?.value !== '~') return baseBinary(node, env);
    const left = fromRuntime(interpreter.evaluate(node.left as Node, env));
    const right = fromRuntime(interpreter.evaluate(node.right as Node, env));
    return toRuntime(toText(left) + toText(right));
  };
}
