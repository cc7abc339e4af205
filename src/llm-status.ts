import { parseLlmEnv } from './config/llm.env.ts';
import type { TaskLlmStatus } from './engine/task/execute-task.ts';

/** Whether an LLM is configured, from Skyvern's environment names. */
export function llmStatusFromEnv(env: NodeJS.ProcessEnv): TaskLlmStatus {
  const settings = parseLlmEnv(env);
  return { configured: settings.problems.length === 0 && !!settings.primary, problems: settings.problems };
}
