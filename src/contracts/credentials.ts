// Wire shapes of stored credentials and pushed one-time codes, named like the contract's components.
// Request shapes carry secrets; response shapes never do (only what identifies the credential).
import { Type, type Static } from 'typebox';
import { Nullable, StringMap } from './common.ts';
import { ProxyLocationInput } from './runs.ts';

export const CREDENTIAL_TYPES = ['password', 'credit_card', 'secret'] as const;
export const CredentialTypeSchema = Type.Enum([...CREDENTIAL_TYPES], { title: 'CredentialType' });
export type CredentialType = Static<typeof CredentialTypeSchema>;

export const CREDENTIAL_VAULT_TYPES = ['skyvern', 'bitwarden', 'azure_vault', 'gcp', 'custom'] as const;
export const CredentialVaultTypeSchema = Type.Enum([...CREDENTIAL_VAULT_TYPES], { title: 'CredentialVaultType' });

export const TOTP_TYPES = ['authenticator', 'email', 'text', 'passkey', 'none'] as const;
export const TotpTypeSchema = Type.Enum([...TOTP_TYPES], { title: 'TotpType' });

export const OTP_TYPES = ['totp', 'magic_link'] as const;
export const OtpTypeSchema = Type.Enum([...OTP_TYPES], { title: 'OTPType' });
export type OtpType = Static<typeof OtpTypeSchema>;

const opt = <T extends Parameters<typeof Nullable>[0]>(schema: T) => Type.Optional(Nullable(schema));
const nonEmpty = () => Type.String({ minLength: 1 });

export const NonEmptyPasswordCredential = Type.Object({
  password: nonEmpty(),
  username: nonEmpty(),
  /** Base32 authenticator seed: codes are generated from it at typing time. */
  totp: opt(Type.String()),
  totp_type: Type.Optional(TotpTypeSchema),
  totp_identifier: opt(Type.String()),
  metadata: opt(StringMap),
}, { title: 'NonEmptyPasswordCredential' });
export type NonEmptyPasswordCredential = Static<typeof NonEmptyPasswordCredential>;

export const CreditCardBillingAddress = Type.Object({
  line1: opt(Type.String()),
  line2: opt(Type.String()),
  city: opt(Type.String()),
  state: opt(Type.String()),
  state_code: opt(Type.String()),
  postal_code: opt(Type.String()),
  country: opt(Type.String()),
  country_code: opt(Type.String()),
}, { title: 'CreditCardBillingAddress' });

export const NonEmptyCreditCardCredential = Type.Object({
  card_number: nonEmpty(),
  card_cvv: nonEmpty(),
  card_exp_month: nonEmpty(),
  card_exp_year: nonEmpty(),
  card_brand: nonEmpty(),
  card_holder_name: nonEmpty(),
  billing_address: opt(CreditCardBillingAddress),
  billing_email: opt(Type.String()),
  billing_phone: opt(Type.String()),
  metadata: opt(StringMap),
}, { title: 'NonEmptyCreditCardCredential' });
export type NonEmptyCreditCardCredential = Static<typeof NonEmptyCreditCardCredential>;

export const SecretCredential = Type.Object({
  secret_value: nonEmpty(),
  secret_label: opt(Type.String()),
}, { title: 'SecretCredential' });
export type SecretCredential = Static<typeof SecretCredential>;

/** The credential body of each `credential_type`: the route validates against the one the request names. */
export const CREDENTIAL_BODY_BY_TYPE = {
  password: NonEmptyPasswordCredential,
  credit_card: NonEmptyCreditCardCredential,
  secret: SecretCredential,
} as const;

const createFields = {
  name: Type.String(),
  credential_type: CredentialTypeSchema,
  credential: Type.Union([NonEmptyPasswordCredential, NonEmptyCreditCardCredential, SecretCredential]),
  vault_type: opt(CredentialVaultTypeSchema),
  proxy_location: Type.Optional(ProxyLocationInput),
  proxy_session_id: opt(Type.String()),
  rotate_proxy_session_id: Type.Optional(Type.Boolean()),
  browser_profile_id: opt(Type.String()),
  auto_profile_disabled: Type.Optional(Type.Boolean()),
  pin_saved_session_ip: Type.Optional(Type.Boolean()),
  tested_url: opt(Type.String()),
};
export const CreateCredentialRequest = Type.Object(createFields, { title: 'CreateCredentialRequest' });
export type CreateCredentialRequest = Static<typeof CreateCredentialRequest>;
export type CredentialBody = CreateCredentialRequest['credential'];

/** The create/update body with `credential` narrowed to one type's shape, for precise 422 locations. */
export function createCredentialRequestFor(type: CredentialType) {
  return Type.Object({ ...createFields, credential: CREDENTIAL_BODY_BY_TYPE[type] });
}

export const PasswordCredentialResponse = Type.Object({
  username: Type.String(),
  totp_type: TotpTypeSchema,
  totp_identifier: Nullable(Type.String()),
}, { title: 'PasswordCredentialResponse' });

export const CreditCardCredentialResponse = Type.Object({
  last_four: Type.String(),
  brand: Type.String(),
}, { title: 'CreditCardCredentialResponse' });

export const SecretCredentialResponse = Type.Object({
  secret_label: Nullable(Type.String()),
}, { title: 'SecretCredentialResponse' });

export const CredentialResponse = Type.Object({
  credential_id: Type.String(),
  credential: Type.Union([PasswordCredentialResponse, CreditCardCredentialResponse, SecretCredentialResponse]),
  credential_type: CredentialTypeSchema,
  name: Type.String(),
  vault_type: Nullable(CredentialVaultTypeSchema),
  browser_profile_id: Nullable(Type.String()),
  auto_profile_disabled: Nullable(Type.Boolean()),
  pin_saved_session_ip: Type.Boolean(),
  tested_url: Nullable(Type.String()),
  user_context: Nullable(Type.String()),
  save_browser_session_intent: Nullable(Type.Boolean()),
  run_sequentially: Type.Boolean(),
  folder_id: Nullable(Type.String()),
  proxy_location: Nullable(Type.Unknown()),
  proxy_session_id: Nullable(Type.String()),
}, { title: 'CredentialResponse' });
export type CredentialResponse = Static<typeof CredentialResponse>;

export const CredentialListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, default: 10 })),
  vault_type: opt(CredentialVaultTypeSchema),
  credential_type: opt(CredentialTypeSchema),
  search: opt(Type.String({ maxLength: 200 })),
});
export type CredentialListQuery = Static<typeof CredentialListQuery>;

export const CredentialIdParams = Type.Object({ credential_id: Type.String() });

/** Indexed column: bounded so an index row always fits (btree rows top out near 2.7 kB). */
const totpFields = {
  totp_identifier: Type.String({ maxLength: 500 }),
  task_id: opt(Type.String()),
  workflow_id: opt(Type.String()),
  workflow_run_id: opt(Type.String()),
  source: opt(Type.String()),
  content: Type.String(),
  /** Checked by the service: naive timestamps (no offset) are accepted as UTC, like every time this API sends. */
  expired_at: opt(Type.String()),
  /** Deprecated: the type is detected from the content. */
  type: opt(OtpTypeSchema),
};
export const TOTPCodeCreate = Type.Object(totpFields, { title: 'TOTPCodeCreate' });
export type TOTPCodeCreate = Static<typeof TOTPCodeCreate>;

export const TOTPCode = Type.Object({
  totp_identifier: Type.String(),
  task_id: Nullable(Type.String()),
  workflow_id: Nullable(Type.String()),
  workflow_run_id: Nullable(Type.String()),
  source: Nullable(Type.String()),
  content: Type.String(),
  expired_at: Nullable(Type.String({ format: 'date-time' })),
  type: Nullable(OtpTypeSchema),
  totp_code_id: Type.String(),
  code: Type.String(),
  organization_id: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  modified_at: Type.String({ format: 'date-time' }),
  otp_type: Nullable(OtpTypeSchema),
  /** `raw_pending` when no code could be found in the content (it is stored as sent). */
  status: Type.Optional(Type.String()),
}, { title: 'TOTPCode' });
export type TOTPCode = Static<typeof TOTPCode>;

export const TotpCodeListQuery = Type.Object({
  totp_identifier: opt(Type.String()),
  workflow_run_id: opt(Type.String()),
  otp_type: opt(OtpTypeSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type TotpCodeListQuery = Static<typeof TotpCodeListQuery>;
