// Happy-path scripts for the fixture sites, used by bench/agent.bench.ts. Like the e2e tests, the
// scripted model picks elements by the text it reads in the prompt the engine really built.
import { act, check, click, complete, select, simpleBrain, type, verdict, type Brain } from '../../test/e2e/agent/support/scripted-agent.ts';

export interface Scenario {
  name: string;
  path: string;
  prompt: string;
  schema?: unknown;
  /** LLM calls a perfect agent needs: a reply per page state it must act on, the final "complete", and one call per page whose data it must extract. */
  neededReplies: number;
  brain: Brain;
}

const productRows = (text: string) => [...text.matchAll(/^(SKU-\d+) \| (.+?) \| \$([\d.]+)$/gm)].map((m) => ({ sku: m[1], name: m[2], price: Number(m[3]) }));

export const SCENARIOS: Scenario[] = [
  {
    name: 'form', neededReplies: 2, path: '/form.html', prompt: 'Create an account: Ada Lovelace, ada@example.com, password analytical-engine, Canada, Pro plan, accept the terms.',
    brain: simpleBrain(/Thank you, Ada Lovelace!/, ({ page }) => act('fill and submit',
      type(page.find('Full name'), 'Ada Lovelace'), type(page.find('Email'), 'ada@example.com'), type(page.find('Password'), 'analytical-engine'),
      select(page.find('Country'), 'Canada'), click(page.find('Pro')), check(page.find('I agree to the terms of service')), click(page.find('Create account', 'button')))),
  },
  {
    name: 'checkout', neededReplies: 3, path: '/cart.html', prompt: 'Buy 2 Blue Widgets and 1 Red Gadget, ship to Ada Lovelace, 12 Engine Row, London 12345; report the order number.',
    brain: (call) => {
      const { page } = call;
      const order = /Order number: (SKY-\d+)/.exec(page.text)?.[1];
      if (call.kind === 'check') return verdict(!!order, 'order page', order ? { order_number: order } : null);
      if (page.has('# Your cart')) return act('cart', type(page.find('Quantity of Blue Widget'), '2'), type(page.find('Quantity of Red Gadget'), '1'), click(page.find('Proceed to shipping')));
      if (page.has('# Shipping details')) {
        return act('ship', type(page.find('Recipient name'), 'Ada Lovelace'), type(page.find('Street address'), '12 Engine Row'), type(page.find('City'), 'London'),
          type(page.find('ZIP code'), '12345'), click(page.find('Place order')));
      }
      return act('done', complete({ order_number: order }, `Order number: ${order}`));
    },
  },
  {
    name: 'login', neededReplies: 2, path: '/login.html', prompt: 'Sign in with username alice and password wonderland.',
    brain: simpleBrain(/Welcome, alice!/, ({ page }) => act('sign in', type(page.find('Username'), 'alice'), type(page.find('Password'), 'wonderland'), click(page.find('Sign in', 'button')))),
  },
  {
    name: 'iframe', neededReplies: 2, path: '/iframe.html', prompt: 'Subscribe ada@example.com to the newsletter and press "Say hello".',
    brain: simpleBrain(/Subscribed: ada@example.com[\s\S]*Hello from/, ({ page }) => act('frames', type(page.find('Newsletter email'), 'ada@example.com'), click(page.find('Subscribe')), click(page.find('Say hello')))),
  },
  {
    name: 'shadow', neededReplies: 2, path: '/shadow.html', prompt: 'Greet the guest Ada.',
    brain: simpleBrain(/Hello, Ada!/, ({ page }) => act('greet', type(page.find('Guest name'), 'Ada'), click(page.find('Greet me')))),
  },
  {
    name: 'dropdown', neededReplies: 2, path: '/dropdown.html', prompt: 'Choose Green as favorite color and Medium as T-shirt size.',
    brain: simpleBrain(/Selected color: Green[\s\S]*Selected size: Medium/, ({ page }) => act('pick', select(page.find('Favorite color'), 'Green'), select(page.find('Choose a size'), 'Medium'))),
  },
  {
    name: 'datepicker', neededReplies: 2, path: '/datepicker.html', prompt: 'Search flights leaving 2024-05-01 and returning 05/10/2024.',
    brain: simpleBrain(/Departure: 2024-05-01/, ({ page }) => act('dates', type(page.find('Departure date'), '05/01/2024'), type(page.find('Return date'), '05/10/2024'), click(page.find('Search flights')))),
  },
  {
    name: 'pagination', neededReplies: 6, path: '/products.html?page=1', prompt: 'List every product (sku, name, price) across all pages.',
    schema: { type: 'object', properties: { products: { type: 'array' } }, required: ['products'] },
    brain: (call) => {
      const { page } = call;
      if (call.kind === 'extract') {
        const earlier = call.sections['DATA SAVED EARLIER'] ? JSON.parse(call.sections['DATA SAVED EARLIER'].split('\n')[0]!).products : [];
        return { products: [...earlier, ...productRows(page.text)] };
      }
      if (call.kind === 'check') return verdict(page.has('Page 3 of 3') && /page=3:\n\s+- extract → ok/.test(call.sections['ACTIONS TAKEN'] ?? ''));
      if (page.has('Page 3 of 3')) return act('last', { action_type: 'extract' }, complete(null, 'Page 3 of 3'));
      return act('next', { action_type: 'extract' }, click(page.find('Next page')));
    },
  },
  {
    name: 'download', neededReplies: 2, path: '/download.html', prompt: 'Download the sales report.',
    brain: (call) => call.kind === 'check' ? verdict(/saved report/.test(call.sections['ACTIONS TAKEN'] ?? ''))
      : /saved report/.test(call.sections['PREVIOUS STEPS'] ?? '') ? act('saved', complete())
        : act('download', { action_type: 'download_file', element_id: call.page.find(/Download sales report/) }),
  },
  {
    name: 'alert', neededReplies: 2, path: '/dialogs.html', prompt: 'Press "Show alert" and report what it said.',
    brain: simpleBrain(/The alert was closed/, ({ page }) => act('alert', click(page.find('Show alert')))),
  },
  {
    name: 'newtab', neededReplies: 2, path: '/newtab.html', prompt: 'Open the terms of service.',
    brain: simpleBrain(/terms of service in a new tab/, ({ page }) => act('open', click(page.find(/Read the terms/)))),
  },
];
