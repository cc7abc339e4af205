// Parameter declarations as a workflow definition sends them (`*ParameterYAML` in the contract),
// discriminated by `parameter_type`.
import { Type, type Static, type TSchema } from 'typebox';
import { Nullable } from './common.ts';

export const WORKFLOW_PARAMETER_TYPES = [
  'string', 'integer', 'float', 'boolean', 'json', 'file_url', 'credential_id',
] as const;
export const WorkflowParameterTypeSchema = Type.Enum([...WORKFLOW_PARAMETER_TYPES]);
export type WorkflowParameterType = Static<typeof WorkflowParameterTypeSchema>;

const keyFields = { key: Type.String(), description: Nullable(Type.String()) };
const bitwardenSecretFields = {
  bitwarden_client_id_aws_secret_key: Type.String(),
  bitwarden_client_secret_aws_secret_key: Type.String(),
  bitwarden_master_password_aws_secret_key: Type.String(),
};

export const WorkflowParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('workflow'),
  ...keyFields,
  workflow_parameter_type: WorkflowParameterTypeSchema,
  default_value: Nullable(Type.Unknown()),
});
export const ContextParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('context'),
  ...keyFields,
  source_parameter_key: Type.String(),
});
export const OutputParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('output'),
  ...keyFields,
});
export const CredentialParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('credential'),
  ...keyFields,
  credential_id: Type.String(),
  credential_ids: Nullable(Type.Array(Type.String())),
  selection_strategy: Nullable(Type.String()),
  fallback_credential_ids: Nullable(Type.Array(Type.String())),
  fallback_trigger: Nullable(Type.String()),
});
export const AwsSecretParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('aws_secret'),
  ...keyFields,
  aws_key: Type.String(),
});
export const BitwardenLoginCredentialParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('bitwarden_login_credential'),
  ...keyFields,
  ...bitwardenSecretFields,
  url_parameter_key: Nullable(Type.String()),
  bitwarden_collection_id: Nullable(Type.String()),
  bitwarden_item_id: Nullable(Type.String()),
});
export const BitwardenSensitiveInformationParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('bitwarden_sensitive_information'),
  ...keyFields,
  ...bitwardenSecretFields,
  bitwarden_collection_id: Type.String(),
  bitwarden_identity_key: Type.String(),
  bitwarden_identity_fields: Type.Array(Type.String()),
});
export const BitwardenCreditCardDataParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('bitwarden_credit_card_data'),
  ...keyFields,
  ...bitwardenSecretFields,
  bitwarden_collection_id: Type.String(),
  bitwarden_item_id: Type.String(),
});
export const OnePasswordCredentialParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('onepassword'),
  ...keyFields,
  vault_id: Type.String(),
  item_id: Type.String(),
});
export const AzureVaultCredentialParameterYamlSchema = Type.Object({
  parameter_type: Type.Literal('azure_vault_credential'),
  ...keyFields,
  vault_name: Type.String(),
  username_key: Type.String(),
  password_key: Type.String(),
  totp_secret_key: Nullable(Type.String()),
});

/** One schema per `parameter_type`; the parser picks by discriminator for precise error paths. */
export const PARAMETER_YAML_SCHEMAS = {
  workflow: WorkflowParameterYamlSchema,
  context: ContextParameterYamlSchema,
  output: OutputParameterYamlSchema,
  credential: CredentialParameterYamlSchema,
  aws_secret: AwsSecretParameterYamlSchema,
  bitwarden_login_credential: BitwardenLoginCredentialParameterYamlSchema,
  bitwarden_sensitive_information: BitwardenSensitiveInformationParameterYamlSchema,
  bitwarden_credit_card_data: BitwardenCreditCardDataParameterYamlSchema,
  onepassword: OnePasswordCredentialParameterYamlSchema,
  azure_vault_credential: AzureVaultCredentialParameterYamlSchema,
} satisfies Record<string, TSchema>;

export type ParameterType = keyof typeof PARAMETER_YAML_SCHEMAS;
export const PARAMETER_TYPES = Object.keys(PARAMETER_YAML_SCHEMAS) as ParameterType[];

/** One declared parameter, as parsed (defaults applied, unknown fields dropped). */
export type ParameterYaml = { [K in ParameterType]: Static<(typeof PARAMETER_YAML_SCHEMAS)[K]> }[ParameterType];
export type ParameterYamlOf<T extends ParameterType> = Extract<ParameterYaml, { parameter_type: T }>;
export type WorkflowParameterYaml = Static<typeof WorkflowParameterYamlSchema>;
export type ContextParameterYaml = Static<typeof ContextParameterYamlSchema>;
export type AwsSecretParameterYaml = Static<typeof AwsSecretParameterYamlSchema>;
