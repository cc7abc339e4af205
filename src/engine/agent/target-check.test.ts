import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PageScan, ScannedElement } from '../../browser/index.ts';
import { checkTarget } from './target-check.ts';
import { SubmissionLog } from './submissions.ts';

const el = (id: string, tag: string, text: string, extra: Partial<ScannedElement> = {}): ScannedElement => ({
  id, frameId: 'main', order: Number(id.slice(1)), tag, text, state: {}, inViewport: true, box: { x: 0, y: 0, width: 10, height: 10 }, ...extra,
});
const scan = (elements: ScannedElement[], text: PageScan['text'] = []): PageScan => ({
  url: 'http://127.0.0.1/x.html', title: 'x', elements, text, frames: [{ frameId: 'main', url: 'http://127.0.0.1/x.html' }],
  scroll: { x: 0, y: 0, scrollHeight: 100, viewportWidth: 100, viewportHeight: 100 }, truncated: false,
} as PageScan);

describe('checkTarget', () => {
  const seen = scan([el('e1', 'input', '', { label: 'City' }), el('e2', 'li', 'San Diego', { role: 'option' }), el('e3', 'li', 'San Jose', { role: 'option' })]);

  it('keeps an element that is still the same', () => {
    assert.deepEqual(checkTarget(seen, seen, 'e3'), { ok: true, id: 'e3' });
  });

  it('follows a list that re-rendered to the equivalent element in the same place', () => {
    const now = scan([el('e1', 'input', '', { label: 'City' }), el('e7', 'li', 'San Diego', { role: 'option' }), el('e8', 'li', 'San Jose', { role: 'option' })]);
    assert.deepEqual(checkTarget(seen, now, 'e3'), { ok: true, id: 'e8', replaced: true });
  });

  it('picks by place among equal elements', () => {
    const twice = scan([el('e1', 'button', 'Add'), el('e2', 'button', 'Add')]);
    const rerendered = scan([el('e5', 'button', 'Add'), el('e6', 'button', 'Add')]);
    assert.deepEqual(checkTarget(twice, rerendered, 'e2'), { ok: true, id: 'e6', replaced: true });
  });

  it('refuses an element that is gone or became something else', () => {
    const gone = checkTarget(seen, scan([el('e1', 'input', '', { label: 'City' })]), 'e2');
    assert.equal(gone.ok, false);
    assert.match(gone.ok ? '' : gone.why, /e2 .*option "San Diego".* no longer on the page/);
    const busy = checkTarget(scan([el('e4', 'button', 'Place order')]), scan([el('e4', 'button', 'Placing order…')]), 'e4');
    assert.match(busy.ok ? '' : busy.why, /changed while you were deciding .*Placing order…/);
  });
});

describe('SubmissionLog', () => {
  const sent = (status: number) => [{ method: 'POST', target: '/api/hold', origin: 'http://127.0.0.1', status, seq: 1 }];
  const key = SubmissionLog.keyFor('http://127.0.0.1/book.html?x=1', 'main|button||Hold');

  it('refuses to send again what the server accepted while the page shows no error', () => {
    const log = new SubmissionLog();
    log.record(key, sent(201), false);
    assert.match(log.refusal(key, scan([], [{ frameId: 'main', order: 1, kind: 'alert', text: 'Seat 12A held' }]))!, /already sent \(POST \/api\/hold → 201\)/);
  });

  it('lets it go again after a rejection, or when the page shows an error', () => {
    const rejected = new SubmissionLog();
    rejected.record(key, sent(422), false);
    assert.equal(rejected.refusal(key, scan([])), undefined);
    const log = new SubmissionLog();
    log.record(key, sent(200), false);
    assert.equal(log.refusal(key, scan([], [{ frameId: 'main', order: 1, kind: 'alert', text: 'Please correct the errors below.' }])), undefined);
    assert.equal(log.refusal(SubmissionLog.keyFor('http://127.0.0.1/other.html', 'main|button||Hold'), scan([])), undefined);
  });
});
