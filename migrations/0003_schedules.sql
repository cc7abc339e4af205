CREATE TABLE "workflow_schedules" (
	"workflow_schedule_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"workflow_permanent_id" text NOT NULL,
	"cron_expression" text NOT NULL,
	"timezone" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"parameters" jsonb,
	"name" text,
	"description" text,
	"fire_from" timestamp (6) DEFAULT now() NOT NULL,
	"last_fired_slot_at" timestamp (6),
	"last_run_id" text,
	"created_at" timestamp (6) DEFAULT now() NOT NULL,
	"modified_at" timestamp (6) DEFAULT now() NOT NULL,
	"deleted_at" timestamp (6)
);
--> statement-breakpoint
ALTER TABLE "workflow_schedules" ADD CONSTRAINT "workflow_schedules_organization_id_organizations_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workflow_schedules_org_wpid_idx" ON "workflow_schedules" USING btree ("organization_id","workflow_permanent_id","created_at") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "workflow_schedules_org_created_idx" ON "workflow_schedules" USING btree ("organization_id","created_at") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "workflow_schedules_enabled_idx" ON "workflow_schedules" USING btree ("workflow_schedule_id") WHERE enabled and deleted_at is null;