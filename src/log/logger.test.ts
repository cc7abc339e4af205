import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from './logger.ts';

describe('logger', () => {
  it('redacts API keys, auth headers, passwords and CDP headers, and keeps bound run IDs', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(chunk.toString()); cb(); } });
    const log = createLogger('info', 'test', sink).child({ run_id: 'tsk_1' });
    log.info({ headers: { 'x-api-key': 'sk_live_secret', authorization: 'Bearer tok' }, password: 'hunter2',
      request: { cdp_connect_headers: { token: 'cdp-secret' } }, apiKey: 'sk_other' }, 'request');
    const out = lines.join('');
    for (const secret of ['sk_live_secret', 'Bearer tok', 'hunter2', 'cdp-secret', 'sk_other']) assert.ok(!out.includes(secret), `${secret} leaked`);
    const entry = JSON.parse(lines[0]);
    assert.equal(entry.run_id, 'tsk_1');
    assert.equal(entry.msg, 'request');
    assert.equal(entry.password, '[redacted]');
  });
});
