// Stored credentials and pushed codes as Skyvern's SDKs parse them. A credential's response is
// built only from its public part: the sealed secrets are never read here.
import type { CredentialResponse, CredentialType, TOTPCode } from '../../contracts/credentials.ts';
import type { CredentialRow } from '../../db/repositories/credentials.repo.ts';
import type { TotpCodeRow } from '../../db/repositories/totp-codes.repo.ts';
import { toWireTime, toWireTimeRequired } from '../../domain/time.ts';

/** The request's non-secret settings, kept in `credentials.settings`. */
export interface CredentialSettings {
  proxy_location?: unknown;
  proxy_session_id?: string | null;
  browser_profile_id?: string | null;
  auto_profile_disabled?: boolean;
  pin_saved_session_ip?: boolean;
  tested_url?: string | null;
}

export function presentCredential(row: CredentialRow): CredentialResponse {
  const settings = (row.settings ?? {}) as CredentialSettings;
  return {
    credential_id: row.credentialId,
    credential: row.publicInfo as CredentialResponse['credential'],
    credential_type: row.credentialType as CredentialType,
    name: row.name,
    vault_type: row.vaultType as CredentialResponse['vault_type'],
    browser_profile_id: settings.browser_profile_id ?? null,
    auto_profile_disabled: settings.auto_profile_disabled ?? false,
    pin_saved_session_ip: settings.pin_saved_session_ip ?? false,
    tested_url: settings.tested_url ?? null,
    user_context: null,
    save_browser_session_intent: null,
    run_sequentially: false,
    folder_id: null,
    proxy_location: settings.proxy_location ?? null,
    proxy_session_id: settings.proxy_session_id ?? null,
  };
}

export function presentTotpCode(row: TotpCodeRow, opts: { status?: string } = {}): TOTPCode {
  return {
    totp_code_id: row.totpCodeId,
    totp_identifier: row.totpIdentifier,
    task_id: row.taskId,
    workflow_id: row.workflowId,
    workflow_run_id: row.workflowRunId,
    source: row.source,
    content: row.content,
    code: row.code,
    otp_type: (row.otpType as TOTPCode['otp_type']) ?? null,
    type: (row.otpType as TOTPCode['type']) ?? null,
    expired_at: toWireTime(row.expiredAt),
    organization_id: row.organizationId,
    created_at: toWireTimeRequired(row.createdAt),
    modified_at: toWireTimeRequired(row.modifiedAt),
    ...(opts.status ? { status: opts.status } : {}),
  };
}
