// Tasks on the live fixture sites (test/fixtures/sites/live-*.html) with the scripted model that
// does them, shared by the e2e tests (agent-live.test.ts) and the latency benchmark. Each brain
// acts like a plain model: it decides from the page in the prompt, and never asks for a `wait`.
import { act, click, complete, select, type, verdict, type AgentCall, type Brain } from './scripted-agent.ts';

export interface LiveScenario {
  name: string;
  /** The fixture server's `site` for its submission records. */
  site: string;
  path: string;
  /** Contains `[name]`, which routes the model's calls to `brain`. */
  prompt: string;
  /** Model replies a perfect agent needs: one per page state it must act on, plus the final "complete". */
  neededReplies: number;
  brain: Brain;
}

const doneOr = (success: RegExp, call: AgentCall) => {
  if (call.kind === 'check') return verdict(call.page.has(success));
  const shown = success.exec(call.page.text)?.[0];
  return shown ? act('The page shows it done', complete(null, shown)) : undefined;
};

export const LIVE_SCENARIOS: LiveScenario[] = [
  {
    name: 'live-typeahead', site: 'live-typeahead', path: '/live-typeahead.html', neededReplies: 3,
    prompt: 'Book a shipment to San Francisco, CA. [live-typeahead]',
    brain: (call) => doneOr(/Shipment booked to San Francisco, CA \(ref SHP-\d+\)/, call) ?? (call.page.maybe('San Francisco, CA')
      ? act('Choose the suggestion, then place it', click(call.page.find('San Francisco, CA')), click(call.page.find('Place shipment', 'button')))
      : act('Type the city to get suggestions', type(call.page.find('Ship to city'), 'San'))),
  },
  {
    name: 'live-ticket', site: 'live-fetch-form', path: '/live-fetch-form.html', neededReplies: 2,
    prompt: 'Open a Technical support ticket "Printer on fire": Smoke from tray 2. [live-ticket]',
    // A naive model: whenever it sees the form, it fills and sends it.
    brain: (call) => doneOr(/Ticket TCK-\d+ created: Printer on fire/, call) ?? act('Fill and send the ticket',
      type(call.page.find('Subject'), 'Printer on fire'), select(call.page.find('Category'), 'Technical'),
      type(call.page.find('Description'), 'Smoke from tray 2'), click(call.page.find('Submit ticket', 'button'))),
  },
  {
    name: 'live-iframe', site: 'live-iframe-form', path: '/live-iframe-form.html', neededReplies: 2,
    prompt: 'Subscribe ada@example.com to the newsletter. [live-iframe]',
    brain: (call) => doneOr(/Subscribed: ada@example\.com/, call) ?? act('Subscribe', type(call.page.find('Email'), 'ada@example.com'), click(call.page.find('Subscribe', 'button'))),
  },
  {
    name: 'live-shadow', site: 'live-shadow-booking', path: '/live-shadow-booking.html', neededReplies: 2,
    prompt: 'Hold seat 12A for Ada Lovelace. [live-shadow]',
    brain: (call) => doneOr(/Seat 12A held for Ada Lovelace/, call) ?? act('Hold the seat', type(call.page.find('Name'), 'Ada Lovelace'), click(call.page.find('Hold seat 12A', 'button'))),
  },
  {
    name: 'live-modal', site: 'live-modal', path: '/live-modal.html', neededReplies: 4,
    prompt: 'Sign Grace Hopper (grace@example.com) up for the newsletter. [live-modal]',
    brain: (call) => doneOr(/Welcome aboard, Grace Hopper!/, call)
      ?? (call.page.maybe('Accept cookies') ? act('Accept the cookies', click(call.page.find('Accept cookies', 'button')))
        : call.page.maybe('No thanks') ? act('Close the promo', click(call.page.find('No thanks', 'button')))
          : act('Sign up', type(call.page.find('Full name'), 'Grace Hopper'), type(call.page.find('Email'), 'grace@example.com'), click(call.page.find('Sign up', 'button')))),
  },
  {
    name: 'live-account', site: 'live-delayed-error', path: '/live-delayed-error.html', neededReplies: 3,
    prompt: 'Create an account, username "taken" or else ada_l, password difference-engine. [live-account]',
    brain: (call) => doneOr(/Account ada_l created\./, call) ?? act('Create it',
      type(call.page.find('Username'), call.page.has('Username already taken') ? 'ada_l' : 'taken'),
      type(call.page.find('Password'), 'difference-engine'), click(call.page.find('Create account', 'button'))),
  },
  {
    name: 'live-confirm', site: 'live-confirm', path: '/live-confirm.html', neededReplies: 2,
    prompt: 'Delete the old records. [live-confirm]',
    brain: (call) => doneOr(/Deleted 3 records\./, call) ?? act('Delete', click(call.page.find('Delete old records', 'button'))),
  },
  {
    name: 'live-checkout', site: 'live-checkout', path: '/live-checkout.html', neededReplies: 2,
    prompt: 'Order as Ada Lovelace with card 4242424242424242 and report the order number. [live-checkout]',
    brain: (call) => {
      const order = /Order (ORD-\d+) confirmed for Ada Lovelace/.exec(call.page.text);
      if (call.kind === 'check') return verdict(!!order, order ? 'Confirmed' : 'Not yet', order ? { order: order[1] } : null);
      if (order) return act('Confirmed', complete({ order: order[1] }, order[0]));
      return act('Order', type(call.page.find('Name'), 'Ada Lovelace'), type(call.page.find('Card number'), '4242424242424242'), click(call.page.find('Place order', 'button')));
    },
  },
];

export const liveScenario = (name: string): LiveScenario => LIVE_SCENARIOS.find((s) => s.name === name)!;
