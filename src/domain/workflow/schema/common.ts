// Building blocks shared by the workflow definition schemas (the YAML/JSON request shape,
// named after Skyvern's OpenAPI `*YAML` components).
import { Type, type TSchema } from 'typebox';

/**
 * `field: T | null = None` in Skyvern's pydantic models: may be omitted, may be null, and is
 * filled with null by `Value.Default` so stored definitions and responses carry every field.
 */
export const Nullable = <T extends TSchema>(schema: T) =>
  Type.Optional(Type.Union([schema, Type.Null()], { default: null }));

/** `field: bool = <value>`: optional, filled by `Value.Default`. */
export const Flag = (value: boolean) => Type.Optional(Type.Boolean({ default: value }));

/** Any JSON object (`dict[str, Any]`), kept verbatim. */
export const JsonObject = Type.Record(Type.String(), Type.Unknown());
/** `dict[str, str]` (error_code_mapping, headers…). */
export const StringMap = Type.Record(Type.String(), Type.String());

export const RUN_ENGINES = [
  'skyvern-1.0', 'skyvern-2.0', 'skyvern-3.0', 'openai-cua', 'anthropic-cua', 'ui-tars', 'yutori-navigator',
] as const;
export const RunEngineSchema = Type.Enum([...RUN_ENGINES]);
/** `engine: RunEngine = "skyvern-1.0"`. */
export const EngineField = Type.Optional(Type.Enum([...RUN_ENGINES], { default: 'skyvern-1.0' }));

export const PROXY_LOCATIONS = [
  'RESIDENTIAL', 'US-CA', 'US-NY', 'US-TX', 'US-FL', 'US-WA', 'RESIDENTIAL_ES', 'RESIDENTIAL_IE', 'RESIDENTIAL_GB',
  'RESIDENTIAL_IN', 'RESIDENTIAL_JP', 'RESIDENTIAL_FR', 'RESIDENTIAL_DE', 'RESIDENTIAL_NZ', 'RESIDENTIAL_ZA',
  'RESIDENTIAL_AR', 'RESIDENTIAL_AU', 'RESIDENTIAL_BR', 'RESIDENTIAL_TR', 'RESIDENTIAL_CA', 'RESIDENTIAL_MX',
  'RESIDENTIAL_IT', 'RESIDENTIAL_NL', 'RESIDENTIAL_PH', 'RESIDENTIAL_KR', 'RESIDENTIAL_SA', 'RESIDENTIAL_ISP', 'NONE',
] as const;

/** Fields every block accepts (`BlockYAML`). */
export const blockBaseFields = {
  label: Type.String(),
  next_block_label: Nullable(Type.String()),
  continue_on_failure: Flag(false),
  model: Nullable(JsonObject),
  ignore_workflow_system_prompt: Flag(false),
  next_loop_on_failure: Flag(false),
};

/** `parameter_keys`: names of parameters whose values the block may read. */
export const parameterKeysField = { parameter_keys: Nullable(Type.Array(Type.String())) };

/** Destination fields shared by `file_upload` and `file_download` (customer storage). */
export const storageDestinationFields = {
  s3_bucket: Nullable(Type.String()),
  aws_access_key_id: Nullable(Type.String()),
  aws_secret_access_key: Nullable(Type.String()),
  region_name: Nullable(Type.String()),
  azure_storage_account_name: Nullable(Type.String()),
  azure_storage_account_key: Nullable(Type.String()),
  azure_blob_container_name: Nullable(Type.String()),
  google_credential_id: Nullable(Type.String()),
  google_drive_folder_id: Nullable(Type.String()),
  sftp_host: Nullable(Type.String()),
  sftp_port: Nullable(Type.Integer()),
  sftp_username: Nullable(Type.String()),
  sftp_password: Nullable(Type.String()),
  sftp_private_key: Nullable(Type.String()),
  sftp_private_key_passphrase: Nullable(Type.String()),
  sftp_remote_path: Nullable(Type.String()),
  sftp_host_key: Nullable(Type.String()),
  path: Nullable(Type.String()),
  prompt: Nullable(Type.String()),
};
