import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isFireTime, latestFireAtOrBefore, nextFireTimes, validateCron } from './cron.ts';
import { scheduledRunId } from './run-id.ts';

const rules = { minIntervalSeconds: 300, allowSeconds: false };
const fields = (expr: string, tz = 'UTC', r = rules) => validateCron(expr, tz, r, new Date('2026-01-10T12:00:00Z')).map((i) => i.loc.at(-1));

describe('schedule cron rules', () => {
  it('accepts five-field expressions at least five minutes apart', () => {
    for (const ok of ['*/5 * * * *', '0 9 * * 1-5', '0,30 * * * *', '15 3 1 * *', '0 0 29 2 *']) assert.deepEqual(fields(ok), [], ok);
  });

  it('refuses expressions that fire too often, naming cron_expression', () => {
    for (const bad of ['* * * * *', '*/4 * * * *', '0,3 * * * *', '*/1 0 * * *', '0,58 0,23 * * *']) assert.deepEqual(fields(bad), ['cron_expression'], bad);
    assert.match(validateCron('*/2 * * * *', 'UTC', rules)[0].msg, /at least 5 minutes/);
  });

  it('sees a gap shrunk by a clock change (01:59 then 03:00 on the spring-forward night)', () => {
    assert.deepEqual(fields('0,59 1,3 * * *', 'UTC'), []);
    assert.deepEqual(fields('0,59 1,3 * * *', 'America/New_York'), ['cron_expression']);
  });

  it('refuses malformed cron, aliases, six fields and unknown timezones', () => {
    for (const bad of ['61 * * * *', 'foo', '* * * *', '@daily', '0 0 0 * * *', '0 0 31 2 *']) assert.deepEqual(fields(bad), ['cron_expression'], bad);
    for (const tz of ['Mars/Base', '', '+02:00', 'GMT+2']) assert.deepEqual(fields('0 * * * *', tz), ['timezone'], tz);
  });

  it('allows a seconds field only when the test-only rule says so', () => {
    assert.deepEqual(fields('*/2 * * * * *', 'UTC', { minIntervalSeconds: 2, allowSeconds: true }), []);
    assert.deepEqual(fields('* * * * * *', 'UTC', { minIntervalSeconds: 2, allowSeconds: true }), ['cron_expression']);
  });

  it('computes fire times in the timezone and returns UTC instants', () => {
    const next = nextFireTimes('0 9 * * *', 'America/New_York', new Date('2026-01-10T12:00:00Z'), 2);
    assert.deepEqual(next.map((d) => d.toISOString()), ['2026-01-10T14:00:00.000Z', '2026-01-11T14:00:00.000Z']);
    const slot = new Date('2026-01-10T14:00:00Z');
    assert.equal(latestFireAtOrBefore('0 9 * * *', 'America/New_York', slot)?.toISOString(), slot.toISOString());
    assert.ok(isFireTime('0 9 * * *', 'America/New_York', slot));
    assert.ok(!isFireTime('0 9 * * *', 'UTC', slot));
  });

  it('derives one run ID per schedule and slot', () => {
    const slot = new Date('2026-01-10T14:00:00Z');
    assert.match(scheduledRunId('wfs_1', slot), /^wr_sched_[0-9a-f]{32}$/);
    assert.equal(scheduledRunId('wfs_1', slot), scheduledRunId('wfs_1', new Date(slot)));
    assert.notEqual(scheduledRunId('wfs_1', slot), scheduledRunId('wfs_2', slot));
  });
});
