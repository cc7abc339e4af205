// Which block runs next. Version 1 lists run in order; graph-style lists (version 2, or a loop
// body using next_block_label / conditionals) start at their single root and follow
// `next_block_label` and the branch a conditional picked. The finally block never runs in the
// normal walk; the runner runs it afterwards (unless the run was canceled).
import type { WorkflowDefinitionYaml } from './schema/request.ts';
import type { BlockYaml } from './schema/blocks.ts';

/** True when a list uses graph features (conditional blocks or explicit next_block_label). */
export function usesGraphFeatures(blocks: BlockYaml[]): boolean {
  return blocks.some((b) => b.block_type === 'conditional' || Boolean(b.next_block_label));
}

/** A loop body is walked as a graph only if it uses graph features itself. */
export const isGraphScope = usesGraphFeatures;

/** Explicit version, else 2 when the top level uses graph features, else 1. */
export function resolveDefinitionVersion(definition: Pick<WorkflowDefinitionYaml, 'version' | 'blocks'>): number {
  if (typeof definition.version === 'number') return definition.version;
  return usesGraphFeatures(definition.blocks) ? 2 : 1;
}

/** Outgoing edges of a block: its next_block_label and, for a conditional, every branch target. */
export function blockEdges(block: BlockYaml): string[] {
  const targets: string[] = [];
  if (block.next_block_label) targets.push(block.next_block_label);
  if (block.block_type === 'conditional') {
    for (const branch of block.branch_conditions ?? []) if (branch.next_block_label) targets.push(branch.next_block_label);
  }
  return targets;
}

export type BlockWalkStep = { next: string | null } | { error: string };

/**
 * Walks one list of blocks (the top level or one loop iteration's body). Stateful per walk:
 * it remembers visited blocks (a revisit is a runtime cycle → error) and pending merge points
 * (after a conditional's branch chain ends, execution resumes at the conditional's own
 * next_block_label).
 */
export class BlockWalk {
  private readonly byLabel: Map<string, BlockYaml>;
  private readonly order: string[];
  private readonly graph: boolean;
  private readonly hasConditional: boolean;
  private readonly visited = new Set<string>();
  private readonly mergePoints: string[] = [];

  constructor(
    private readonly blocks: BlockYaml[],
    options: { graph: boolean; finallyBlockLabel?: string | null },
  ) {
    const finallyLabel = options.finallyBlockLabel ?? null;
    const runnable = blocks.filter((b) => b.label !== finallyLabel);
    this.byLabel = new Map(runnable.map((b) => [b.label, b]));
    this.order = runnable.map((b) => b.label);
    this.graph = options.graph;
    this.hasConditional = runnable.some((b) => b.block_type === 'conditional');
  }

  /** Walk for a whole definition's top level. */
  static forDefinition(definition: WorkflowDefinitionYaml): BlockWalk {
    return new BlockWalk(definition.blocks, {
      graph: resolveDefinitionVersion(definition) >= 2,
      finallyBlockLabel: definition.finally_block_label ?? null,
    });
  }

  /** Walk for one iteration of a loop body. */
  static forLoopBody(loopBlocks: BlockYaml[]): BlockWalk {
    return new BlockWalk(loopBlocks, { graph: isGraphScope(loopBlocks) });
  }

  block(label: string): BlockYaml | undefined {
    return this.byLabel.get(label);
  }

  /** The first block to run (null for an empty list). */
  start(): BlockWalkStep {
    let first: string | undefined = this.order[0];
    if (this.graph) {
      const targeted = new Set(this.order.flatMap((l) => blockEdges(this.byLabel.get(l)!)));
      first = this.order.find((l) => !targeted.has(l)) ?? this.order[0];
    }
    return this.enter(first ?? null);
  }

  /**
   * The block after `label` finished. For a conditional pass the matched branch's target
   * (`null` when the branch has none); for other blocks leave `branchTarget` undefined.
   */
  next(label: string, branchTarget?: string | null): BlockWalkStep {
    const block = this.byLabel.get(label);
    if (!block) return { error: `Unknown block label '${label}'` };
    if (!this.graph) return this.enter(this.order[this.order.indexOf(label) + 1] ?? null);
    if (block.block_type === 'conditional' && branchTarget !== undefined) {
      const after = block.next_block_label ?? null;
      if (branchTarget !== null) {
        if (after !== null && after !== branchTarget) this.mergePoints.push(after);
        return this.enter(branchTarget);
      }
      return this.enter(after ?? this.mergePoints.pop() ?? null);
    }
    if (block.next_block_label) return this.enter(block.next_block_label);
    if (this.mergePoints.length > 0) return this.enter(this.mergePoints.pop()!);
    // Without conditionals a missing edge falls back to list order (Skyvern's run-time default).
    if (!this.hasConditional) return this.enter(this.order[this.order.indexOf(label) + 1] ?? null);
    return { next: null };
  }

  private enter(label: string | null): BlockWalkStep {
    if (label === null) return { next: null };
    // Jumping to the finally block ends the normal walk; the runner runs it afterwards anyway.
    if (!this.byLabel.has(label)) {
      return this.blocks.some((b) => b.label === label) ? { next: null } : { error: `Unknown block label '${label}'` };
    }
    if (this.visited.has(label)) return { error: `Block '${label}' would run twice (cycle in the block graph)` };
    this.visited.add(label);
    // Reaching a pending merge point directly means that branch chain joined it explicitly.
    const pending = this.mergePoints.lastIndexOf(label);
    if (pending >= 0) this.mergePoints.splice(pending, 1);
    return { next: label };
  }
}

/** The labels a walk would visit if every conditional took its default/first target (for previews and tests). */
export function plannedOrder(walk: BlockWalk): string[] {
  const labels: string[] = [];
  let step = walk.start();
  while ('next' in step && step.next !== null) {
    labels.push(step.next);
    const block = walk.block(step.next)!;
    const branch = block.block_type === 'conditional'
      ? ((block.branch_conditions ?? []).find((b) => b.is_default) ?? block.branch_conditions?.[0])?.next_block_label ?? null
      : undefined;
    step = walk.next(step.next, branch);
  }
  return labels;
}

/**
 * The top-level run order when every conditional takes its default (or first) branch, and the
 * finally block to run afterwards. For previews and simple runners; a real run walks with
 * `BlockWalk` so conditionals can pick their branch.
 */
export function orderBlocks(definition: WorkflowDefinitionYaml): { order: string[]; finallyBlockLabel: string | null } {
  return { order: plannedOrder(BlockWalk.forDefinition(definition)), finallyBlockLabel: definition.finally_block_label ?? null };
}
