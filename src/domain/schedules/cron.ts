// Cron rules of workflow schedules: which expressions are accepted and when they fire.
// Fire times are computed here and nowhere else: the BullMQ clock asks this module for the next
// slot (its repeat strategy), so the clock, `next_runs` and the fire job can never disagree.
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import type { ValidationIssue } from '../errors.ts';

export interface CronRules {
  /** Fewest seconds allowed between two consecutive fires (Skyvern: 300). */
  minIntervalSeconds: number;
  /** Test-only: accept a leading seconds field (6 fields) so a schedule can fire within seconds. */
  allowSeconds: boolean;
}

const DAY_SECONDS = 86_400;

/** True for IANA names the runtime knows ("Europe/Paris", "UTC"); fixed offsets like "+02:00" are not zone names. */
export function isIanaTimezone(tz: string): boolean {
  if (!tz || /^[+-]/.test(tz) || /^(GMT|UTC)[+-]/i.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch { return false; }
}

function parse(expression: string, tz: string, currentDate: Date): CronExpression {
  return CronExpressionParser.parse(expression.trim().split(/\s+/).join(' '), { tz, currentDate });
}

function fieldCount(expression: string): number {
  return expression.trim().split(/\s+/).filter(Boolean).length;
}

/**
 * Shortest gap between fires within a day, from the second/minute/hour fields. The wrap from the
 * last fire of a day to the first of the next counts too, even when the day fields make those two
 * days never adjacent: refusing a rare valid expression beats accepting a too-frequent one.
 */
function shortestWallClockGap(expr: CronExpression, atLeast: number): number {
  const { second, minute, hour } = expr.fields;
  let first: number | undefined;
  let prev: number | undefined;
  let shortest = Infinity;
  for (const h of hour.values) for (const m of minute.values) for (const s of second.values) {
    const t = Number(h) * 3600 + Number(m) * 60 + Number(s);
    if (prev !== undefined) shortest = Math.min(shortest, t - prev);
    if (shortest < atLeast) return shortest; // stop early: an every-second expression would list 86 400 times
    first ??= t;
    prev = t;
  }
  if (first !== undefined && prev !== undefined) shortest = Math.min(shortest, first + DAY_SECONDS - prev);
  return shortest;
}

function offsetReader(tz: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
  return (at) => format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/**
 * Shortest real gap across the timezone's clock changes of the coming year: skipping an hour in
 * spring can bring 01:59 and 03:00 one minute apart, which the wall-clock check cannot see.
 */
function shortestGapAroundClockChanges(expression: string, tz: string, from: Date, atLeast: number): number {
  const utcOffset = offsetReader(tz);
  let shortest = Infinity;
  let prevOffset = utcOffset(from);
  for (let day = 1; day <= 366; day++) {
    const at = new Date(from.getTime() + day * DAY_SECONDS * 1000);
    const offset = utcOffset(at);
    if (offset === prevOffset) continue;
    prevOffset = offset;
    const it = parse(expression, tz, new Date(at.getTime() - 2 * DAY_SECONDS * 1000));
    let prev = it.next().getTime();
    for (let i = 0; i < 2000; i++) {
      const next = it.next().getTime();
      shortest = Math.min(shortest, (next - prev) / 1000);
      if (shortest < atLeast || next > at.getTime() + DAY_SECONDS * 1000) break;
      prev = next;
    }
    if (shortest < atLeast) return shortest;
  }
  return shortest;
}

/** Problems with a schedule's cron expression and timezone, each naming its field. */
export function validateCron(expression: string, tz: string, rules: CronRules, now = new Date()): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const tzOk = isIanaTimezone(tz);
  if (!tzOk) issues.push({ loc: ['body', 'timezone'], msg: `Invalid timezone '${tz}': use an IANA name such as 'America/New_York' or 'UTC'`, type: 'value_error' });
  const allowed = rules.allowSeconds ? [5, 6] : [5];
  const fields = fieldCount(expression);
  const cronIssue = (msg: string) => issues.push({ loc: ['body', 'cron_expression'], msg, type: 'value_error' });
  if (!allowed.includes(fields)) {
    cronIssue(`Invalid cron expression: expected 5 fields (minute hour day-of-month month day-of-week), got ${fields}`);
    return issues;
  }
  let expr: CronExpression;
  try {
    expr = parse(expression, tzOk ? tz : 'UTC', now);
    expr.next();
  } catch (err) {
    cronIssue(`Invalid cron expression: ${(err as Error).message}`);
    return issues;
  }
  const min = rules.minIntervalSeconds;
  const tooFrequent = shortestWallClockGap(expr, min) < min
    || (tzOk && shortestGapAroundClockChanges(expression, tz, now, min) < min);
  if (tooFrequent) cronIssue(`Cron interval must be at least ${describeSeconds(min)}`);
  return issues;
}

function describeSeconds(s: number): string {
  return s % 60 === 0 ? `${s / 60} minute${s === 60 ? '' : 's'}` : `${s} second${s === 1 ? '' : 's'}`;
}

/** The next `count` fire times strictly after `after` (UTC instants). */
export function nextFireTimes(expression: string, tz: string, after: Date, count: number): Date[] {
  const it = parse(expression, tz, after);
  return Array.from({ length: count }, () => it.next().toDate());
}

/** First fire time strictly after `after`, as epoch ms (what the BullMQ clock needs). */
export function nextFireMillis(expression: string, tz: string, after: number): number {
  return parse(expression, tz, new Date(after)).next().getTime();
}

/** Latest fire time at or before `at`, if any. */
export function latestFireAtOrBefore(expression: string, tz: string, at: Date): Date | undefined {
  try {
    return parse(expression, tz, new Date(at.getTime() + 1)).prev().toDate();
  } catch { return undefined; }
}

/** True when `at` is exactly one of the expression's fire times. */
export function isFireTime(expression: string, tz: string, at: Date): boolean {
  return latestFireAtOrBefore(expression, tz, at)?.getTime() === at.getTime();
}
