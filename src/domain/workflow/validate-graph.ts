// Rules about labels and the block graph: unique identifier labels, `next_block_label` /
// branch targets inside their own list, `finally_block_label`, `version`, and — for
// graph-style (version 2) lists — one root, no cycles, every block reachable.
import type { WorkflowDefinitionYaml } from './schema/request.ts';
import type { BlockYaml } from './schema/blocks.ts';
import { isIdentifier } from './sanitize.ts';
import { problem, type DefinitionProblem, type Loc } from './problems.ts';
import { BLOCKS_LOC, walkBlocks } from './walk.ts';
import { blockEdges, isGraphScope, resolveDefinitionVersion, usesGraphFeatures } from './execution-order.ts';

export function validateLabels(definition: WorkflowDefinitionYaml): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const seen = new Map<string, Loc>();
  for (const { block, loc } of walkBlocks(definition.blocks)) {
    if (!isIdentifier(block.label)) {
      problems.push(problem([...loc, 'label'], `Block label '${block.label}' must be a valid identifier (letters, digits, _; not starting with a digit)`));
    }
    const first = seen.get(block.label);
    if (first) {
      problems.push(problem([...loc, 'label'], `Duplicate block label '${block.label}' (also used at ${first.join('.')}); labels must be unique across the workflow, loop bodies included`));
    } else seen.set(block.label, loc);
  }
  return problems;
}

/** Targets must name a block of the same list (a loop body cannot jump out, nor the top level in). */
export function validateTargets(definition: WorkflowDefinitionYaml): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const everywhere = new Set([...walkBlocks(definition.blocks)].map((v) => v.block.label));
  const check = (target: string | null | undefined, siblings: BlockYaml[], loc: Loc, what: string) => {
    if (target === null || target === undefined) return;
    if (siblings.some((b) => b.label === target)) return;
    problems.push(problem(loc, everywhere.has(target)
      ? `${what} '${target}' must name a block in the same block list`
      : `${what} '${target}' does not match any block label`));
  };
  for (const { block, loc, siblings } of walkBlocks(definition.blocks)) {
    check(block.next_block_label, siblings, [...loc, 'next_block_label'], 'next_block_label');
    if (block.block_type !== 'conditional') continue;
    const branches = block.branch_conditions ?? [];
    if (branches.length === 0) problems.push(problem([...loc, 'branch_conditions'], 'A conditional block needs at least one branch'));
    let defaults = 0;
    branches.forEach((branch, i) => {
      const branchLoc = [...loc, 'branch_conditions', i];
      check(branch.next_block_label, siblings, [...branchLoc, 'next_block_label'], 'Branch next_block_label');
      if (branch.is_default) defaults++;
      if (branch.is_default && branch.criteria) problems.push(problem([...branchLoc, 'criteria'], 'The default branch takes no criteria'));
      if (!branch.is_default && !branch.criteria) problems.push(problem([...branchLoc, 'criteria'], 'A non-default branch needs criteria'));
    });
    if (defaults > 1) problems.push(problem([...loc, 'branch_conditions'], 'At most one branch may be the default'));
  }
  return problems;
}

export function validateFinallyBlock(definition: WorkflowDefinitionYaml): DefinitionProblem[] {
  const label = definition.finally_block_label;
  if (!label) return [];
  const loc = ['workflow_definition', 'finally_block_label'];
  const block = definition.blocks.find((b) => b.label === label);
  if (!block) return [problem(loc, `finally_block_label '${label}' does not match any top-level block label`)];
  if (block.next_block_label) return [problem(loc, `The finally block '${label}' must not set next_block_label`)];
  return [];
}

export function validateVersionAndGraph(definition: WorkflowDefinitionYaml): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const explicit = definition.version;
  if (explicit !== null && explicit !== undefined && explicit < 2 && usesGraphFeatures(definition.blocks)) {
    problems.push(problem(['workflow_definition', 'version'], 'Workflows with conditional blocks or next_block_label need version 2 or higher'));
  }
  const version = resolveDefinitionVersion(definition);
  if (version >= 2) problems.push(...validateScopeGraph(definition.blocks, BLOCKS_LOC, definition.finally_block_label ?? null));
  for (const { block, loc } of walkBlocks(definition.blocks)) {
    if ((block.block_type === 'for_loop' || block.block_type === 'while_loop') && isGraphScope(block.loop_blocks)) {
      problems.push(...validateScopeGraph(block.loop_blocks, [...loc, 'loop_blocks'], null));
    }
  }
  return problems;
}

/** One list of blocks as a graph: exactly one root, acyclic, everything reachable from the root. */
function validateScopeGraph(blocks: BlockYaml[], loc: Loc, finallyLabel: string | null): DefinitionProblem[] {
  const nodes = blocks.filter((b) => b.label !== finallyLabel).map((b) => b.label);
  if (nodes.length === 0) return [];
  const nodeSet = new Set(nodes);
  const edges = new Map(nodes.map((label) => [label, [] as string[]]));
  const incoming = new Map(nodes.map((label) => [label, 0]));
  for (const block of blocks) {
    if (!nodeSet.has(block.label)) continue;
    for (const target of new Set(blockEdges(block))) {
      if (!nodeSet.has(target)) continue; // dangling targets are reported by validateTargets
      edges.get(block.label)!.push(target);
      incoming.set(target, incoming.get(target)! + 1);
    }
  }
  const roots = nodes.filter((label) => incoming.get(label) === 0);
  if (roots.length !== 1) {
    return [problem(loc, roots.length === 0
      ? 'The block graph has no start block (every block is the target of another)'
      : `Disconnected blocks: the block graph must have exactly one start block, found ${roots.length} (${roots.join(', ')}); connect them with next_block_label`)];
  }
  // Kahn's algorithm: whatever is never released sits on (or behind) a cycle.
  const pending = new Map(incoming);
  const queue = [...roots];
  const ordered: string[] = [];
  while (queue.length > 0) {
    const label = queue.shift()!;
    ordered.push(label);
    for (const target of edges.get(label)!) {
      pending.set(target, pending.get(target)! - 1);
      if (pending.get(target) === 0) queue.push(target);
    }
  }
  if (ordered.length < nodes.length) {
    const stuck = nodes.filter((n) => !ordered.includes(n));
    return [problem(loc, `The block graph has a cycle through: ${stuck.join(', ')}; use a while_loop block to repeat blocks`)];
  }
  return [];
}
