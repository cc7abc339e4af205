// One scripted OpenAI-compatible server for workflow e2e tests: the agent's calls (action, check,
// extract, plan) are parsed with the agent tests' helper and routed by a marker in the goal;
// every other call (text_prompt, prompt conditionals) goes to `other`.
import { startScriptedLlm, type ScriptedAnswer, type ScriptedLlm, type ScriptedRequest } from '../../../fixtures/llm/scripted-openai-server.ts';
import { parseCall, type Brain } from '../../agent/support/scripted-agent.ts';

export interface WorkflowLlm {
  llm: ScriptedLlm;
  env: Record<string, string>;
  on(marker: string, brain: Brain): void;
  close(): Promise<void>;
}

const textOf = (content: unknown): string => typeof content === 'string' ? content
  : Array.isArray(content) ? content.map((p: any) => (p?.type === 'text' ? p.text : '')).join('') : '';

export async function startWorkflowLlm(other: (prompt: string, req: ScriptedRequest) => ScriptedAnswer, opts: { latencyMs?: number } = {}): Promise<WorkflowLlm> {
  const brains = new Map<string, Brain>();
  const llm = await startScriptedLlm(async (req) => {
    let call;
    try { call = parseCall(req); } catch { call = undefined; }
    if (!call) return other(textOf(req.messages.filter((m: any) => m.role === 'user').at(-1)?.content), req);
    const haystack = `${call.goal}\n${call.sections['OVERALL TASK'] ?? ''}\n${call.prompt}`;
    const match = [...brains.entries()].find(([marker]) => haystack.includes(marker));
    if (!match) throw new Error(`scripted model: no brain for ${call.kind} call, goal ${call.goal.slice(0, 120)}`);
    return match[1](call);
  }, { latencyMs: opts.latencyMs });
  return {
    llm,
    env: {
      ENABLE_OPENAI_COMPATIBLE: 'true', OPENAI_COMPATIBLE_API_BASE: `${llm.baseUrl}/v1`, OPENAI_COMPATIBLE_MODEL_NAME: 'scripted',
      OPENAI_COMPATIBLE_API_KEY: 'test', LLM_KEY: 'OPENAI_COMPATIBLE', OPENAI_COMPATIBLE_SUPPORTS_VISION: 'false', LLM_MAX_RETRIES: '0',
    },
    on: (marker, brain) => { brains.set(marker, brain); },
    close: () => llm.close(),
  };
}
