CREATE TABLE "workflow_browser_states" (
	"organization_id" text NOT NULL,
	"workflow_permanent_id" text NOT NULL,
	"storage_state" jsonb NOT NULL,
	"run_id" text,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_browser_states_organization_id_workflow_permanent_id_pk" PRIMARY KEY("organization_id","workflow_permanent_id")
);
--> statement-breakpoint
CREATE TABLE "workflow_run_blocks" (
	"workflow_run_block_id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"parent_block_run_id" text,
	"block_type" text NOT NULL,
	"label" text NOT NULL,
	"status" text NOT NULL,
	"output" jsonb,
	"continue_on_failure" boolean DEFAULT false NOT NULL,
	"failure_reason" text,
	"task_id" text,
	"loop_values" jsonb,
	"current_value" text,
	"current_index" integer,
	"details" jsonb,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	"finished_at" timestamp (6)
);
--> statement-breakpoint
CREATE TABLE "workflows" (
	"workflow_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"workflow_permanent_id" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"is_saved_task" boolean DEFAULT false NOT NULL,
	"is_template" boolean DEFAULT false NOT NULL,
	"folder_id" text,
	"request" jsonb NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	"deleted_at" timestamp (6)
);
--> statement-breakpoint
ALTER TABLE "workflow_run_blocks" ADD CONSTRAINT "workflow_run_blocks_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_organization_id_organizations_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workflow_run_blocks_run_idx" ON "workflow_run_blocks" USING btree ("run_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "workflows_wpid_version_idx" ON "workflows" USING btree ("workflow_permanent_id","version");--> statement-breakpoint
CREATE INDEX "workflows_org_created_idx" ON "workflows" USING btree ("organization_id","created_at");