// Control-flow blocks: loops and branches. Their nested `loop_blocks` are validated one by one
// by the parser (by `block_type`), so the schemas below accept any array there and the
// static types substitute the real block union (see `blocks.ts`).
import { Type } from 'typebox';
import { blockBaseFields, Flag, JsonObject, Nullable } from './common.ts';

export const BRANCH_CRITERIA_TYPES = ['jinja2_template', 'prompt'] as const;

export const BranchCriteriaYamlSchema = Type.Object({
  criteria_type: Type.Optional(Type.Enum([...BRANCH_CRITERIA_TYPES], { default: 'jinja2_template' })),
  expression: Type.String(),
  description: Nullable(Type.String()),
});

export const BranchConditionYamlSchema = Type.Object({
  criteria: Nullable(BranchCriteriaYamlSchema),
  next_block_label: Nullable(Type.String()),
  description: Nullable(Type.String()),
  is_default: Flag(false),
});

/** Placeholder for nested blocks; each element is checked against its own block schema. */
const NestedBlocks = Type.Array(Type.Unknown());

export const ForLoopBlockYamlSchema = Type.Object({
  block_type: Type.Literal('for_loop'),
  ...blockBaseFields,
  loop_blocks: NestedBlocks,
  loop_over_parameter_key: Type.Optional(Type.String({ default: '' })),
  loop_variable_reference: Nullable(Type.String()),
  complete_if_empty: Flag(false),
  data_schema: Nullable(Type.Union([JsonObject, Type.String()])),
});

export const WhileLoopBlockYamlSchema = Type.Object({
  block_type: Type.Literal('while_loop'),
  ...blockBaseFields,
  loop_blocks: NestedBlocks,
  condition: BranchCriteriaYamlSchema,
});

export const ConditionalBlockYamlSchema = Type.Object({
  block_type: Type.Literal('conditional'),
  ...blockBaseFields,
  branch_conditions: Type.Optional(Type.Array(BranchConditionYamlSchema, { default: [] })),
});

export const CONTROL_BLOCK_YAML_SCHEMAS = {
  for_loop: ForLoopBlockYamlSchema,
  while_loop: WhileLoopBlockYamlSchema,
  conditional: ConditionalBlockYamlSchema,
};
