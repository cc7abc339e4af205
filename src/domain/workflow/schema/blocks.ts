// The block registry: `block_type` → schema, and the block types the rest of the code uses.
import type { Static, TSchema } from 'typebox';
import { TASK_FAMILY_BLOCK_YAML_SCHEMAS } from './blocks-task.ts';
import { MISC_BLOCK_YAML_SCHEMAS } from './blocks-misc.ts';
import {
  CONTROL_BLOCK_YAML_SCHEMAS, ConditionalBlockYamlSchema, ForLoopBlockYamlSchema, WhileLoopBlockYamlSchema,
} from './blocks-control.ts';

/** Every `block_type` in the contract's `BlockType` enum that a definition may contain. */
export const BLOCK_YAML_SCHEMAS = {
  ...TASK_FAMILY_BLOCK_YAML_SCHEMAS,
  ...MISC_BLOCK_YAML_SCHEMAS,
  ...CONTROL_BLOCK_YAML_SCHEMAS,
} satisfies Record<string, TSchema>;

export type BlockType = keyof typeof BLOCK_YAML_SCHEMAS;
export const BLOCK_TYPES = Object.keys(BLOCK_YAML_SCHEMAS) as BlockType[];

export function isBlockType(value: unknown): value is BlockType {
  return typeof value === 'string' && Object.hasOwn(BLOCK_YAML_SCHEMAS, value);
}

/** Blocks that run the browser agent (one task each) and share the task fields. */
export const TASK_FAMILY_BLOCK_TYPES = Object.keys(TASK_FAMILY_BLOCK_YAML_SCHEMAS) as BlockType[];

type LeafBlockYaml = {
  [K in Exclude<BlockType, 'for_loop' | 'while_loop'>]: Static<(typeof BLOCK_YAML_SCHEMAS)[K]>;
}[Exclude<BlockType, 'for_loop' | 'while_loop'>];

// The schemas leave `loop_blocks` as `unknown[]` (the parser validates each nested block by its
// own `block_type`, which gives precise error paths and avoids a 30-way recursive union), so the
// static types put the real recursive block type back here.
export type ForLoopBlockYaml = Omit<Static<typeof ForLoopBlockYamlSchema>, 'loop_blocks'> & {
  loop_blocks: BlockYaml[];
};
export type WhileLoopBlockYaml = Omit<Static<typeof WhileLoopBlockYamlSchema>, 'loop_blocks'> & {
  loop_blocks: BlockYaml[];
};
export type ConditionalBlockYaml = Static<typeof ConditionalBlockYamlSchema>;
export type LoopBlockYaml = ForLoopBlockYaml | WhileLoopBlockYaml;

/** One block of a definition, as parsed (defaults applied, unknown fields dropped). */
export type BlockYaml = LeafBlockYaml | ForLoopBlockYaml | WhileLoopBlockYaml;

export type BlockYamlOf<T extends BlockType> = Extract<BlockYaml, { block_type: T }>;

export function isLoopBlock(block: BlockYaml): block is LoopBlockYaml {
  return block.block_type === 'for_loop' || block.block_type === 'while_loop';
}
