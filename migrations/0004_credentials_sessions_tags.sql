CREATE TABLE "credentials" (
	"credential_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"name" text NOT NULL,
	"credential_type" text NOT NULL,
	"vault_type" text DEFAULT 'skyvern' NOT NULL,
	"secret_sealed" text NOT NULL,
	"public_info" jsonb NOT NULL,
	"settings" jsonb NOT NULL,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	"deleted_at" timestamp (6)
);
--> statement-breakpoint
CREATE TABLE "totp_codes" (
	"totp_code_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"totp_identifier" text NOT NULL,
	"content" text NOT NULL,
	"code" text NOT NULL,
	"otp_type" text,
	"task_id" text,
	"workflow_id" text,
	"workflow_run_id" text,
	"source" text,
	"expired_at" timestamp (6),
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "browser_profiles" (
	"browser_profile_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"state" jsonb,
	"source_browser_session_id" text,
	"source_workflow_run_id" text,
	"settings" jsonb NOT NULL,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	"deleted_at" timestamp (6)
);
--> statement-breakpoint
CREATE TABLE "browser_sessions" (
	"browser_session_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"status" text NOT NULL,
	"timeout_minutes" integer NOT NULL,
	"browser_address" text,
	"runnable_type" text,
	"runnable_id" text,
	"browser_profile_id" text,
	"generate_browser_profile" boolean DEFAULT false NOT NULL,
	"request" jsonb NOT NULL,
	"lease_expires_at" timestamp (6),
	"started_at" timestamp (6),
	"completed_at" timestamp (6),
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	"deleted_at" timestamp (6)
);
--> statement-breakpoint
CREATE TABLE "run_tag_events" (
	"tag_event_id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"key" text,
	"value" text NOT NULL,
	"event_type" text NOT NULL,
	"source" text NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp (6) DEFAULT now() NOT NULL,
	"superseded_at" timestamp (6)
);
--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_organization_id_organizations_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "totp_codes" ADD CONSTRAINT "totp_codes_organization_id_organizations_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "browser_profiles" ADD CONSTRAINT "browser_profiles_organization_id_organizations_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "browser_sessions" ADD CONSTRAINT "browser_sessions_organization_id_organizations_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_tag_events" ADD CONSTRAINT "run_tag_events_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credentials_org_created_idx" ON "credentials" USING btree ("organization_id","created_at") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "totp_codes_lookup_idx" ON "totp_codes" USING btree ("organization_id","totp_identifier","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "browser_profiles_org_name_idx" ON "browser_profiles" USING btree ("organization_id","name") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "browser_sessions_org_created_idx" ON "browser_sessions" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "run_tag_events_run_idx" ON "run_tag_events" USING btree ("run_id","set_at");--> statement-breakpoint
CREATE INDEX "run_tag_events_current_idx" ON "run_tag_events" USING btree ("organization_id","key","value") WHERE event_type = 'set' and superseded_at is null;