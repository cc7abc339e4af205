// Shapes the run viewer's pages are drawn from (services/viewer → src/ui).
import type { RunRow } from '../../db/repositories/runs.repo.ts';
import type { StepRow } from '../../db/repositories/steps.repo.ts';
import type { WorkflowRunBlockRow } from '../../db/repositories/workflow-run-blocks.repo.ts';
import type { RunMedia } from '../artifacts.service.ts';
import type { WebhookDelivery } from '../../contracts/webhooks.ts';

export interface RunListFilters {
  status?: string;
  type?: string;
  workflow?: string;
  tag?: string;
  /** Run ID or title fragment. */
  search?: string;
  from?: Date;
  before?: Date;
  page: number;
}

export interface RunListPage { runs: RunRow[]; hasMore: boolean }

export interface StepArtifact { artifactId: string; type: string; url: string; createdAt: Date }

export interface RunDetail {
  run: RunRow;
  steps: Array<{ step: StepRow; artifacts: StepArtifact[] }>;
  blocks: WorkflowRunBlockRow[];
  /** Artifacts of the run itself (final screenshot, recording, downloads). */
  runArtifacts: StepArtifact[];
  deliveries: WebhookDelivery[];
  media: RunMedia;
}
