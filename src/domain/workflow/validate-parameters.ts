// Rules about declared parameters and the parameter references blocks make.
import type { WorkflowDefinitionYaml } from './schema/request.ts';
import type { BlockYaml } from './schema/blocks.ts';
import { coerceWorkflowParameterValue } from './parameter-values.ts';
import { isParameterName, outputKeyOf, RESERVED_PARAMETER_KEYS, type DefinitionNames } from './names.ts';
import { isIdentifier } from './sanitize.ts';
import { problem, type DefinitionProblem } from './problems.ts';
import { walkBlocks } from './walk.ts';

const PARAMS_LOC = ['workflow_definition', 'parameters'];
const RESERVED: ReadonlySet<string> = new Set(RESERVED_PARAMETER_KEYS);

export function validateParameterDeclarations(definition: WorkflowDefinitionYaml, names: DefinitionNames): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const seen = new Set<string>();
  definition.parameters.forEach((parameter, i) => {
    const loc = [...PARAMS_LOC, i];
    const { key } = parameter;
    if (parameter.parameter_type === 'output') {
      problems.push(problem([...loc, 'parameter_type'], 'Cannot manually create output parameters'));
    }
    if (!isIdentifier(key)) {
      problems.push(problem([...loc, 'key'], `Parameter key '${key}' must be a valid identifier (letters, digits, _; not starting with a digit)`));
    }
    if (RESERVED.has(key)) problems.push(problem([...loc, 'key'], `Parameter key '${key}' is reserved`));
    if (names.outputKeys.has(key)) {
      problems.push(problem([...loc, 'key'], `Parameter key '${key}' clashes with the output of block '${key.slice(0, -'_output'.length)}'`));
    }
    if (seen.has(key)) problems.push(problem([...loc, 'key'], `Duplicate parameter key '${key}'`));
    seen.add(key);

    if (parameter.parameter_type === 'workflow' && parameter.default_value !== null && parameter.default_value !== undefined) {
      const result = coerceWorkflowParameterValue(parameter.workflow_parameter_type, parameter.default_value);
      if (!result.ok) {
        problems.push(problem([...loc, 'default_value'], `Invalid default_value for ${parameter.workflow_parameter_type} parameter '${key}': ${result.msg}`));
      }
    }
    if (parameter.parameter_type === 'context' && !isParameterName(names, parameter.source_parameter_key)) {
      problems.push(problem([...loc, 'source_parameter_key'], `source_parameter_key '${parameter.source_parameter_key}' names no parameter or block output`));
    }
    if (parameter.parameter_type === 'context' && parameter.source_parameter_key === key) {
      problems.push(problem([...loc, 'source_parameter_key'], `Context parameter '${key}' cannot be its own source`));
    }
    if (parameter.parameter_type === 'bitwarden_login_credential' && parameter.url_parameter_key
      && !names.parameterKeys.has(parameter.url_parameter_key)) {
      problems.push(problem([...loc, 'url_parameter_key'], `url_parameter_key '${parameter.url_parameter_key}' names no parameter`));
    }
  });
  return problems;
}

const SMTP_KEY_FIELDS = [
  'smtp_host_secret_parameter_key', 'smtp_port_secret_parameter_key', 'smtp_username_secret_parameter_key',
  'smtp_password_secret_parameter_key',
] as const;

/** `parameter_keys`, `loop_over_parameter_key` and SMTP secret keys must name something. */
export function validateParameterReferences(definition: WorkflowDefinitionYaml, names: DefinitionNames): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  for (const { block, loc } of walkBlocks(definition.blocks)) {
    const keys = parameterKeysOf(block);
    keys.forEach((key, i) => {
      if (!isParameterName(names, key)) {
        problems.push(problem([...loc, 'parameter_keys', i], `parameter_keys entry '${key}' names no parameter or block output`));
      } else if (key === outputKeyOf(block.label)) {
        problems.push(problem([...loc, 'parameter_keys', i], `Block '${block.label}' cannot read its own output`));
      }
    });
    if (block.block_type === 'for_loop' && block.loop_over_parameter_key
      && !isParameterName(names, block.loop_over_parameter_key)) {
      problems.push(problem([...loc, 'loop_over_parameter_key'], `loop_over_parameter_key '${block.loop_over_parameter_key}' names no parameter or block output`));
    }
    if (block.block_type === 'send_email') {
      for (const field of SMTP_KEY_FIELDS) {
        const key = block[field];
        if (key && !names.parameterKeys.has(key)) {
          problems.push(problem([...loc, field], `${field} '${key}' names no parameter`));
        }
      }
    }
  }
  return problems;
}

export function parameterKeysOf(block: BlockYaml): string[] {
  return 'parameter_keys' in block && Array.isArray(block.parameter_keys) ? block.parameter_keys : [];
}
