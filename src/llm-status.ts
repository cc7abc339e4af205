import type { Logger } from 'pino';
import { parseLlmEnv } from './config/llm.env.ts';
import type { TaskLlmStatus } from './engine/task/execute-task.ts';

/** What to say when no LLM variable is set at all: the settings to add, not a misconfiguration. */
export const NO_LLM_SETTINGS =
  "no LLM is configured: set LLM_KEY and its provider's variables, e.g. ENABLE_OPENAI=true OPENAI_API_KEY=… " +
  'LLM_KEY=OPENAI_GPT4O (every provider: docs/llm-providers.md)';

/** Whether an LLM is configured, from Skyvern's environment names. */
export function llmStatusFromEnv(env: NodeJS.ProcessEnv): TaskLlmStatus {
  const settings = parseLlmEnv(env);
  return {
    configured: settings.problems.length === 0 && !!settings.primary,
    problems: settings.unconfigured ? [NO_LLM_SETTINGS] : settings.problems,
  };
}

/** Logs the LLM configuration once per process, at start: what is missing or wrong, and what was worked around. */
export function reportLlmSettings(logger: Logger, env: NodeJS.ProcessEnv): void {
  const settings = parseLlmEnv(env);
  if (settings.unconfigured) {
    logger.warn(NO_LLM_SETTINGS);
    return;
  }
  for (const problem of settings.problems) logger.warn({ problem }, 'LLM configuration problem');
  for (const warning of settings.warnings) logger.info({ warning }, 'LLM configuration note');
}
