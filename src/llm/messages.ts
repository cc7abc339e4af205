// Turns an LlmRequest into AI SDK messages, and words the one follow-up we send
// when a reply that should be JSON isn't usable.
import type { ModelMessage, UserContent } from 'ai';
import type { LlmRequest } from './types.ts';

/** System text, with a reply-format instruction appended when JSON is expected. */
export function buildSystemText(req: LlmRequest, expectJson: boolean): string | undefined {
  if (!expectJson) return req.system;
  const format = req.jsonSchema
    ? `Reply with a single JSON value and nothing else (no prose, no Markdown fences). It must satisfy this JSON Schema:\n${JSON.stringify(req.jsonSchema)}`
    : 'Reply with a single JSON object and nothing else (no prose, no Markdown fences).';
  return req.system ? `${req.system}\n\n${format}` : format;
}

/** The user turn: the prompt, then the screenshots when the model can see them. */
export function buildUserMessage(req: LlmRequest, includeImages: boolean): ModelMessage {
  const content: UserContent = [{ type: 'text', text: req.prompt }];
  if (includeImages) {
    // Base64 strings rather than Buffers: ollama-ai-provider-v2 forwards the bytes
    // as-is, and a Buffer would be serialized as {type:'Buffer',data:[…]}.
    for (const png of req.images ?? []) content.push({ type: 'image', image: png.toString('base64'), mediaType: 'image/png' });
  }
  return { role: 'user', content };
}

/** Conversation for the single re-ask: the model sees its own reply and what was wrong with it. */
export function buildReaskMessages(first: ModelMessage[], badReply: string, problem: string): ModelMessage[] {
  return [
    ...first,
    { role: 'assistant', content: badReply || '(empty reply)' },
    {
      role: 'user',
      content: `Your previous reply could not be used because ${problem}. Send the complete answer again as JSON only, fixing that problem.`,
    },
  ];
}
