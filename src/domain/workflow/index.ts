// Public surface of the workflow definition model.
export * from './schema/common.ts';
export * from './schema/parameters.ts';
export * from './schema/blocks-task.ts';
export * from './schema/blocks-misc.ts';
export * from './schema/blocks-control.ts';
export * from './schema/blocks.ts';
export * from './schema/request.ts';
export * from './problems.ts';
export { parseDefinitionInput, parseDefinitionInputDetailed, parseYamlDocument } from './parse.ts';
export type { DefinitionInput, ParsedDefinitionInput } from './parse.ts';
export { validateDefinition, parseAndValidateDefinitionInput } from './validate.ts';
export { sanitizeIdentifiers, isIdentifier } from './sanitize.ts';
export { scanTemplateReferences, hasTemplateSyntax } from './template-refs.ts';
export {
  RESERVED_PARAMETER_KEYS, LOOP_VARIABLES, BUILTIN_TEMPLATE_VARIABLES, outputKeyOf, definitionNames,
  isParameterName, isTemplateVariable,
} from './names.ts';
export type { DefinitionNames } from './names.ts';
export { coerceWorkflowParameterValue } from './parameter-values.ts';
export type { CoercionResult } from './parameter-values.ts';
export { walkBlocks, allBlocks, findBlock, walkStrings } from './walk.ts';
export type { VisitedBlock } from './walk.ts';
export {
  BlockWalk, plannedOrder, orderBlocks, resolveDefinitionVersion, usesGraphFeatures, isGraphScope, blockEdges,
} from './execution-order.ts';
export type { BlockWalkStep } from './execution-order.ts';
export { toWorkflowResponseDefinition } from './response/definition.ts';
export { DEFAULT_SMTP_SECRETS } from './response/parameters.ts';
export * from './response/schema.ts';
