// Declared parameters and block outputs → the full parameter objects of a response.
import type { ParameterYaml } from '../schema/parameters.ts';
import type { WorkflowDefinitionYaml } from '../schema/request.ts';
import { outputKeyOf } from '../names.ts';
import { allBlocks } from '../walk.ts';
import type { AwsSecretParameter, OutputParameter, ResponseIds, ResponseParameter, StoredParameter } from './schema.ts';

/** Id field name and prefix per stored parameter type (prefixes from Skyvern's id table). */
const ID_FIELDS: Record<Exclude<ParameterYaml['parameter_type'], 'context'>, [field: string, prefix: string]> = {
  workflow: ['workflow_parameter_id', 'wp'],
  output: ['output_parameter_id', 'op'],
  aws_secret: ['aws_secret_parameter_id', 'asp'],
  credential: ['credential_parameter_id', 'cp'],
  bitwarden_login_credential: ['bitwarden_login_credential_parameter_id', 'blc'],
  bitwarden_sensitive_information: ['bitwarden_sensitive_information_parameter_id', 'bsi'],
  bitwarden_credit_card_data: ['bitwarden_credit_card_data_parameter_id', 'bccd'],
  onepassword: ['onepassword_credential_parameter_id', 'opp'],
  azure_vault_credential: ['azure_vault_credential_parameter_id', 'azcp'],
};

/** Platform SMTP secrets used by send_email blocks that name none (Skyvern's defaults). */
export const DEFAULT_SMTP_SECRETS = {
  smtp_host: 'SKYVERN_SMTP_HOST_AWS_SES',
  smtp_port: 'SKYVERN_SMTP_PORT_AWS_SES',
  smtp_username: 'SKYVERN_SMTP_USERNAME_SES',
  smtp_password: 'SKYVERN_SMTP_PASSWORD_SES',
} as const;

export type ParameterIndex = {
  /** Every parameter by key: declared ones and `<label>_output`. */
  byKey: Map<string, ResponseParameter>;
  /** Output parameter per block label. */
  outputs: Map<string, OutputParameter>;
  /** Workflow-level list: declared parameters in order, then output parameters in block order. */
  list: ResponseParameter[];
  /** Lazily created platform SMTP parameters (shared by every send_email block without keys). */
  defaultSmtp(): Record<keyof typeof DEFAULT_SMTP_SECRETS, AwsSecretParameter>;
};

export function buildParameterIndex(definition: WorkflowDefinitionYaml, ids: ResponseIds): ParameterIndex {
  const stamps = { workflow_id: ids.workflowId, created_at: ids.now, modified_at: ids.now, deleted_at: null };
  const stored = (yaml: Exclude<ParameterYaml, { parameter_type: 'context' }>): StoredParameter => {
    const [field, prefix] = ID_FIELDS[yaml.parameter_type];
    return { ...yaml, description: yaml.description ?? null, [field]: ids.newId(prefix), ...stamps } as unknown as StoredParameter;
  };

  const outputs = new Map<string, OutputParameter>();
  for (const block of allBlocks(definition.blocks)) {
    outputs.set(block.label, {
      parameter_type: 'output',
      key: outputKeyOf(block.label),
      description: `Output parameter for block ${block.label}`,
      output_parameter_id: ids.newId('op'),
      ...stamps,
    });
  }

  const byKey = new Map<string, ResponseParameter>();
  for (const output of outputs.values()) byKey.set(output.key, output);
  for (const yaml of definition.parameters) if (yaml.parameter_type !== 'context') byKey.set(yaml.key, stored(yaml));
  // Context parameters may chain (a context sourced from another context), so resolve lazily.
  const contexts = new Map(definition.parameters.flatMap((p) => (p.parameter_type === 'context' ? [[p.key, p] as const] : [])));
  const resolving = new Set<string>();
  const resolveContext = (key: string): ResponseParameter | undefined => {
    const existing = byKey.get(key);
    if (existing) return existing;
    const yaml = contexts.get(key);
    if (!yaml || resolving.has(key)) return undefined;
    resolving.add(key);
    const source = resolveContext(yaml.source_parameter_key);
    resolving.delete(key);
    if (!source) return undefined; // validation reports unknown sources; the response simply omits them
    const context: ResponseParameter = {
      parameter_type: 'context', key, description: yaml.description ?? null, source, value: null,
    };
    byKey.set(key, context);
    return context;
  };
  for (const key of contexts.keys()) resolveContext(key);

  const list = [
    ...definition.parameters.map((p) => byKey.get(p.key)).filter((p): p is ResponseParameter => p !== undefined),
    ...outputs.values(),
  ];

  let smtp: Record<keyof typeof DEFAULT_SMTP_SECRETS, AwsSecretParameter> | undefined;
  const defaultSmtp = () => (smtp ??= Object.fromEntries(
    Object.entries(DEFAULT_SMTP_SECRETS).map(([key, awsKey]) => [key, {
      parameter_type: 'aws_secret', key, description: null, aws_secret_parameter_id: ids.newId('asp'), aws_key: awsKey, ...stamps,
    }]),
  ) as Record<keyof typeof DEFAULT_SMTP_SECRETS, AwsSecretParameter>);

  return { byKey, outputs, list, defaultSmtp };
}
