// The agent's pure parts: reading model replies, error codes, secrets, loop detection, verdicts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeAction, parseAgentReply } from './actions.ts';
import { readVerdict } from './completion-check.ts';
import { LoopGuard } from './loop-guard.ts';
import { readPlan } from './plan.ts';
import { SecretUnavailable, SecretVault } from './secrets.ts';
import { userDefinedErrors } from './user-errors.ts';

const signal = new AbortController().signal;

describe('reading model replies', () => {
  it('accepts Skyvern-style and sloppy action objects', () => {
    assert.deepEqual(normalizeAction({ action_type: 'CLICK', id: '[e12]', reasoning: 'r' }), { ok: true, action: { action_type: 'click', reasoning: 'r', element_id: 'e12' } });
    assert.deepEqual(normalizeAction({ action_type: 'PRESS_ENTER', element_id: 'e3' }), { ok: true, action: { action_type: 'keypress', element_id: 'e3', keys: ['Enter'] } });
    assert.deepEqual(normalizeAction({ action_type: 'select_option', element_id: 'e4', option: 'Canada' }), { ok: true, action: { action_type: 'select_option', element_id: 'e4', option: { label: 'Canada' } } });
    assert.deepEqual(normalizeAction({ type: 'type', element_id: 'e1', value: 42 }), { ok: true, action: { action_type: 'input_text', element_id: 'e1', text: '42' } });
    assert.deepEqual(normalizeAction({ action_type: 'EXTRACT_INFORMATION' }), { ok: true, action: { action_type: 'extract' } });
    assert.deepEqual(normalizeAction({ action_type: 'wait', element_id: 'e9' }), { ok: true, action: { action_type: 'wait', seconds: 2 } }, 'ids on non-element actions are dropped');
    const terminate = normalizeAction({ action_type: 'TERMINATE', reasoning: 'blocked', errors: [{ code: 'X', confidence: '0.5' }, 'junk'] });
    assert.deepEqual(terminate, { ok: true, action: { action_type: 'terminate', reasoning: 'blocked', reason: 'blocked', errors: [{ error_code: 'X', reasoning: '', confidence_float: 0.5 }] } });
  });

  it('explains what it cannot use', () => {
    assert.deepEqual(normalizeAction({ action_type: 'fly', element_id: 'e1' }), { ok: false, problem: 'unknown action_type "fly"' });
    assert.deepEqual(normalizeAction({ action_type: 'click' }), { ok: false, problem: 'click is missing or has an invalid "element_id"' });
    const reply = parseAgentReply([{ action_type: 'click', element_id: 'e1' }, { nope: true }]);
    assert.equal(reply.actions.length, 1);
    assert.deepEqual(reply.problems, ['an action has no action_type']);
    assert.deepEqual(parseAgentReply({ thoughts: 'x' }).problems, ['the reply has no "actions" array']);
    assert.equal(parseAgentReply({ action_type: 'complete', data: { a: 1 } }).actions[0]!.action_type, 'complete');
  });

  it('reads verdicts and plans leniently', () => {
    assert.deepEqual(readVerdict({ user_goal_achieved: 'true', thoughts: 't' }), { achieved: true, thoughts: 't', output: null });
    assert.equal(readVerdict({ user_goal_achieved: 'no' }).achieved, false);
    assert.equal(readVerdict(null).achieved, false);
    const plan = readPlan({ task_achieved: false, next_goals: ['Log in', { goal: 'Read it', kind: 'EXTRACTION' }] });
    assert.deepEqual(plan.next, { goal: 'Log in', kind: 'navigate' });
    assert.deepEqual(plan.later, ['Read it']);
    assert.deepEqual(readPlan({ plan: 'Open page 2', task_type: 'navigate' }).next, { goal: 'Open page 2', kind: 'navigate' });
    assert.equal(readPlan({ should_terminate: 'yes', termination_reason: 'gone' }).terminate, true);
  });
});

describe('error_code_mapping', () => {
  const mapping = { INVALID_CREDENTIALS: 'the site rejects the username or password', OUT_OF_STOCK: 'the item is sold out' };
  it('keeps only the user\'s codes, canonically spelled', () => {
    const errors = userDefinedErrors([{ error_code: 'invalid_credentials', reasoning: 'r', confidence_float: 2 }, { error_code: 'OTHER' }], mapping);
    assert.deepEqual(errors, [{ error_code: 'INVALID_CREDENTIALS', reasoning: 'r', confidence_float: 1, error_type: 'user_defined' }]);
  });
  it('falls back to codes or descriptions named in the reason', () => {
    assert.deepEqual(userDefinedErrors(undefined, mapping, 'Stopping: OUT_OF_STOCK').map((e) => e.error_code), ['OUT_OF_STOCK']);
    assert.deepEqual(userDefinedErrors([], mapping, 'It seems the site rejects the username or password.').map((e) => e.error_code), ['INVALID_CREDENTIALS']);
    assert.deepEqual(userDefinedErrors(undefined, null, 'OUT_OF_STOCK'), []);
  });
});

describe('SecretVault', () => {
  it('fills placeholders only at typing time and masks values wherever they reappear', async () => {
    const vault = new SecretVault();
    let fetched = 0;
    const placeholder = vault.add('totp_code', 'one-time code', async () => `12345${++fetched}`, { fresh: true });
    assert.equal(placeholder, '{{secret:totp_code}}');
    assert.equal(vault.redact('nothing yet'), 'nothing yet');
    assert.ok(vault.hasPlaceholder('{{ SECRET:TOTP_CODE }}') && vault.hasPlaceholder('{{secret:totp_code}}'), 'no state kept between checks');
    assert.equal(await vault.fill('code: {{ secret:TOTP_CODE }}', signal), 'code: 123451');
    assert.equal(await vault.fill('{{secret:totp_code}}', signal), '123452', 'one-time codes are fetched fresh');
    assert.equal(vault.redact('value="123451" and 123452'), 'value="{{secret:totp_code}}" and {{secret:totp_code}}');
    assert.deepEqual(vault.redactValue({ a: ['x123452y'] }), { a: ['x{{secret:totp_code}}y'] });
    vault.addValue('password', 'the password', 'hunter22');
    assert.equal(vault.redact('pw hunter22'), 'pw {{secret:password}}');
    await assert.rejects(vault.fill('{{secret:nope}}', signal), SecretUnavailable);
  });
});

describe('LoopGuard', () => {
  it('trips on the same action on the same page state, ignoring reasoning', () => {
    const guard = new LoopGuard(3);
    const click = { action_type: 'click' as const, element_id: 'e1' };
    guard.record('s1', [{ ...click, reasoning: 'a' }]);
    guard.record('s1', [{ ...click, reasoning: 'b' }]);
    assert.equal(guard.wouldLoop('s2', [click]), undefined, 'another page state is not a loop');
    assert.deepEqual(guard.repeated('s1', [click]), [click]);
    assert.equal(guard.wouldLoop('s1', [click])?.times, 3);
    guard.record('s1', [{ action_type: 'complete', data: 1 }, { action_type: 'complete', data: 2 }]);
    assert.equal(guard.wouldLoop('s1', [{ action_type: 'complete', data: 3 }])?.times, 3, 'rejected completes count whatever data they claim');
  });
});
