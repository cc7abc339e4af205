// Every LLM call the agent makes goes through here: secrets are masked in what is sent, the
// request and reply are filed as artifacts of the step, and tokens and cost are tallied even when
// the call fails after replies were received.
import { LlmError, type LlmResult } from '../../llm/index.ts';
import type { AgentRuntime, ArtifactBatch, UsageTally } from './types.ts';

export interface CallRecord {
  artifacts: ArtifactBatch;
  usage: UsageTally;
}

export interface AgentLlmRequest {
  purpose: 'action' | 'check' | 'extract' | 'plan';
  system: string;
  prompt: string;
  images?: Buffer[];
}

export async function callModel(rt: AgentRuntime, rec: CallRecord, req: AgentLlmRequest): Promise<LlmResult> {
  const system = rt.secrets.redact(req.system);
  const prompt = rt.secrets.redact(req.prompt);
  // The client drops images for models without vision (including per-run model overrides).
  const images = req.images;
  rec.artifacts.save('llm_request', JSON.stringify({
    purpose: req.purpose, model: rt.model?.model_name ?? null, system, prompt, images: images?.length ?? 0,
  }, null, 1), 'json');
  try {
    const result = await rt.llm.complete({
      purpose: req.purpose, system, prompt, images, expectJson: true, model: rt.model ?? undefined, signal: rt.env.signal,
    });
    rec.usage.add(result.usage, result.costUsd);
    rec.artifacts.save('llm_response', rt.secrets.redact(result.text), 'txt');
    return result;
  } catch (error) {
    if (error instanceof LlmError) {
      rec.usage.add(error.usage, error.costUsd);
      rec.artifacts.save('llm_response', `LLM call failed (${error.kind}): ${error.message}`, 'txt');
    }
    throw error;
  }
}

/** How a failed call should be described to the user. */
export function describeLlmFailure(error: unknown): string {
  if (error instanceof LlmError) {
    if (error.kind === 'config') return `The LLM rejected the request: ${error.message}. Check the LLM settings (LLM_KEY and the provider's variables).`;
    if (error.kind === 'bad_output') return `The LLM's replies could not be used: ${error.message}`;
    return `The LLM call failed (${error.kind}): ${error.message}`;
  }
  return `The LLM call failed: ${(error as Error)?.message ?? String(error)}`;
}
