// The generated module: values become parameter and secret references, locators keep only the
// recorded strategies, and the step → action mapping a heal relies on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetDescriptor } from '../../browser/index.ts';
import { actionsDone, generateBlockScript, opsOf, parameterize } from './generate.ts';
import { compact } from './recording.ts';
import type { RecordedAction } from './types.ts';

const field = (label: string, css?: string, frames: string[] = []): TargetDescriptor => ({
  frames, tag: 'input', summary: label,
  strategies: [{ by: 'role', role: 'textbox', name: label }, { by: 'label', text: label }, ...(css ? [{ by: 'css' as const, selector: css }] : [])],
});
const button = (name: string): TargetDescriptor => ({ frames: [], tag: 'button', summary: name, strategies: [{ by: 'role', role: 'button', name }] });

const ACTIONS: RecordedAction[] = [
  { kind: 'fill', target: field('Full name', '#full-name'), text: 'Ada Lovelace' },
  { kind: 'fill', target: field('Password'), text: '{{secret:password}}' },
  { kind: 'fill', target: field('Note'), text: "It's {{secret:totp_code}} for Ada Lovelace" },
  { kind: 'select', target: { ...field('Country'), tag: 'select' }, label: 'Canada', value: 'CA', requested: 'Canada' },
  { kind: 'pick', target: button('Category'), option: 'Technical' },
  { kind: 'fill', target: field('Email', undefined, ['iframe[title="Newsletter"]']), text: 'static@example.com' },
  { kind: 'click', target: button('Next'), navigatedTo: '/orders/12345/step2?x=1' },
  { kind: 'press', keys: ['Enter'] },
  { kind: 'expect_text', text: 'Welcome, Ada Lovelace!' },
];

describe('generateBlockScript', () => {
  const stored = parameterize(ACTIONS, { full_name: 'Ada Lovelace', country: 'Canada', 'odd key': 'x', count: 3 });
  const source = generateBlockScript({ label: 'sign up', blockType: 'navigation', runId: 'wr_1', actions: stored, extract: true });

  it('stores markers instead of run values, so a later run can regenerate the module', () => {
    assert.doesNotMatch(JSON.stringify(stored), /Ada Lovelace/);
    assert.equal((stored[0] as { text: string }).text, '{{param:full_name}}');
    assert.equal(generateBlockScript({ label: 'sign up', blockType: 'navigation', runId: 'wr_2', actions: stored, extract: true }).replace('wr_2', 'wr_1'), source);
  });

  it('writes parameters and secrets as references, never their values', () => {
    assert.match(source, /export default async function sign_up\(\{ page, parameters, secrets, expect, skyport \}: BlockScript\)/);
    assert.match(source, /\.fill\(parameters\.full_name\); \/\/ 1/);
    assert.match(source, /\.fill\(secrets\.password\);/);
    assert.match(source, /\.fill\(`It's \$\{secrets\.totp_code\} for \$\{parameters\.full_name\}`\);/);
    assert.match(source, /\.selectOption\(parameters\.country\);/);
    assert.match(source, /toContainText\(`Welcome, \$\{parameters\.full_name\}!`\)/);
    assert.match(source, /\.fill\('static@example\.com'\);/);
    assert.doesNotMatch(source, /Ada Lovelace|\{\{secret/);
    assert.match(source, /return await skyport\.extract\(\);\n\}/);
  });

  it('chains the recorded strategies with or(), through iframes', () => {
    assert.match(source, /page\.getByRole\('textbox', \{ name: 'Full name', exact: true \}\)\.or\(page\.getByLabel\('Full name', \{ exact: true \}\)\)\.or\(page\.locator\('#full-name'\)\)\.fill/);
    assert.match(source, /page\.frameLocator\('iframe\[title="Newsletter"\]'\)\.getByRole\('textbox', \{ name: 'Email', exact: true \}\)/);
    assert.match(source, /await page\.getByRole\('option', \{ name: 'Technical', exact: true \}\)\.click\(\);/);
    assert.match(source, /await expect\(page\)\.toHaveURL\(\/\\\/orders\\\/\\d\+\\\/step2\/\);/);
    assert.match(source, /await page\.keyboard\.press\('Enter'\);/);
  });

  it('maps replayed page operations back to whole actions', () => {
    assert.equal(opsOf(ACTIONS[4]!), 2);
    assert.equal(opsOf(ACTIONS[6]!), 2);
    assert.equal(actionsDone(ACTIONS, 0), 0);
    assert.equal(actionsDone(ACTIONS, 4), 4);
    assert.equal(actionsDone(ACTIONS, 5), 4, 'half of the pick is not the pick');
    assert.equal(actionsDone(ACTIONS, 6), 5);
    assert.equal(actionsDone(ACTIONS, 99), ACTIONS.length);
  });

  it('references a field of an object parameter (a credential\'s username), never its secret placeholders', () => {
    const actions = parameterize([
      { kind: 'fill', target: field('Username'), text: 'ada' },
      { kind: 'fill', target: field('Password'), text: '{{secret:login_password}}' },
    ], { login: { username: 'ada', password: '{{secret:login_password}}' }, 'odd key': 'ada' });
    const code = generateBlockScript({ label: 'login', blockType: 'login', runId: 'wr_1', actions, extract: false });
    assert.match(code, /\.fill\(parameters\.login\.username\);/);
    assert.match(code, /\.fill\(secrets\.login_password\);/);
  });

  it('compacts a corrected field and keeps only the last page check', () => {
    const out = compact([
      { kind: 'fill', target: field('A'), text: 'x' }, { kind: 'fill', target: field('A'), text: 'y' },
      { kind: 'expect_text', text: 'first' }, { kind: 'click', target: button('Go') }, { kind: 'expect_text', text: 'last' },
    ]);
    assert.deepEqual(out.map((a) => a.kind === 'fill' ? a.text : a.kind === 'expect_text' ? a.text : a.kind), ['y', 'click', 'last']);
  });
});
