// Stored credentials (Skyvern's own vault: secrets sealed with the server secret) and one-time
// codes pushed for `totp_identifier` runs through POST /v1/credentials/totp.
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations } from '../schema.ts';

const ts = (name: string) => timestamp(name, { precision: 6, mode: 'date' });

export const credentials = pgTable('credentials', {
  /** `cred_…`: what workflow parameters and runs name. */
  credentialId: text('credential_id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.organizationId),
  name: text('name').notNull(),
  /** `password` | `credit_card` | `secret`. */
  credentialType: text('credential_type').notNull(),
  vaultType: text('vault_type').notNull().default('skyvern'),
  /** The secret part of the request (password, card number, TOTP seed…), AES-GCM sealed; never returned. */
  secretSealed: text('secret_sealed').notNull(),
  /** What responses may show (username, last four digits, label…). */
  publicInfo: jsonb('public_info').notNull(),
  /** The request's non-secret settings (browser_profile_id, proxy_location, tested_url…). */
  settings: jsonb('settings').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
}, (t) => [index('credentials_org_created_idx').on(t.organizationId, t.createdAt).where(sql`deleted_at is null`)]);

export const totpCodes = pgTable('totp_codes', {
  /** `totp_…`. */
  totpCodeId: text('totp_code_id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.organizationId),
  totpIdentifier: text('totp_identifier').notNull(),
  content: text('content').notNull(),
  /** The code (or magic link) found in `content`; empty while only raw content is stored. */
  code: text('code').notNull(),
  /** `totp` | `magic_link`. */
  otpType: text('otp_type'),
  taskId: text('task_id'),
  workflowId: text('workflow_id'),
  workflowRunId: text('workflow_run_id'),
  source: text('source'),
  expiredAt: ts('expired_at'),
  /** Set when a run typed (or opened) this code: each pushed code serves one run once. */
  usedAt: ts('used_at'),
  usedByRunId: text('used_by_run_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
}, (t) => [index('totp_codes_lookup_idx').on(t.organizationId, t.totpIdentifier, t.createdAt)]);
