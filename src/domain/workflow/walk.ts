// Visiting every block of a definition, nested loop bodies included, with its location.
import { isLoopBlock, type BlockYaml, type LoopBlockYaml } from './schema/blocks.ts';
import type { Loc } from './problems.ts';

export type VisitedBlock = {
  block: BlockYaml;
  /** Location of the block, e.g. `['workflow_definition', 'blocks', 2, 'loop_blocks', 0]`. */
  loc: Loc;
  /** Enclosing loop blocks, outermost first (empty at top level). */
  loops: LoopBlockYaml[];
  /** The list this block belongs to (its "scope" for `next_block_label`). */
  siblings: BlockYaml[];
};

export const BLOCKS_LOC: Loc = ['workflow_definition', 'blocks'];

/** Every block in document order (a loop before its body). */
export function* walkBlocks(blocks: BlockYaml[], loc: Loc = BLOCKS_LOC, loops: LoopBlockYaml[] = []): Generator<VisitedBlock> {
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const blockLoc = [...loc, i];
    yield { block, loc: blockLoc, loops, siblings: blocks };
    if (isLoopBlock(block)) yield* walkBlocks(block.loop_blocks, [...blockLoc, 'loop_blocks'], [...loops, block]);
  }
}

/** All blocks of the tree, flattened. */
export function allBlocks(blocks: BlockYaml[]): BlockYaml[] {
  return [...walkBlocks(blocks)].map((v) => v.block);
}

/** Finds a block anywhere in the tree by label. */
export function findBlock(blocks: BlockYaml[], label: string): BlockYaml | undefined {
  for (const { block } of walkBlocks(blocks)) if (block.label === label) return block;
  return undefined;
}

/** Every string inside a value, with its path relative to the value. */
export function* walkStrings(value: unknown, loc: Loc = []): Generator<{ text: string; loc: Loc }> {
  if (typeof value === 'string') yield { text: value, loc };
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* walkStrings(value[i], [...loc, i]);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) yield* walkStrings(child, [...loc, key]);
  }
}
