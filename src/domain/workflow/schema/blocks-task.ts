// Browser-agent blocks (the "task family"): each becomes one agent task when run.
import { Type } from 'typebox';
import {
  blockBaseFields, EngineField, Flag, JsonObject, Nullable, parameterKeysField, storageDestinationFields, StringMap,
} from './common.ts';

/** `data_schema` may be a JSON schema object, a list, or a (templated) string. */
const DataSchemaField = Nullable(Type.Union([JsonObject, Type.Array(Type.Unknown()), Type.String()]));

const taskCommonFields = {
  ...blockBaseFields,
  ...parameterKeysField,
  url: Nullable(Type.String()),
  title: Type.Optional(Type.String({ default: '' })),
  engine: EngineField,
  error_code_mapping: Nullable(StringMap),
  max_retries: Type.Optional(Type.Integer({ default: 0 })),
  max_steps_per_run: Nullable(Type.Integer()),
  totp_verification_url: Nullable(Type.String()),
  totp_identifier: Nullable(Type.String()),
  disable_cache: Flag(false),
};
const verificationFields = {
  complete_criterion: Nullable(Type.String()),
  terminate_criterion: Nullable(Type.String()),
  complete_verification: Flag(true),
  include_action_history_in_verification: Flag(false),
};
const downloadFields = {
  complete_on_download: Flag(false),
  download_suffix: Nullable(Type.String()),
};

export const TaskBlockYamlSchema = Type.Object({
  block_type: Type.Literal('task'),
  ...taskCommonFields,
  ...verificationFields,
  ...downloadFields,
  navigation_goal: Nullable(Type.String()),
  data_extraction_goal: Nullable(Type.String()),
  data_schema: DataSchemaField,
});

export const NavigationBlockYamlSchema = Type.Object({
  block_type: Type.Literal('navigation'),
  ...taskCommonFields,
  ...verificationFields,
  ...downloadFields,
  navigation_goal: Type.String(),
  complete_criterion_is_untrusted: Flag(false),
});

export const ExtractionBlockYamlSchema = Type.Object({
  block_type: Type.Literal('extraction'),
  ...blockBaseFields,
  ...parameterKeysField,
  data_extraction_goal: Type.String(),
  url: Nullable(Type.String()),
  title: taskCommonFields.title,
  engine: taskCommonFields.engine,
  data_schema: DataSchemaField,
  max_retries: taskCommonFields.max_retries,
  max_steps_per_run: taskCommonFields.max_steps_per_run,
  disable_cache: Flag(false),
});

export const ActionBlockYamlSchema = Type.Object({
  block_type: Type.Literal('action'),
  ...taskCommonFields,
  ...downloadFields,
  navigation_goal: Nullable(Type.String()),
  selector: Nullable(Type.String()),
  ai_fallback: Type.Optional(Type.Enum(['fallback', 'proactive'], { default: 'fallback' })),
});

export const LoginBlockYamlSchema = Type.Object({
  block_type: Type.Literal('login'),
  ...taskCommonFields,
  ...verificationFields,
  navigation_goal: Nullable(Type.String()),
  skip_saved_profile: Flag(false),
});

export const FileDownloadBlockYamlSchema = Type.Object({
  block_type: Type.Literal('file_download'),
  ...taskCommonFields,
  ...storageDestinationFields,
  download_target: Type.Optional(
    Type.Enum(['website', 's3', 'azure', 'google_drive', 'sftp'], { default: 'website' }),
  ),
  continue_on_empty: Flag(false),
  navigation_goal: Type.String(),
  download_suffix: Nullable(Type.String()),
  download_timeout: Nullable(Type.Number()),
});

export const ValidationBlockYamlSchema = Type.Object({
  block_type: Type.Literal('validation'),
  ...blockBaseFields,
  ...parameterKeysField,
  engine: taskCommonFields.engine,
  complete_criterion: Nullable(Type.String()),
  terminate_criterion: Nullable(Type.String()),
  error_code_mapping: Nullable(StringMap),
  max_steps_per_run: Nullable(Type.Integer()),
  disable_cache: Flag(false),
  without_page_information: Flag(false),
});

export const TaskV2BlockYamlSchema = Type.Object({
  block_type: Type.Literal('task_v2'),
  ...blockBaseFields,
  prompt: Type.String(),
  url: Nullable(Type.String()),
  totp_verification_url: Nullable(Type.String()),
  totp_identifier: Nullable(Type.String()),
  max_iterations: Type.Optional(Type.Integer({ default: 50 })),
  max_steps: Type.Optional(Type.Integer({ default: 25 })),
  disable_cache: Flag(false),
});

/** `goto_url` (the SDK's `UrlBlockYaml`). */
export const UrlBlockYamlSchema = Type.Object({
  block_type: Type.Literal('goto_url'),
  ...blockBaseFields,
  url: Type.String(),
});

export const TASK_FAMILY_BLOCK_YAML_SCHEMAS = {
  task: TaskBlockYamlSchema,
  navigation: NavigationBlockYamlSchema,
  extraction: ExtractionBlockYamlSchema,
  action: ActionBlockYamlSchema,
  login: LoginBlockYamlSchema,
  file_download: FileDownloadBlockYamlSchema,
  validation: ValidationBlockYamlSchema,
  task_v2: TaskV2BlockYamlSchema,
  goto_url: UrlBlockYamlSchema,
};
