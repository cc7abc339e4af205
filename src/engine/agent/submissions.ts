// Side effects the agent has caused: forms sent, buttons that POSTed. A model that decides on a
// page read before its submission took effect would send it again; this remembers what was sent
// and what the server answered, so a second send is refused unless the page shows a rejection
// (or the model asks for it explicitly with "repeat": true).
import { describeSent, requestAccepted, type PageScan, type SentRequest } from '../../browser/index.ts';
import { pageLabel } from './history.ts';

const REJECTION = /\b(error|errors|invalid|incorrect|wrong|required|failed|fails?|could not|couldn't|cannot|can't|unable|denied|rejected|not allowed|try again|already (taken|in use|exists)|please (correct|fix|enter|choose|select|provide|check))\b/i;

export interface Submission {
  /** Page path + the element's identity (see target-check.ts). */
  key: string;
  sent: SentRequest[];
  navigated: boolean;
  /** The server took it (every request answered below 400, or a form navigation). */
  accepted: boolean;
}

export class SubmissionLog {
  private readonly entries: Submission[] = [];

  static keyFor(url: string, identity: string): string {
    return `${pageLabel(url).split('?')[0]}|${identity}`;
  }

  record(key: string, sent: SentRequest[], navigated: boolean): Submission {
    const accepted = sent.length > 0 ? sent.every(requestAccepted) : navigated;
    const entry = { key, sent, navigated, accepted };
    this.entries.push(entry);
    return entry;
  }

  /** Why sending `key` again would repeat a side effect, or undefined when it may go. */
  refusal(key: string, page: PageScan): string | undefined {
    const earlier = [...this.entries].reverse().find((e) => e.key === key);
    if (!earlier?.accepted) return undefined;
    // A rejection the page shows (an alert that reads like an error) is a reason to send again
    // after fixing it; a status line such as "Seat 12A held" is not.
    if (page.text.some((t) => t.kind === 'alert' && REJECTION.test(t.text))) return undefined;
    const what = earlier.sent.length > 0 ? earlier.sent.map(describeSent).join(', ') : 'the form was submitted';
    return `not done: this was already sent (${what}) and the page shows no error, so sending it again would repeat it. ` +
      'If the goal is done, answer complete; if it really must be sent again, repeat this action with "repeat": true';
  }
}

/** One line for the history and the next prompt: what an action set off. */
export function describeEffect(sent: SentRequest[], navigated: boolean): string {
  const parts = sent.map(describeSent);
  if (navigated) parts.push('the page changed to a new document');
  return parts.length > 0 ? parts.join('; ') : 'nothing was sent';
}
