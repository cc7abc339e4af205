import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pickOptionIndex } from './select-option.ts';
import { normalizeKey } from './simple.ts';
import { toIsoDate, toIsoTime, toNativeInputValue } from './dates.ts';
import { isBrowserAction } from './types.ts';

describe('pickOptionIndex', () => {
  const options = [
    { label: 'Choose…', value: '' },
    { label: 'United States', value: 'US' },
    { label: 'United Kingdom', value: 'GB' },
  ];
  test('prefers exact labels, then values, then partial labels, then index', () => {
    assert.equal(pickOptionIndex(options, { label: 'united kingdom' }), 2);
    assert.equal(pickOptionIndex(options, { value: 'US' }), 1);
    assert.equal(pickOptionIndex(options, { value: 'united states' }), 1);
    assert.equal(pickOptionIndex(options, { label: 'Kingdom' }), 2);
    assert.equal(pickOptionIndex(options, { index: 1 }), 1);
    assert.equal(pickOptionIndex(options, { label: 'United States', index: 2 }), 1);
    assert.equal(pickOptionIndex(options, { label: 'France' }), -1);
    assert.equal(pickOptionIndex(options, { index: 9 }), -1);
  });
});

describe('normalizeKey', () => {
  test('maps common spellings to Playwright key names', () => {
    assert.equal(normalizeKey('enter'), 'Enter');
    assert.equal(normalizeKey('ctrl+a'), 'Control+a');
    assert.equal(normalizeKey('Shift + Tab'), 'Shift+Tab');
    assert.equal(normalizeKey('f5'), 'F5');
    assert.equal(normalizeKey('ArrowDown'), 'ArrowDown');
    assert.equal(normalizeKey('x'), 'x');
  });
});

describe('dates', () => {
  test('converts human dates to the formats native inputs accept', () => {
    assert.equal(toIsoDate('2024-5-1'), '2024-05-01');
    assert.equal(toIsoDate('05/01/2024'), '2024-05-01');
    assert.equal(toIsoDate('25.12.2024'), '2024-12-25');
    assert.equal(toIsoDate('March 3, 2025'), '2025-03-03');
    assert.equal(toIsoDate('next tuesday'), 'next tuesday');
    assert.equal(toIsoTime('3:05 pm'), '15:05');
    assert.equal(toIsoTime('12:30 AM'), '00:30');
    assert.equal(toNativeInputValue('datetime-local', '2024-05-01 9:30'), '2024-05-01T09:30');
    assert.equal(toNativeInputValue('month', '2024/7'), '2024-07');
  });
});

describe('isBrowserAction', () => {
  test('accepts well-formed actions (extra fields allowed) and rejects others', () => {
    assert.equal(isBrowserAction({ action_type: 'click', element_id: 'e1', confidence_float: 0.9 }), true);
    assert.equal(isBrowserAction({ action_type: 'select_option', element_id: 'e2', option: { label: 'Canada' } }), true);
    assert.equal(isBrowserAction({ action_type: 'keypress', keys: [] }), false);
    assert.equal(isBrowserAction({ action_type: 'input_text', element_id: 'e1' }), false);
    assert.equal(isBrowserAction({ action_type: 'complete' }), false);
  });
});
