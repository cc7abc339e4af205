// Request body → typed definition: picks YAML or JSON, parses YAML, checks the structure
// (each parameter by `parameter_type`, each block — nested ones too — by `block_type`),
// fills defaults and drops unknown fields (Skyvern's models ignore extra fields, so we do too;
// they are not stored and not echoed back).
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import { BLOCK_TYPES, BLOCK_YAML_SCHEMAS, isBlockType } from './schema/blocks.ts';
import { PARAMETER_TYPES, PARAMETER_YAML_SCHEMAS } from './schema/parameters.ts';
import { WorkflowCreateYamlRequestSchema, type WorkflowCreateYamlRequest } from './schema/request.ts';
import { problem, WorkflowDefinitionError, type DefinitionProblem, type Loc } from './problems.ts';
import { schemaProblems } from './schema-errors.ts';
import { sanitizeIdentifiers } from './sanitize.ts';
import { MAX_JSON_DEPTH, valueTooDeep } from '../input-limits.ts';

export type DefinitionInput = { json_definition?: unknown; yaml_definition?: string | null };

export type ParsedDefinitionInput = {
  request: WorkflowCreateYamlRequest;
  /** Top-level request fields the client actually sent (updates inherit some omitted ones). */
  providedFields: Set<string>;
  source: 'yaml' | 'json';
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and structurally checks a `WorkflowRequest` body; throws `WorkflowDefinitionError`. */
export function parseDefinitionInput(body: DefinitionInput): WorkflowCreateYamlRequest {
  return parseDefinitionInputDetailed(body).request;
}

export function parseDefinitionInputDetailed(body: DefinitionInput): ParsedDefinitionInput {
  const { raw, source } = readRawDefinition(body);
  // YAML input gets labels/keys rewritten into identifiers (as Skyvern does); JSON is taken as-is.
  const input = source === 'yaml' ? sanitizeIdentifiers(raw) : structuredClone(raw);
  const providedFields = new Set(Object.keys(input));
  const problems: DefinitionProblem[] = [];
  const request = normalise(WorkflowCreateYamlRequestSchema, input, [], problems);
  const definition = isRecord(request.workflow_definition) ? request.workflow_definition : undefined;
  if (definition && Array.isArray(definition.parameters) && Array.isArray(definition.blocks)) {
    const defLoc = ['workflow_definition'];
    definition.parameters = definition.parameters.map((p, i) =>
      normaliseParameter(p, [...defLoc, 'parameters', i], problems),
    );
    definition.blocks = normaliseBlocks(definition.blocks, [...defLoc, 'blocks'], problems);
  }
  if (problems.length > 0) throw new WorkflowDefinitionError(problems);
  return { request: request as unknown as WorkflowCreateYamlRequest, providedFields, source };
}

function readRawDefinition(body: DefinitionInput): { raw: Record<string, unknown>; source: 'yaml' | 'json' } {
  if (typeof body.yaml_definition === 'string' && body.yaml_definition.trim() !== '') {
    return { raw: parseYamlDocument(body.yaml_definition), source: 'yaml' };
  }
  if (body.json_definition !== undefined && body.json_definition !== null) {
    if (!isRecord(body.json_definition)) {
      throw new WorkflowDefinitionError([problem(['json_definition'], 'Input should be a valid dictionary')]);
    }
    return { raw: body.json_definition, source: 'json' };
  }
  throw new WorkflowDefinitionError([
    problem([], 'Invalid workflow definition. Workflow should be provided in either yaml or json format.'),
  ]);
}

/** Parses a YAML workflow document (also used for the legacy raw-YAML routes). */
export function parseYamlDocument(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    // The default (core) schema keeps dates as strings, like Skyvern's `safe_load_no_dates`;
    // the library's alias limit guards against "billion laughs" documents.
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: false });
  } catch (error) {
    const msg = error instanceof YAMLParseError ? error.message : String(error);
    throw new WorkflowDefinitionError([problem(['yaml_definition'], `Invalid YAML: ${msg}`)]);
  }
  if (!isRecord(doc)) {
    throw new WorkflowDefinitionError([problem(['yaml_definition'], 'The YAML document must be a mapping')]);
  }
  if (valueTooDeep(doc)) {
    throw new WorkflowDefinitionError([problem(['yaml_definition'], `The YAML document is nested deeper than ${MAX_JSON_DEPTH} levels`)]);
  }
  return doc;
}

function normalise(schema: TSchema, value: unknown, loc: Loc, problems: DefinitionProblem[]): Record<string, unknown> {
  const withDefaults = Value.Default(schema, value);
  const found = schemaProblems(schema, withDefaults, loc);
  if (found.length > 0) {
    problems.push(...found);
    return isRecord(withDefaults) ? withDefaults : {};
  }
  return Value.Clean(schema, withDefaults) as Record<string, unknown>;
}

function normaliseParameter(value: unknown, loc: Loc, problems: DefinitionProblem[]): unknown {
  if (!isRecord(value)) {
    problems.push(problem(loc, 'Input should be a valid dictionary'));
    return value;
  }
  const type = value.parameter_type;
  if (typeof type !== 'string' || !Object.hasOwn(PARAMETER_YAML_SCHEMAS, type)) {
    const msg = type === undefined
      ? "Unable to extract tag using discriminator 'parameter_type'"
      : `Input tag '${String(type)}' found using 'parameter_type' does not match any of the expected tags: ${PARAMETER_TYPES.map((t) => `'${t}'`).join(', ')}`;
    problems.push(problem([...loc, 'parameter_type'], msg));
    return value;
  }
  return normalise(PARAMETER_YAML_SCHEMAS[type as keyof typeof PARAMETER_YAML_SCHEMAS], value, loc, problems);
}

function normaliseBlocks(values: unknown[], loc: Loc, problems: DefinitionProblem[]): unknown[] {
  return values.map((value, i) => normaliseBlock(value, [...loc, i], problems));
}

function normaliseBlock(value: unknown, loc: Loc, problems: DefinitionProblem[]): unknown {
  if (!isRecord(value)) {
    problems.push(problem(loc, 'Input should be a valid dictionary'));
    return value;
  }
  const type = value.block_type;
  if (!isBlockType(type)) {
    const msg = type === undefined
      ? "Unable to extract tag using discriminator 'block_type'"
      : `Unknown block_type '${String(type)}'. Expected one of: ${BLOCK_TYPES.join(', ')}`;
    problems.push(problem([...loc, 'block_type'], msg));
    return value;
  }
  if (type === 'code' && 'parameters' in value) {
    // Skyvern rejects this explicitly: code blocks name their inputs with `parameter_keys`.
    problems.push(problem([...loc, 'parameters'], "Code blocks take 'parameter_keys', not 'parameters'"));
  }
  const block = normalise(BLOCK_YAML_SCHEMAS[type], value, loc, problems);
  if ((type === 'for_loop' || type === 'while_loop') && Array.isArray(block.loop_blocks)) {
    block.loop_blocks = normaliseBlocks(block.loop_blocks, [...loc, 'loop_blocks'], problems);
  }
  return block;
}
