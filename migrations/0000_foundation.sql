CREATE TABLE "api_keys" (
	"api_key_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_encrypted" text NOT NULL,
	"valid" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (6) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "artifacts" (
	"artifact_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"run_id" text NOT NULL,
	"step_id" text,
	"block_run_id" text,
	"artifact_type" text NOT NULL,
	"uri" text NOT NULL,
	"file_size" integer,
	"checksum" text,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"organization_id" text PRIMARY KEY NOT NULL,
	"organization_name" text NOT NULL,
	"max_concurrent_runs" integer,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"run_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"run_type" text NOT NULL,
	"status" text NOT NULL,
	"title" text,
	"request" jsonb NOT NULL,
	"output" jsonb,
	"failure_reason" text,
	"errors" jsonb,
	"step_count" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_steps" integer,
	"max_elapsed_minutes" integer,
	"webhook_url" text,
	"webhook_failure_reason" text,
	"workflow_id" text,
	"workflow_permanent_id" text,
	"parent_run_id" text,
	"schedule_id" text,
	"trigger_type" text,
	"browser_session_id" text,
	"browser_profile_id" text,
	"user_agent" text,
	"lease_expires_at" timestamp (6),
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	"queued_at" timestamp (6),
	"started_at" timestamp (6),
	"finished_at" timestamp (6)
);
--> statement-breakpoint
CREATE TABLE "server_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "steps" (
	"step_id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"block_run_id" text,
	"order" integer NOT NULL,
	"retry_index" integer DEFAULT 0 NOT NULL,
	"status" text NOT NULL,
	"output" jsonb,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_organizations_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_organization_id_organizations_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "steps" ADD CONSTRAINT "steps_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_idx" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "artifacts_run_idx" ON "artifacts" USING btree ("run_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_org_created_idx" ON "runs" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_active_idx" ON "runs" USING btree ("status","modified_at") WHERE status in ('created','queued','running','paused');--> statement-breakpoint
CREATE INDEX "runs_wpid_idx" ON "runs" USING btree ("workflow_permanent_id","created_at");--> statement-breakpoint
CREATE INDEX "steps_run_idx" ON "steps" USING btree ("run_id","order");