// The response form of a definition (`WorkflowDefinition` in the contract): Skyvern returns its
// internal model, where parameters are full objects with ids and every block carries its
// auto-created output parameter. Block bodies are left open here (they are the parsed YAML
// fields plus response-only defaults); parameters are spelled out because the SDK requires
// their id and timestamp fields.
import { Type, type Static, type TSchema } from 'typebox';

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const stamps = {
  workflow_id: Type.String(),
  created_at: Type.String(),
  modified_at: Type.String(),
  deleted_at: nullable(Type.String()),
};
const keyed = { key: Type.String(), description: nullable(Type.String()) };
const bitwardenKeys = {
  bitwarden_client_id_aws_secret_key: Type.String(),
  bitwarden_client_secret_aws_secret_key: Type.String(),
  bitwarden_master_password_aws_secret_key: Type.String(),
};

export const OutputParameterSchema = Type.Object({
  parameter_type: Type.Literal('output'), ...keyed, output_parameter_id: Type.String(), ...stamps,
});
export const WorkflowParameterSchema = Type.Object({
  parameter_type: Type.Literal('workflow'), ...keyed, workflow_parameter_id: Type.String(),
  workflow_parameter_type: Type.String(), default_value: Type.Unknown(), ...stamps,
});
export const AwsSecretParameterSchema = Type.Object({
  parameter_type: Type.Literal('aws_secret'), ...keyed, aws_secret_parameter_id: Type.String(), aws_key: Type.String(), ...stamps,
});
export const CredentialParameterSchema = Type.Object({
  parameter_type: Type.Literal('credential'), ...keyed, credential_parameter_id: Type.String(), credential_id: Type.String(),
  credential_ids: nullable(Type.Array(Type.String())), selection_strategy: nullable(Type.String()),
  fallback_credential_ids: nullable(Type.Array(Type.String())), fallback_trigger: nullable(Type.String()), ...stamps,
});
export const BitwardenLoginCredentialParameterSchema = Type.Object({
  parameter_type: Type.Literal('bitwarden_login_credential'), ...keyed, bitwarden_login_credential_parameter_id: Type.String(),
  ...bitwardenKeys, url_parameter_key: nullable(Type.String()), bitwarden_collection_id: nullable(Type.String()),
  bitwarden_item_id: nullable(Type.String()), ...stamps,
});
export const BitwardenSensitiveInformationParameterSchema = Type.Object({
  parameter_type: Type.Literal('bitwarden_sensitive_information'), ...keyed,
  bitwarden_sensitive_information_parameter_id: Type.String(), ...bitwardenKeys, bitwarden_collection_id: Type.String(),
  bitwarden_identity_key: Type.String(), bitwarden_identity_fields: Type.Array(Type.String()), ...stamps,
});
export const BitwardenCreditCardDataParameterSchema = Type.Object({
  parameter_type: Type.Literal('bitwarden_credit_card_data'), ...keyed, bitwarden_credit_card_data_parameter_id: Type.String(),
  ...bitwardenKeys, bitwarden_collection_id: Type.String(), bitwarden_item_id: Type.String(), ...stamps,
});
export const OnePasswordCredentialParameterSchema = Type.Object({
  parameter_type: Type.Literal('onepassword'), ...keyed, onepassword_credential_parameter_id: Type.String(),
  vault_id: Type.String(), item_id: Type.String(), ...stamps,
});
export const AzureVaultCredentialParameterSchema = Type.Object({
  parameter_type: Type.Literal('azure_vault_credential'), ...keyed, azure_vault_credential_parameter_id: Type.String(),
  vault_name: Type.String(), username_key: Type.String(), password_key: Type.String(),
  totp_secret_key: nullable(Type.String()), ...stamps,
});

/** Parameters that are not context parameters (a context parameter's `source` is one of these or another context). */
export const StoredParameterSchema = Type.Union([
  OutputParameterSchema, WorkflowParameterSchema, AwsSecretParameterSchema, CredentialParameterSchema,
  BitwardenLoginCredentialParameterSchema, BitwardenSensitiveInformationParameterSchema,
  BitwardenCreditCardDataParameterSchema, OnePasswordCredentialParameterSchema, AzureVaultCredentialParameterSchema,
]);
export type StoredParameter = Static<typeof StoredParameterSchema>;
export type OutputParameter = Static<typeof OutputParameterSchema>;
export type AwsSecretParameter = Static<typeof AwsSecretParameterSchema>;

/** `ContextParameter`: `source` is the full source parameter object; `value` is filled at run time. */
export type ContextParameter = {
  parameter_type: 'context';
  key: string;
  description: string | null;
  source: ResponseParameter;
  value: unknown;
};
export type ResponseParameter = StoredParameter | ContextParameter;

export const ResponseBlockSchema = Type.Object(
  {
    label: Type.String(),
    block_type: Type.String(),
    next_block_label: nullable(Type.String()),
    output_parameter: OutputParameterSchema,
  },
  { additionalProperties: true },
);
/** A block in a response: the fields the SDK needs for every block, plus its type-specific fields. */
export type ResponseBlock = Static<typeof ResponseBlockSchema> & Record<string, unknown>;

export type WorkflowDefinitionResponse = {
  version: number;
  parameters: ResponseParameter[];
  blocks: ResponseBlock[];
  finally_block_label: string | null;
  error_code_mapping: Record<string, string> | null;
  workflow_system_prompt: string | null;
  completion_contract: Record<string, unknown> | null;
};

/** Injected so the conversion stays pure: `newId('op')` → `op_…`, one `now` for every timestamp. */
export type ResponseIds = {
  newId(prefix: string): string;
  now: string;
  workflowId: string;
  /** Branch ids of conditional blocks (Skyvern uses uuid4); defaults to `newId('branch')`. */
  uuid?: () => string;
};
