// Rules of persistent browser sessions (`pbs_…`) that do not depend on where they run.

/** Skyvern's PersistentBrowserSessionStatus values this server uses (`retry` never happens here). */
export const SESSION_STATUSES = ['created', 'running', 'completed', 'failed', 'timeout'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const FINAL_SESSION_STATUSES: readonly SessionStatus[] = ['completed', 'failed', 'timeout'];

export function isSessionFinal(status: string): boolean {
  return (FINAL_SESSION_STATUSES as readonly string[]).includes(status);
}

export const DEFAULT_SESSION_TIMEOUT_MINUTES = 60;
export const MIN_SESSION_TIMEOUT_MINUTES = 5;

/** `GET /v1/browser_sessions` lists sessions created within this window (Skyvern: 24 h). */
export const ACTIVE_SESSION_WINDOW_MS = 24 * 60 * 60_000;

/**
 * A timeout above the server's ceiling is capped, not rejected, and the answer carries a warning
 * (Skyvern's behaviour; the contract sets no maximum). Below the minimum the schema answers 422.
 */
export function resolveSessionTimeout(requested: number | null | undefined, maxMinutes: number): { minutes: number; warning: string | null } {
  const minutes = requested ?? DEFAULT_SESSION_TIMEOUT_MINUTES;
  if (minutes <= maxMinutes) return { minutes, warning: null };
  return {
    minutes: maxMinutes,
    warning: `The requested timeout of ${minutes} minutes exceeds this server's maximum of ${maxMinutes} minutes; the session times out after ${maxMinutes} minutes.`,
  };
}

/**
 * A session's deadline counts from when its browser started. While a run holds the session it is
 * not ended for its timeout (the run would die mid-way); the hard cap ends it regardless.
 */
export function sessionTimeoutDue(s: { startedAt: Date; timeoutMinutes: number; held: boolean }, now: number, minuteMs: number, hardCapMinutes: number): boolean {
  const started = s.startedAt.getTime();
  if (now >= started + Math.max(hardCapMinutes, s.timeoutMinutes) * minuteMs) return true;
  return !s.held && now >= started + s.timeoutMinutes * minuteMs;
}

/** Why a run cannot use the session it names (it ended before the run could start). */
export function sessionEndedReason(sessionId: string, status: string): string {
  return `Browser session ${sessionId} has ended (status ${status}); create a new browser session and run again.`;
}
