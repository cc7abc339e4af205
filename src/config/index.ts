// The only reader of process.env. Names follow Skyvern's where Skyvern has one, so an
// existing Skyvern .env keeps working; ours carry their unit in the name.
import path from 'node:path';

export interface Config {
  /** HTTP port of the API (PORT). */
  port: number;
  host: string;
  /** Postgres connection string (DATABASE_URL); `npm run up` provides a local one. */
  databaseUrl: string;
  /** PG_CONNECT_TIMEOUT_MS / PG_QUERY_TIMEOUT_MS: how long the server waits on Postgres before answering 503. */
  databaseTimeouts: { connectMs: number; queryMs: number };
  /** Redis connection string (REDIS_URL); BullMQ queues live here. */
  redisUrl: string;
  /** Prefix of every BullMQ key, so several deployments or test files can share one Redis. */
  queuePrefix: string;
  /** Folder for local state: the API key file and, unless ARTIFACT_STORAGE_PATH is set, artifacts. */
  dataDir: string;
  artifactDir: string;
  /** Where artifacts are kept: SKYVERN_STORAGE_TYPE=local (artifactDir) or s3 (docs/storage.md). */
  storage: StorageConfig;
  /** When set, this exact key is the first organization's API key (SKYVERN_API_KEY). */
  bootstrapApiKey: string | undefined;
  /** The sealing key (credentials, API keys, artifact links): SECRET_KEY, else the file below. */
  secretKey: string | undefined;
  /** SECRET_KEY_FILE, default `$SKYPORT_DATA_DIR/secret_key`: created (0600) on first start when SECRET_KEY is absent. */
  secretKeyFile: string;
  /** Public base URL used in artifact links (SKYVERN_BASE_URL). */
  baseUrl: string;
  /** Skyvern's UI base for `app_url` (SKYVERN_APP_URL). */
  appUrl: string;
  /** Lifetime of signed artifact URLs. */
  artifactUrlTtlSeconds: number;
  /** ARTIFACT_URL_MODE: `api` (default) signs `/v1/artifacts/{id}/content` links; `presigned` hands out presigned S3 GET URLs. */
  artifactUrlMode: 'api' | 'presigned';
  chromiumPath: string;
  /** Runs one worker process executes at once (WORKER_CONCURRENCY). */
  workerConcurrency: number;
  /** Default step cap for a task when the request gives none (MAX_STEPS_PER_RUN, Skyvern's name). */
  maxStepsPerRun: number;
  /** How often the reconciler re-enqueues runs Postgres says are owed. */
  reconcileIntervalMs: number;
  /** A BullMQ job whose worker stops renewing its lock for this long is handed to another worker. */
  jobLockMs: number;
  /** How many times a run may be restarted after its worker died before it ends `failed`. */
  maxRunAttempts: number;
  /** Upper bound of one task run's wall time (TASK_MAX_ELAPSED_TIME_MINUTES); ends `timed_out`. */
  taskMaxElapsedMinutes: number;
  /** Length of one "minute" in elapsed-time limits; tests shrink it instead of waiting minutes. */
  minuteMs: number;
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** Runs of one organization executing at once (MAX_CONCURRENT_RUNS_PER_ORG; organizations.max_concurrent_runs overrides; 0 = no limit). */
  maxConcurrentRunsPerOrg: number;
  /** How long a run picked while its organization is at its limit waits before it is tried again. */
  runSlotRetryMs: number;
  /** Deliveries of one webhook before it is given up (WEBHOOK_MAX_ATTEMPTS). */
  webhookMaxAttempts: number;
  /** First retry delay of a webhook; each next one doubles (5 attempts at 40 s span about 10 minutes). */
  webhookBackoffMs: number;
  /** Time one webhook POST may take before it counts as failed and is retried. */
  webhookTimeoutMs: number;
  /** Webhook POSTs one worker process makes at once. */
  webhookConcurrency: number;
  /** Extra refused webhook targets: host names (`*.corp` for suffixes), IPs or CIDRs (WEBHOOK_DENY_HOSTS, comma-separated). */
  webhookDenyHosts: string[];
  /** Targets exempt from every refusal, metadata addresses included (WEBHOOK_ALLOW_HOSTS, same syntax). */
  webhookAllowHosts: string[];
  /**
   * The outbound policy (docs/outbound-policy.md) for every request made for a user, server-side
   * and in the browser: BLOCK_PRIVATE_NETWORKS=true also refuses loopback and private ranges;
   * OUTBOUND_ALLOW_HOSTS overrides default refusals, OUTBOUND_DENY_HOSTS always refuses (names,
   * `*.suffix`, IPs, CIDRs, comma-separated).
   */
  outbound: { blockPrivateNetworks: boolean; allowHosts: string[]; denyHosts: string[] };
  /** How often a run asks its totp_url for a verification code (TOTP_POLL_INTERVAL_MS; Skyvern asks every 10 s). */
  totpPollIntervalMs: number;
  /** How long a run waits for a verification code (VERIFICATION_CODE_POLLING_TIMEOUT_MINS, Skyvern's name). */
  verificationCodeTimeoutMinutes: number;
  /** Workflow schedules on (ENABLE_WORKFLOW_SCHEDULES, Skyvern's name; default true); off, their routes answer 501 and nothing fires. */
  enableWorkflowSchedules: boolean;
  /**
   * Fewest seconds between two fires of one schedule: SCHEDULE_MIN_INTERVAL_MINUTES (default 5, Skyvern's rule),
   * or the test-only SCHEDULE_MIN_INTERVAL_SECONDS when set.
   */
  scheduleMinIntervalSeconds: number;
  /** Test-only (SCHEDULE_ALLOW_SECONDS=true): accept a 6-field cron with a leading seconds field, so a test fires within seconds. */
  scheduleAllowSeconds: boolean;
  /** How often workers re-check Redis's schedule clocks against Postgres and fire a slot they missed. */
  scheduleSyncIntervalMs: number;
  /** The workflow block engine (src/engine/workflow/README.md). */
  workflow: WorkflowEngineConfig;
  /** Persistent browser sessions (docs/browser-sessions.md). */
  browserSessions: BrowserSessionsConfig;
  /** Turns `GET /metrics` on: scrapers send `Authorization: Bearer <METRICS_TOKEN>`; unset, it answers 404. */
  metricsToken: string | undefined;
  /** A worker process's own `/metrics` port (WORKER_METRICS_PORT; 0 = any free port); unset = none. */
  workerMetricsPort: number | undefined;
  logLevel: string;
  env: NodeJS.ProcessEnv;
}

export interface StorageConfig {
  type: 'local' | 's3';
  /** Set when type is s3. */
  s3?: {
    region: string;
    /** AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL: an S3-compatible server; unset = AWS. */
    endpoint?: string;
    /** AWS_S3_FORCE_PATH_STYLE; default true when an endpoint is given. */
    forcePathStyle: boolean;
    /** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN when given; else the SDK's default chain. */
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    /** AWS_S3_BUCKET_ARTIFACTS (required), _SCREENSHOTS and _UPLOADS (default: the artifacts bucket), _BROWSER_SESSIONS (accepted, unused). */
    buckets: { artifacts: string; screenshots: string; uploads: string; browserSessions: string };
  };
  /** ARTIFACT_STORAGE_REPLACE=true: this process's storage replaces the one the database records (a deliberate move). */
  replaceRecorded: boolean;
}

function storageConfig(env: NodeJS.ProcessEnv): StorageConfig {
  const type = (env.SKYVERN_STORAGE_TYPE || 'local').toLowerCase();
  const replaceRecorded = (env.ARTIFACT_STORAGE_REPLACE ?? '').toLowerCase() === 'true';
  if (type === 'local') return { type, replaceRecorded };
  if (type !== 's3') throw new Error(`SKYVERN_STORAGE_TYPE must be local or s3, got "${env.SKYVERN_STORAGE_TYPE}"`);
  const artifacts = env.AWS_S3_BUCKET_ARTIFACTS;
  if (!artifacts) throw new Error('SKYVERN_STORAGE_TYPE=s3 needs AWS_S3_BUCKET_ARTIFACTS (the bucket for run artifacts)');
  const endpoint = (env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || '').replace(/\/+$/, '') || undefined;
  const pathStyle = env.AWS_S3_FORCE_PATH_STYLE;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return {
    type, replaceRecorded,
    s3: {
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
      endpoint,
      forcePathStyle: pathStyle ? pathStyle.toLowerCase() === 'true' : endpoint !== undefined,
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined } : undefined,
      buckets: {
        artifacts,
        screenshots: env.AWS_S3_BUCKET_SCREENSHOTS || artifacts,
        uploads: env.AWS_S3_BUCKET_UPLOADS || artifacts,
        browserSessions: env.AWS_S3_BUCKET_BROWSER_SESSIONS || artifacts,
      },
    },
  };
}

function artifactUrlMode(env: NodeJS.ProcessEnv, storage: StorageConfig): 'api' | 'presigned' {
  const mode = (env.ARTIFACT_URL_MODE || 'api').toLowerCase();
  if (mode !== 'api' && mode !== 'presigned') throw new Error(`ARTIFACT_URL_MODE must be api or presigned, got "${env.ARTIFACT_URL_MODE}"`);
  if (mode === 'presigned' && storage.type !== 's3') throw new Error('ARTIFACT_URL_MODE=presigned needs SKYVERN_STORAGE_TYPE=s3');
  return mode;
}

export interface WorkflowEngineConfig {
  /** `code` blocks run only when ENABLE_CODE_BLOCK=true (they execute user JavaScript). */
  codeBlockEnabled: boolean;
  /** Wall time of one code block (CODE_BLOCK_TIMEOUT_MS). */
  codeBlockTimeoutMs: number;
  /** http_request / file download timeout when the block names none (HTTP_REQUEST_TIMEOUT_MS). */
  httpRequestDefaultTimeoutMs: number;
  /** Server SMTP for send_email blocks without their own (SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_SENDER, SMTP_SECURE). */
  smtp: { host?: string; port?: number; username?: string; password?: string; sender?: string; secure?: boolean };
  /** Iterations one for_loop / while_loop may run (WORKFLOW_MAX_LOOP_ITERATIONS; Skyvern: 1000). */
  maxLoopIterations: number;
  /** Undefined template variables render empty (`lax`, default) or fail the block (`strict`) (WORKFLOW_TEMPLATING_STRICTNESS). */
  templatingStrictness: 'lax' | 'strict';
}

export interface BrowserSessionsConfig {
  /**
   * Interface a session's CDP endpoint listens on (BROWSER_SESSION_HOST, default 127.0.0.1). Chromium itself
   * always listens on 127.0.0.1; any other value puts a small forwarder on this host in front of it.
   */
  bindHost: string;
  /** Host written into `browser_address` (BROWSER_SESSION_ADVERTISED_HOST); default: the bind host, or this machine's first IPv4 address for 0.0.0.0. */
  advertisedHost: string | undefined;
  /** Ports the forwarder may listen on, e.g. `9300-9399` (BROWSER_SESSION_PORTS); empty = any free port. Setting it turns the forwarder on. */
  ports: { from: number; to: number } | undefined;
  /** Sessions one worker process keeps open at once (BROWSER_SESSIONS_PER_WORKER). */
  perWorker: number;
  /** Longest accepted session timeout (BROWSER_SESSION_MAX_TIMEOUT_MINUTES, default 24 h); longer requests are capped with a warning. */
  maxTimeoutMinutes: number;
  /** How long `POST /v1/browser_sessions` waits for the browser to be up so `browser_address` is in its answer (BROWSER_SESSION_CREATE_WAIT_MS; 0 = answer at once). */
  createWaitMs: number;
}

function portRange(raw: string | undefined): { from: number; to: number } | undefined {
  if (!raw) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw.trim());
  if (!m) throw new Error(`BROWSER_SESSION_PORTS must be a port or a range like 9300-9399, got "${raw}"`);
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  if (from < 1 || to > 65535 || to < from) throw new Error(`BROWSER_SESSION_PORTS is not a valid range: "${raw}"`);
  return { from, to };
}

function list(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.SKYPORT_DATA_DIR ?? '.data');
  const port = int(env, 'PORT', 8000);
  const baseUrl = (env.SKYVERN_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const storage = storageConfig(env);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/skyport',
    databaseTimeouts: { connectMs: int(env, 'PG_CONNECT_TIMEOUT_MS', 5_000), queryMs: int(env, 'PG_QUERY_TIMEOUT_MS', 15_000) },
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:63799',
    queuePrefix: env.QUEUE_PREFIX ?? 'skyport',
    dataDir,
    artifactDir: path.resolve(env.ARTIFACT_STORAGE_PATH ?? path.join(dataDir, 'artifacts')),
    storage,
    bootstrapApiKey: env.SKYVERN_API_KEY || undefined,
    secretKey: env.SECRET_KEY || undefined,
    secretKeyFile: path.resolve(env.SECRET_KEY_FILE || path.join(dataDir, 'secret_key')),
    baseUrl,
    // The run viewer is served by this server itself (src/ui/), so `app_url` links open it.
    appUrl: (env.SKYVERN_APP_URL ?? baseUrl).replace(/\/$/, ''),
    artifactUrlTtlSeconds: int(env, 'ARTIFACT_URL_TTL_SECONDS', 12 * 3600),
    artifactUrlMode: artifactUrlMode(env, storage),
    chromiumPath: env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', 4),
    maxStepsPerRun: int(env, 'MAX_STEPS_PER_RUN', 10),
    reconcileIntervalMs: int(env, 'RECONCILE_INTERVAL_MS', 15_000),
    jobLockMs: int(env, 'JOB_LOCK_MS', 15_000),
    maxRunAttempts: int(env, 'MAX_RUN_ATTEMPTS', 2),
    taskMaxElapsedMinutes: int(env, 'TASK_MAX_ELAPSED_TIME_MINUTES', 240),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 10 * 1024 * 1024),
    minuteMs: int(env, 'SKYPORT_MINUTE_MS', 60_000),
    maxConcurrentRunsPerOrg: int(env, 'MAX_CONCURRENT_RUNS_PER_ORG', 10),
    runSlotRetryMs: int(env, 'RUN_SLOT_RETRY_MS', 2_000),
    webhookMaxAttempts: Math.max(1, int(env, 'WEBHOOK_MAX_ATTEMPTS', 5)),
    webhookBackoffMs: int(env, 'WEBHOOK_BACKOFF_MS', 40_000),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 30_000),
    webhookConcurrency: int(env, 'WEBHOOK_WORKER_CONCURRENCY', 20),
    webhookDenyHosts: list(env, 'WEBHOOK_DENY_HOSTS'),
    webhookAllowHosts: list(env, 'WEBHOOK_ALLOW_HOSTS'),
    outbound: {
      blockPrivateNetworks: (env.BLOCK_PRIVATE_NETWORKS ?? '').toLowerCase() === 'true',
      allowHosts: list(env, 'OUTBOUND_ALLOW_HOSTS'),
      denyHosts: list(env, 'OUTBOUND_DENY_HOSTS'),
    },
    totpPollIntervalMs: int(env, 'TOTP_POLL_INTERVAL_MS', 10_000),
    verificationCodeTimeoutMinutes: int(env, 'VERIFICATION_CODE_POLLING_TIMEOUT_MINS', 15),
    enableWorkflowSchedules: (env.ENABLE_WORKFLOW_SCHEDULES ?? 'true').toLowerCase() !== 'false',
    scheduleMinIntervalSeconds: env.SCHEDULE_MIN_INTERVAL_SECONDS
      ? int(env, 'SCHEDULE_MIN_INTERVAL_SECONDS', 300)
      : int(env, 'SCHEDULE_MIN_INTERVAL_MINUTES', 5) * 60,
    scheduleAllowSeconds: env.SCHEDULE_ALLOW_SECONDS === 'true',
    scheduleSyncIntervalMs: int(env, 'SCHEDULE_SYNC_INTERVAL_MS', 60_000),
    workflow: {
      codeBlockEnabled: (env.ENABLE_CODE_BLOCK ?? '').toLowerCase() === 'true',
      codeBlockTimeoutMs: int(env, 'CODE_BLOCK_TIMEOUT_MS', 30_000),
      httpRequestDefaultTimeoutMs: int(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000),
      smtp: {
        host: env.SMTP_HOST || undefined,
        port: env.SMTP_PORT ? int(env, 'SMTP_PORT', 587) : undefined,
        username: env.SMTP_USERNAME || undefined,
        password: env.SMTP_PASSWORD || undefined,
        sender: env.SMTP_SENDER || undefined,
        secure: env.SMTP_SECURE ? env.SMTP_SECURE.toLowerCase() === 'true' : undefined,
      },
      maxLoopIterations: Math.max(1, int(env, 'WORKFLOW_MAX_LOOP_ITERATIONS', 1000)),
      templatingStrictness: (env.WORKFLOW_TEMPLATING_STRICTNESS ?? 'lax').toLowerCase() === 'strict' ? 'strict' : 'lax',
    },
    browserSessions: {
      bindHost: env.BROWSER_SESSION_HOST || '127.0.0.1',
      advertisedHost: env.BROWSER_SESSION_ADVERTISED_HOST || undefined,
      ports: portRange(env.BROWSER_SESSION_PORTS),
      perWorker: Math.max(1, int(env, 'BROWSER_SESSIONS_PER_WORKER', 5)),
      maxTimeoutMinutes: Math.max(5, int(env, 'BROWSER_SESSION_MAX_TIMEOUT_MINUTES', 24 * 60)),
      createWaitMs: Math.max(0, int(env, 'BROWSER_SESSION_CREATE_WAIT_MS', 5_000)),
    },
    metricsToken: env.METRICS_TOKEN || undefined,
    workerMetricsPort: env.WORKER_METRICS_PORT ? int(env, 'WORKER_METRICS_PORT', 0) : undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    env,
  };
}
