import assert from 'node:assert/strict';
import type { TestStack } from './stack.ts';

/** The text of the last user message a scripted LLM received (string or content-part form). */
export function lastUserText(messages: any[]): string {
  const content = messages.filter((m) => m.role === 'user').at(-1)?.content;
  return typeof content === 'string' ? content : (content ?? []).map((p: any) => p.text ?? '').join('');
}

/** Saves a workflow through the API and returns its `wpid_…`. */
export async function createWorkflow(stack: TestStack, title: string, definition: Record<string, unknown>): Promise<string> {
  const res = await stack.request('POST', '/v1/agents', { json_definition: { title, ...definition } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.workflow_permanent_id as string;
}
