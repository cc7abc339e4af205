// Non-agent blocks: LLM calls, HTTP, files, email, waiting, human review, sub-workflows, integrations.
import { Type } from 'typebox';
import {
  blockBaseFields, Flag, JsonObject, Nullable, parameterKeysField, storageDestinationFields, StringMap,
} from './common.ts';

const base = { ...blockBaseFields };
const withKeys = { ...blockBaseFields, ...parameterKeysField };

export const CodeBlockStepYamlSchema = Type.Object({
  title: Nullable(Type.String()),
  description: Nullable(Type.String()),
  action_type: Type.Optional(Type.String({ default: 'null_action' })),
  line_start: Nullable(Type.Integer()),
  line_end: Nullable(Type.Integer()),
});

export const CodeBlockYamlSchema = Type.Object({
  block_type: Type.Literal('code'),
  ...withKeys,
  code: Type.String(),
  error_code_mapping: Nullable(StringMap),
  prompt: Nullable(Type.String()),
  steps: Nullable(Type.Array(CodeBlockStepYamlSchema)),
});

export const TextPromptBlockYamlSchema = Type.Object({
  block_type: Type.Literal('text_prompt'),
  ...withKeys,
  llm_key: Nullable(Type.String()),
  prompt: Type.String(),
  json_schema: Nullable(JsonObject),
});

export const HttpRequestBlockYamlSchema = Type.Object({
  block_type: Type.Literal('http_request'),
  ...withKeys,
  method: Type.Optional(Type.String({ default: 'GET' })),
  url: Nullable(Type.String()),
  headers: Nullable(StringMap),
  body: Nullable(JsonObject),
  files: Nullable(StringMap),
  timeout: Type.Optional(Type.Integer({ default: 30 })),
  follow_redirects: Flag(true),
  download_filename: Nullable(Type.String()),
  save_response_as_file: Flag(false),
  secret_response_paths: Nullable(Type.Array(Type.String())),
});

export const SendEmailBlockYamlSchema = Type.Object({
  block_type: Type.Literal('send_email'),
  ...base,
  smtp_host_secret_parameter_key: Nullable(Type.String()),
  smtp_port_secret_parameter_key: Nullable(Type.String()),
  smtp_username_secret_parameter_key: Nullable(Type.String()),
  smtp_password_secret_parameter_key: Nullable(Type.String()),
  custom_smtp_host: Nullable(Type.String()),
  custom_smtp_port: Nullable(Type.Integer()),
  custom_smtp_username: Nullable(Type.String()),
  custom_smtp_password: Nullable(Type.String()),
  sender: Type.String(),
  recipients: Type.Array(Type.String()),
  subject: Type.String(),
  body: Type.String(),
  file_attachments: Nullable(Type.Array(Type.String())),
});

export const WaitBlockYamlSchema = Type.Object({
  block_type: Type.Literal('wait'),
  ...base,
  wait_sec: Type.Optional(Type.Integer({ default: 0 })),
});

export const PrintPageBlockYamlSchema = Type.Object({
  block_type: Type.Literal('print_page'),
  ...withKeys,
  include_timestamp: Flag(true),
  custom_filename: Nullable(Type.String()),
  format: Type.Optional(Type.Enum(['A4', 'Letter', 'Legal', 'Tabloid'], { default: 'A4' })),
  landscape: Flag(false),
  print_background: Flag(true),
});

export const FileParserBlockYamlSchema = Type.Object({
  block_type: Type.Literal('file_url_parser'),
  ...base,
  file_url: Type.String(),
  file_type: Type.Optional(
    Type.Enum(['auto_detect', 'csv', 'excel', 'pdf', 'image', 'docx', 'zip'], { default: 'auto_detect' }),
  ),
  json_schema: Nullable(JsonObject),
});

export const PdfParserBlockYamlSchema = Type.Object({
  block_type: Type.Literal('pdf_parser'),
  ...base,
  file_url: Type.String(),
  json_schema: Nullable(JsonObject),
});

export const PdfFillBlockYamlSchema = Type.Object({
  block_type: Type.Literal('pdf_fill'),
  ...withKeys,
  file_url: Type.String(),
  prompt: Type.String(),
  payload: Nullable(Type.Union([JsonObject, Type.Array(Type.Unknown()), Type.String()])),
  llm_key: Nullable(Type.String()),
});

export const SplitPdfBlockYamlSchema = Type.Object({
  block_type: Type.Literal('split_pdf'),
  ...withKeys,
  file_url: Type.String(),
  prompt: Type.String(),
  llm_key: Nullable(Type.String()),
});

export const UploadToS3BlockYamlSchema = Type.Object({
  block_type: Type.Literal('upload_to_s3'),
  ...base,
  path: Nullable(Type.String()),
});

export const DownloadToS3BlockYamlSchema = Type.Object({
  block_type: Type.Literal('download_to_s3'),
  ...base,
  url: Type.String(),
});

export const FileUploadBlockYamlSchema = Type.Object({
  block_type: Type.Literal('file_upload'),
  ...base,
  ...storageDestinationFields,
  storage_type: Type.Optional(Type.Enum(['s3', 'azure', 'google_drive', 'sftp'], { default: 's3' })),
  azure_folder_path: Nullable(Type.String()),
});

export const HumanInteractionBlockYamlSchema = Type.Object({
  block_type: Type.Literal('human_interaction'),
  ...base,
  instructions: Type.Optional(
    Type.String({ default: 'Please review and approve or reject to continue the workflow.' }),
  ),
  positive_descriptor: Type.Optional(Type.String({ default: 'Approve' })),
  negative_descriptor: Type.Optional(Type.String({ default: 'Reject' })),
  timeout_seconds: Type.Optional(Type.Integer({ default: 7200 })),
  sender: Type.Optional(Type.String({ default: 'hello@skyvern.com' })),
  recipients: Type.Array(Type.String()),
  subject: Type.Optional(Type.String({ default: 'Human interaction required for workflow run' })),
  body: Type.Optional(Type.String({ default: 'Your interaction is required for a workflow run!' })),
});

export const WorkflowTriggerBlockYamlSchema = Type.Object({
  block_type: Type.Literal('workflow_trigger'),
  ...withKeys,
  workflow_permanent_id: Type.String(),
  payload: Nullable(JsonObject),
  wait_for_completion: Flag(true),
  browser_session_id: Nullable(Type.String()),
  use_parent_browser_session: Flag(false),
});

const googleSheetsFields = {
  spreadsheet_url: Type.String(),
  sheet_name: Nullable(Type.String()),
  range: Nullable(Type.String()),
  credential_id: Nullable(Type.String()),
};

export const GoogleSheetsReadBlockYamlSchema = Type.Object({
  block_type: Type.Literal('google_sheets_read'),
  ...withKeys,
  ...googleSheetsFields,
  has_header_row: Flag(true),
});

export const GoogleSheetsWriteBlockYamlSchema = Type.Object({
  block_type: Type.Literal('google_sheets_write'),
  ...withKeys,
  ...googleSheetsFields,
  write_mode: Type.Optional(Type.Enum(['append', 'update'], { default: 'append' })),
  values: Type.Optional(Type.String({ default: '' })),
  column_mapping: Nullable(StringMap),
  create_sheet_if_missing: Flag(false),
});

export const EmailInboxBlockYamlSchema = Type.Object({
  block_type: Type.Literal('email_inbox'),
  ...withKeys,
  email_client: Type.Enum(['gmail', 'outlook']),
  credential_id: Nullable(Type.String()),
  folder: Nullable(Type.String()),
  prompt: Nullable(Type.String()),
  sender: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  newer_than_days: Nullable(Type.Integer()),
  max_results: Type.Optional(Type.Integer({ default: 25 })),
  include_body: Flag(true),
});

export const MISC_BLOCK_YAML_SCHEMAS = {
  code: CodeBlockYamlSchema,
  text_prompt: TextPromptBlockYamlSchema,
  http_request: HttpRequestBlockYamlSchema,
  send_email: SendEmailBlockYamlSchema,
  wait: WaitBlockYamlSchema,
  print_page: PrintPageBlockYamlSchema,
  file_url_parser: FileParserBlockYamlSchema,
  pdf_parser: PdfParserBlockYamlSchema,
  pdf_fill: PdfFillBlockYamlSchema,
  split_pdf: SplitPdfBlockYamlSchema,
  upload_to_s3: UploadToS3BlockYamlSchema,
  download_to_s3: DownloadToS3BlockYamlSchema,
  file_upload: FileUploadBlockYamlSchema,
  human_interaction: HumanInteractionBlockYamlSchema,
  workflow_trigger: WorkflowTriggerBlockYamlSchema,
  google_sheets_read: GoogleSheetsReadBlockYamlSchema,
  google_sheets_write: GoogleSheetsWriteBlockYamlSchema,
  email_inbox: EmailInboxBlockYamlSchema,
};
