ALTER TABLE "totp_codes" ADD COLUMN "used_at" timestamp (6);--> statement-breakpoint
ALTER TABLE "totp_codes" ADD COLUMN "used_by_run_id" text;