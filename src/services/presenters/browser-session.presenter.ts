import type { BrowserProfile, BrowserSessionResponse, CreateBrowserSessionRequest } from '../../contracts/browser-sessions.ts';
import type { BrowserProfileRow } from '../../db/repositories/browser-profiles.repo.ts';
import type { BrowserSessionRow } from '../../db/repositories/browser-sessions.repo.ts';
import { toWireTime, toWireTimeRequired } from '../../domain/time.ts';

/** `warning` is only set on the create answer that capped the timeout. */
export function presentBrowserSession(row: BrowserSessionRow, appUrl: string, opts: { warning?: string | null } = {}): BrowserSessionResponse {
  const request = (row.request ?? {}) as CreateBrowserSessionRequest;
  return {
    browser_session_id: row.browserSessionId,
    organization_id: row.organizationId,
    status: row.status,
    runnable_type: row.runnableType,
    runnable_id: row.runnableId,
    timeout: row.timeoutMinutes,
    browser_address: row.browserAddress,
    app_url: `${appUrl}/browser-session/${row.browserSessionId}`,
    extensions: request.extensions ?? null,
    browser_type: request.browser_type ?? null,
    browser_profile_id: row.browserProfileId,
    generate_browser_profile: row.generateBrowserProfile,
    // No live view: the session is reached over CDP only.
    vnc_streaming_supported: false,
    stream_transport: null,
    download_path: null,
    // Files a run downloads in a session are the run's artifacts (GET /v1/runs/{id}/artifacts).
    downloaded_files: [],
    recordings: [],
    started_at: toWireTime(row.startedAt),
    completed_at: toWireTime(row.completedAt),
    created_at: toWireTimeRequired(row.createdAt),
    modified_at: toWireTimeRequired(row.modifiedAt),
    deleted_at: toWireTime(row.deletedAt),
    warning: opts.warning ?? null,
  };
}

export interface ProfileSettings { proxy_location?: unknown; proxy_session_id?: string | null }

export function presentBrowserProfile(row: BrowserProfileRow): BrowserProfile {
  const settings = (row.settings ?? {}) as ProfileSettings;
  return {
    browser_profile_id: row.browserProfileId,
    organization_id: row.organizationId,
    name: row.name,
    description: row.description,
    source_browser_type: null,
    proxy_location: settings.proxy_location ?? null,
    proxy_session_id: settings.proxy_session_id ?? null,
    is_managed: false,
    workflow_permanent_id: null,
    browser_profile_key_digest: null,
    created_at: toWireTimeRequired(row.createdAt),
    modified_at: toWireTimeRequired(row.modifiedAt),
    deleted_at: toWireTime(row.deletedAt),
    last_verified_login_at: null,
    linked_credential_name: null,
  };
}
