// Every `{{ … }}` / `{% … %}` in a block must read only names the run will define: declared
// parameters, block outputs (`<label>_output`), block labels (`{{ label.output.x }}`) and the
// run's builtins (loop variables, workflow_run_id, current_date…). Skyvern renders unknown names
// as empty text at run time; catching them at save time turns a silent typo into a 422.
import type { WorkflowDefinitionYaml } from './schema/request.ts';
import { isTemplateVariable, type DefinitionNames } from './names.ts';
import { problem, type DefinitionProblem } from './problems.ts';
import { scanTemplateReferences } from './template-refs.ts';
import { walkBlocks, walkStrings } from './walk.ts';

/** Block fields that hold names or nested blocks, not template text. */
const NON_TEMPLATE_FIELDS = new Set([
  'block_type', 'label', 'next_block_label', 'parameter_keys', 'loop_blocks', 'loop_over_parameter_key',
  'engine', 'smtp_host_secret_parameter_key', 'smtp_port_secret_parameter_key', 'smtp_username_secret_parameter_key',
  'smtp_password_secret_parameter_key',
]);

export function validateTemplateReferences(definition: WorkflowDefinitionYaml, names: DefinitionNames): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  for (const { block, loc } of walkBlocks(definition.blocks)) {
    for (const [field, value] of Object.entries(block)) {
      if (NON_TEMPLATE_FIELDS.has(field)) continue;
      for (const { text, loc: inner } of walkStrings(value, [...loc, field])) {
        for (const name of scanTemplateReferences(text)) {
          if (isTemplateVariable(names, name)) continue;
          problems.push(problem(inner, `Template references '${name}', which is not a parameter, a block output (<label>_output), a block label or a built-in variable`));
        }
      }
    }
  }
  return problems;
}
