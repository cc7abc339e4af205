// Builds the agent's runtime for one task run from its request: step budget, secrets (the run's
// one-time code source, and credentials a workflow hands in), per-run model, and the text
// upload_file may take file URLs from.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PageSession } from '../../browser/index.ts';
import type { LlmClient } from '../../llm/index.ts';
import { SecretVault } from '../agent/secrets.ts';
import { DEFAULT_AGENT_SETTINGS, type AgentRuntime } from '../agent/types.ts';
import type { EngineEnv, RunBrowser } from '../ports.ts';
import type { TaskInput } from './task-input.ts';

const TOTP_DESCRIPTION = 'the current one-time verification code (2FA / OTP) sent to the user; type it where the site asks for a verification code. '
  + 'If the site sent a sign-in link instead of a code, open it with goto_url and this placeholder as the url';

export async function buildRuntime(input: TaskInput, env: EngineEnv, llm: LlmClient): Promise<AgentRuntime> {
  const request = input.request;
  const secrets = new SecretVault();
  // The job builds the source from totp_url and/or totp_identifier; each use asks for a fresh code.
  if (env.verificationCode) secrets.add('totp_code', TOTP_DESCRIPTION, env.verificationCode, { fresh: true, mayBeLink: true });
  for (const secret of input.secrets ?? []) secrets.addProvided(secret);
  return {
    env,
    session: await sessionOf(env.browser),
    llm,
    model: (request.model as { model_name?: string } | null | undefined) ?? null,
    secrets,
    budget: { max: input.maxSteps, used: 0 },
    settings: { ...DEFAULT_AGENT_SETTINGS, tempDir: env.browser.scratchDir ?? (await mkdtemp(path.join(os.tmpdir(), 'skyport-agent-'))) },
    userText: [request.prompt, request.url ?? ''].join('\n'),
  };
}

/** The browser's PageSession, or one opened on its current page when the caller's browser has none. */
export async function sessionOf(browser: RunBrowser): Promise<PageSession> {
  if (browser.session) return browser.session;
  return PageSession.open(browser.context, { downloadDir: browser.downloadsDir, page: browser.page() });
}
