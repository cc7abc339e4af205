// Skyvern's TaskOutput: what every task-family block (and goto_url) records as `<label>_output`,
// so templates such as `{{ step_output.extracted_information }}` read the same whichever block ran.
export interface TaskOutputFields {
  taskId: string | null;
  status: string;
  extractedInformation?: unknown;
  failureReason: string | null;
  errors?: unknown[];
  failureCategory?: unknown;
}

export function taskOutput(f: TaskOutputFields): Record<string, unknown> {
  return {
    task_id: f.taskId,
    status: f.status,
    extracted_information: f.extractedInformation ?? null,
    failure_reason: f.failureReason,
    errors: f.errors ?? [],
    failure_category: f.failureCategory ?? null,
    downloaded_files: [],
    downloaded_file_urls: [],
    downloaded_file_artifact_ids: [],
    task_screenshots: [],
    workflow_screenshots: [],
    task_screenshot_artifact_ids: [],
    workflow_screenshot_artifact_ids: [],
  };
}
