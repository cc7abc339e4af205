CREATE TABLE "script_revisions" (
	"script_revision_id" text PRIMARY KEY NOT NULL,
	"script_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"version" integer NOT NULL,
	"run_id" text,
	"files" jsonb NOT NULL,
	"blocks" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	"deleted_at" timestamp (6)
);
--> statement-breakpoint
CREATE TABLE "scripts" (
	"script_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"workflow_permanent_id" text,
	"cache_key" text,
	"cache_key_value" text,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	"deleted_at" timestamp (6)
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "script_run" jsonb;--> statement-breakpoint
ALTER TABLE "script_revisions" ADD CONSTRAINT "script_revisions_script_id_scripts_script_id_fk" FOREIGN KEY ("script_id") REFERENCES "public"."scripts"("script_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scripts" ADD CONSTRAINT "scripts_organization_id_organizations_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "script_revisions_script_version_idx" ON "script_revisions" USING btree ("script_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "scripts_workflow_key_idx" ON "scripts" USING btree ("organization_id","workflow_permanent_id","cache_key_value") WHERE deleted_at is null and workflow_permanent_id is not null;--> statement-breakpoint
CREATE INDEX "scripts_org_created_idx" ON "scripts" USING btree ("organization_id","created_at") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "runs_script_idx" ON "runs" USING btree ((script_run->>'script_id'),"created_at") WHERE script_run is not null;