// Everything a run left behind that a user can read: step outputs and the text of its artifacts
// (prompts, replies, page HTML…). Tests search it for secrets that must not be there.
import { text } from 'node:stream/consumers';
import type { TestStack } from './stack.ts';

/** Binary artifacts (images, video) are skipped: a secret typed into a masked field shows as dots there. */
const BINARY = new Set(['screenshot', 'screenshot_llm', 'screenshot_action', 'screenshot_final', 'screenshot_proxy', 'recording', 'audio', 'pdf', 'download', 'trace', 'har']);

export async function runRecordsText(stack: TestStack, runId: string): Promise<{ steps: string; artifacts: string; artifactCount: number }> {
  const { repos } = stack.api.core;
  const steps = await repos.steps.listForRun(runId);
  const rows = (await repos.artifacts.listForRun(stack.organizationId, runId)).filter((a) => !BINARY.has(a.artifactType));
  const texts = await Promise.all(rows.map((a) => stack.api.core.artifactStore.read(a.uri).then(text).catch(() => '')));
  return { steps: JSON.stringify(steps.map((s) => s.output)), artifacts: texts.join('\n'), artifactCount: rows.length };
}
