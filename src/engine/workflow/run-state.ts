// What a run knows while it executes: parameter values, block outputs (latest per label), and
// the loop frames around the block being run. Builds each block's template context from them.
import { buildTemplateContext, blockReference } from './template/index.ts';
import type { WorkflowRunInput } from './ports.ts';
import { assembleRunOutput } from './run-output.ts';

/** One enclosing loop iteration. */
export interface LoopFrame {
  label: string;
  blockRunId: string;
  currentValue: unknown;
  currentIndex: number;
  /** The parameter the loop iterates (`loop_over_parameter_key`); context parameters sourced from it read the current item. */
  loopOverKey: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class WorkflowRunState {
  readonly outputs = new Map<string, unknown>();
  private readonly outputLabels: Set<string>;

  constructor(private readonly input: WorkflowRunInput, private readonly now: () => Date = () => new Date()) {
    this.outputLabels = new Set(input.responseDefinition.parameters.filter((p) => p.parameter_type === 'output').map((p) => p.key));
  }

  recordOutput(label: string, value: unknown): void {
    // Re-inserting keeps the map in "last written" order for the run output.
    this.outputs.delete(label);
    this.outputs.set(label, value);
  }

  runOutput(): Record<string, unknown> | null {
    return assembleRunOutput(this.outputs);
  }

  /** The value a parameter (workflow, context or block output) has right now. */
  parameterValue(key: string, frames: LoopFrame[]): unknown {
    return this.resolve(key, frames, new Set());
  }

  templateContext(frames: LoopFrame[]): Record<string, unknown> {
    const parameters: Record<string, unknown> = { ...this.input.parameters };
    for (const p of this.input.definition.parameters) {
      if (p.parameter_type === 'context') parameters[p.key] = this.resolve(p.key, frames, new Set());
    }
    const inner = frames.at(-1);
    const outerLoops: Record<string, unknown> = {};
    for (const frame of frames.slice(0, -1)) {
      const existing = this.outputs.has(frame.label) ? blockReference(this.outputs.get(frame.label)) : {};
      outerLoops[frame.label] = { ...existing, current_value: frame.currentValue, current_item: frame.currentValue, current_index: frame.currentIndex };
    }
    return buildTemplateContext({
      parameters,
      blockOutputs: Object.fromEntries(this.outputs),
      workflow: {
        workflow_title: this.input.workflowTitle,
        workflow_id: this.input.workflowId,
        workflow_permanent_id: this.input.workflowPermanentId,
        workflow_run_id: this.input.runId,
        browser_session_id: this.input.browserSessionId,
      },
      loop: inner ? { label: inner.label, current_value: inner.currentValue, current_index: inner.currentIndex } : undefined,
      now: this.now(),
      extra: outerLoops,
    });
  }

  private resolve(key: string, frames: LoopFrame[], seen: Set<string>): unknown {
    if (seen.has(key)) return null;
    seen.add(key);
    if (Object.hasOwn(this.input.parameters, key)) return this.input.parameters[key];
    if (this.outputLabels.has(key)) return this.outputs.get(key.slice(0, -'_output'.length)) ?? null;
    const declared = this.input.definition.parameters.find((p) => p.key === key);
    if (!declared || declared.parameter_type !== 'context') return null;
    const source = declared.source_parameter_key;
    // Inside a loop over the source parameter, the context parameter is the current item.
    const frame = [...frames].reverse().find((f) => f.loopOverKey === source);
    if (frame) return pick(frame.currentValue, key);
    if (this.outputLabels.has(source)) return fromBlockOutput(this.outputs.get(source.slice(0, -'_output'.length)), key);
    return pick(this.resolve(source, frames, seen), key);
  }
}

/** A dict gives its `key` (or itself when it has no such key); anything else is the value itself. */
function pick(value: unknown, key: string): unknown {
  if (isRecord(value) && Object.hasOwn(value, key)) return value[key];
  return value ?? null;
}

/** A block output as a context source: nothing if the block failed, else its extracted data. */
function fromBlockOutput(output: unknown, key: string): unknown {
  if (output === undefined || output === null) return null;
  if (isRecord(output)) {
    if (output.status === 'failed' || output.status === 'terminated') return null;
    if (Array.isArray(output.errors) && output.errors.length > 0 && 'task_id' in output) return null;
    if ('extracted_information' in output) return pick(output.extracted_information, key);
  }
  return pick(output, key);
}
