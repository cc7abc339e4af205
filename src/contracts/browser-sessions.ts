// Wire shapes of persistent browser sessions and browser profiles, named like the contract's components.
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { ProxyLocationInput } from './runs.ts';

const opt = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) => Type.Optional(schema);
const time = () => Type.String({ format: 'date-time' });

export const SessionExtension = Type.Enum(['ad-blocker', 'captcha-solver'], { title: 'Extensions' });
export const PersistentBrowserType = Type.Enum(['msedge', 'chrome', 'stealth-chromium'], { title: 'PersistentBrowserType' });

export const CreateBrowserSessionRequest = Type.Object({
  url: opt(Nullable(Type.String())),
  /** Minutes, counted from when the browser started. Above the server's ceiling it is capped with a `warning`. */
  timeout: opt(Nullable(Type.Integer({ minimum: 5 }))),
  proxy_location: opt(ProxyLocationInput),
  proxy_session_id: opt(Nullable(Type.String())),
  extensions: opt(Nullable(Type.Array(SessionExtension))),
  browser_type: opt(Nullable(PersistentBrowserType)),
  browser_profile_id: opt(Nullable(Type.String({ pattern: '^bp_' }))),
  generate_browser_profile: opt(Type.Boolean({ default: false })),
  needs_live_view: opt(Type.Boolean({ default: false })),
}, { title: 'CreateBrowserSessionRequest' });
export type CreateBrowserSessionRequest = Static<typeof CreateBrowserSessionRequest>;

export const UpdateBrowserSessionRequest = Type.Object({
  generate_browser_profile: Type.Boolean(),
}, { title: 'UpdateBrowserSessionRequest' });
export type UpdateBrowserSessionRequest = Static<typeof UpdateBrowserSessionRequest>;

export const FileInfo = Type.Object({
  url: Type.String(),
  checksum: opt(Nullable(Type.String())),
  filename: opt(Nullable(Type.String())),
  file_size: opt(Nullable(Type.Integer())),
  modified_at: opt(Nullable(time())),
  artifact_id: opt(Nullable(Type.String())),
}, { title: 'FileInfo' });

export const BrowserSessionResponse = Type.Object({
  browser_session_id: Type.String(),
  organization_id: Type.String(),
  status: Nullable(Type.String()),
  runnable_type: Nullable(Type.String()),
  runnable_id: Nullable(Type.String()),
  timeout: Nullable(Type.Integer()),
  /** The CDP endpoint (`http://host:port`) once the browser is up; Playwright's connectOverCDP takes it. */
  browser_address: Nullable(Type.String()),
  app_url: Nullable(Type.String()),
  extensions: Nullable(Type.Array(SessionExtension)),
  browser_type: Nullable(PersistentBrowserType),
  browser_profile_id: Nullable(Type.String()),
  generate_browser_profile: Type.Boolean(),
  vnc_streaming_supported: Type.Boolean(),
  stream_transport: Nullable(Type.String()),
  download_path: Nullable(Type.String()),
  downloaded_files: Nullable(Type.Array(FileInfo)),
  recordings: Nullable(Type.Array(FileInfo)),
  started_at: Nullable(time()),
  completed_at: Nullable(time()),
  created_at: time(),
  modified_at: time(),
  deleted_at: Nullable(time()),
  warning: Nullable(Type.String()),
}, { title: 'BrowserSessionResponse' });
export type BrowserSessionResponse = Static<typeof BrowserSessionResponse>;

export const BrowserSessionList = Type.Array(BrowserSessionResponse);
export const CloseBrowserSessionResponse = Type.Object({ message: Type.String() });
export const BrowserSessionIdParams = Type.Object({ browser_session_id: Type.String() });

// `name` is in a unique index: bounded so an index row always fits (btree rows top out near 2.7 kB).
export const CreateBrowserProfileRequest = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 500 }),
  description: opt(Nullable(Type.String())),
  browser_session_id: opt(Nullable(Type.String({ minLength: 1 }))),
  workflow_run_id: opt(Nullable(Type.String({ minLength: 1 }))),
  proxy_location: opt(ProxyLocationInput),
  proxy_session_id: opt(Nullable(Type.String())),
}, { title: 'CreateBrowserProfileRequest' });
export type CreateBrowserProfileRequest = Static<typeof CreateBrowserProfileRequest>;

export const UpdateBrowserProfileRequest = Type.Object({
  name: opt(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
  description: opt(Nullable(Type.String())),
  proxy_location: opt(ProxyLocationInput),
  proxy_session_id: opt(Nullable(Type.String())),
  rotate_proxy_session_id: opt(Type.Boolean({ default: false })),
}, { title: 'UpdateBrowserProfileRequest' });
export type UpdateBrowserProfileRequest = Static<typeof UpdateBrowserProfileRequest>;

export const BrowserProfile = Type.Object({
  browser_profile_id: Type.String(),
  organization_id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  source_browser_type: Nullable(Type.String()),
  proxy_location: Nullable(Type.Unknown()),
  proxy_session_id: Nullable(Type.String()),
  is_managed: Type.Boolean(),
  workflow_permanent_id: Nullable(Type.String()),
  browser_profile_key_digest: Nullable(Type.String()),
  created_at: time(),
  modified_at: time(),
  deleted_at: Nullable(time()),
  last_verified_login_at: Nullable(time()),
  linked_credential_name: Nullable(Type.String()),
}, { title: 'BrowserProfile' });
export type BrowserProfile = Static<typeof BrowserProfile>;

export const BrowserProfileList = Type.Array(BrowserProfile);

export const BrowserProfileListQuery = Type.Object({
  page: opt(Type.Integer({ minimum: 1, default: 1 })),
  page_size: opt(Type.Integer({ minimum: 1, default: 10 })),
  include_deleted: opt(Type.Boolean({ default: false })),
  search_key: opt(Nullable(Type.String())),
  managed: opt(Nullable(Type.Boolean())),
});
export type BrowserProfileListQuery = Static<typeof BrowserProfileListQuery>;

export const BrowserProfileIdParams = Type.Object({ profile_id: Type.String() });
