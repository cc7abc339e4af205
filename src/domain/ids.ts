import { randomInt } from 'node:crypto';

// Skyvern's IDs are `<prefix>_<int64>` where the int64 is time-ordered. We keep the shape
// (users parse and sort them) with: ms since 2022-06-20 (Skyvern's epoch) << 22 | random 22 bits.
const EPOCH_MS = 1655683200000n;
let lastMs = 0n;
let seq = 0n;

export function generateId(prefix: string): string {
  let ms = BigInt(Date.now()) - EPOCH_MS;
  if (ms <= lastMs) { ms = lastMs; seq = (seq + 1n) & 0x3fn; if (seq === 0n) ms = ++lastMs; }
  else { seq = 0n; }
  lastMs = ms;
  // 6 sequence bits keep IDs from one process strictly increasing; 16 random bits separate processes.
  const value = (ms << 22n) | (seq << 16n) | BigInt(randomInt(0, 1 << 16));
  return `${prefix}_${value.toString()}`;
}

export const ID_PREFIX = {
  organization: 'o',
  apiKey: 'oat',
  task: 'tsk',
  taskV2: 'tsk_v2',
  step: 'stp',
  action: 'act',
  artifact: 'a',
  workflow: 'w',
  workflowPermanent: 'wpid',
  workflowRun: 'wr',
  workflowRunBlock: 'wrb',
  workflowParameter: 'wp',
  outputParameter: 'op',
  schedule: 'wfs',
  webhookDelivery: 'whd',
  browserSession: 'pbs',
  browserProfile: 'bp',
  credential: 'cred',
  totp: 'totp',
  runTagEvent: 'rtge',
  script: 's',
  scriptRevision: 'sr',
} as const;
