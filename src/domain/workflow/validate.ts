// Semantic checks of a parsed definition (structure was checked by the parser). Returns every
// problem found, each shaped like one entry of Skyvern's 422 `detail` list.
import type { WorkflowCreateYamlRequest, WorkflowDefinitionYaml } from './schema/request.ts';
import { definitionNames } from './names.ts';
import { WorkflowDefinitionError, type DefinitionProblem } from './problems.ts';
import { parseDefinitionInputDetailed, type DefinitionInput, type ParsedDefinitionInput } from './parse.ts';
import { validateParameterDeclarations, validateParameterReferences } from './validate-parameters.ts';
import { validateFinallyBlock, validateLabels, validateTargets, validateVersionAndGraph } from './validate-graph.ts';
import { validateTemplateReferences } from './validate-templates.ts';

/** Accepts the whole request or just its `workflow_definition`; locs always start at the request. */
export function validateDefinition(input: WorkflowCreateYamlRequest | WorkflowDefinitionYaml): DefinitionProblem[] {
  const definition = 'workflow_definition' in input ? input.workflow_definition : input;
  const names = definitionNames(definition);
  const labelProblems = validateLabels(definition);
  return [
    ...validateParameterDeclarations(definition, names),
    ...labelProblems,
    ...validateTargets(definition),
    ...validateFinallyBlock(definition),
    // Graph checks on duplicate labels would only repeat the duplicate-label problem confusingly.
    ...(labelProblems.some((p) => p.msg.startsWith('Duplicate')) ? [] : validateVersionAndGraph(definition)),
    ...validateParameterReferences(definition, names),
    ...validateTemplateReferences(definition, names),
  ];
}

/** Parse + validate; throws `WorkflowDefinitionError` (422 detail) on any problem. */
export function parseAndValidateDefinitionInput(body: DefinitionInput): ParsedDefinitionInput {
  const parsed = parseDefinitionInputDetailed(body);
  const problems = validateDefinition(parsed.request);
  if (problems.length > 0) throw new WorkflowDefinitionError(problems);
  return parsed;
}
