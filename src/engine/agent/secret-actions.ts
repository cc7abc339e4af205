// Fills secret placeholders into an action right before it runs. Typing the placeholder of a
// one-time code that turned out to be a magic link opens the link instead (the site sent a sign-in
// link, not a code); a goto_url to a placeholder opens the link the secret holds.
import type { BrowserAction } from '../../browser/index.ts';
import { SecretUnavailable } from './secrets.ts';
import type { AgentRuntime } from './types.ts';

export function usesSecret(rt: AgentRuntime, action: BrowserAction): boolean {
  if (action.action_type === 'input_text') return rt.secrets.hasPlaceholder(action.text);
  if (action.action_type === 'goto_url') return rt.secrets.hasPlaceholder(action.url);
  return false;
}

/** The action with real values; throws SecretUnavailable when a value cannot be had. Only ever passed to the browser. */
export async function withSecrets(rt: AgentRuntime, action: BrowserAction): Promise<BrowserAction> {
  if (action.action_type === 'input_text') {
    const filled = await rt.secrets.fillInput(action.text, rt.env.signal);
    return 'link' in filled ? { action_type: 'goto_url', url: filled.link, reasoning: action.reasoning } : { ...action, text: filled.text };
  }
  if (action.action_type === 'goto_url') {
    const url = (await rt.secrets.fill(action.url, rt.env.signal)).trim();
    if (!/^https?:\/\/\S+$/i.test(url)) throw new SecretUnavailable('link', 'goto_url may only open a secret that is an http(s) link (a magic link); type other secrets into their field', 'SECRET_NOT_A_LINK');
    return { ...action, url };
  }
  return action;
}
