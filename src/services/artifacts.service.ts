import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthError, NotFoundError } from '../domain/errors.ts';
import { signArtifactQuery, verifyArtifactQuery } from '../artifacts/signing.ts';
import type { ArtifactRow } from '../db/repositories/artifacts.repo.ts';
import type { ServiceDeps } from './deps.ts';

const SCREENSHOT_TYPES = ['screenshot_action', 'screenshot_final'];
// Screenshots and recordings carry page contents: their links live an hour at most.
const MEDIA_TTL_CAP_SECONDS = 3600;

export const CONTENT_TYPES: Record<string, string> = {
  recording: 'video/webm', audio: 'audio/webm', session_replay: 'video/mp4', download: 'application/octet-stream',
  html: 'text/html; charset=utf-8', html_scrape: 'text/html; charset=utf-8', html_action: 'text/html; charset=utf-8',
  llm_prompt: 'text/plain; charset=utf-8', visible_elements_tree_in_prompt: 'text/plain; charset=utf-8',
  browser_console_log: 'text/plain; charset=utf-8', skyvern_log: 'text/plain; charset=utf-8', pdf: 'application/pdf',
};

export function contentTypeOf(artifactType: string): string {
  if (artifactType.startsWith('screenshot')) return 'image/png';
  return CONTENT_TYPES[artifactType] ?? 'application/json';
}

export interface RunMedia {
  screenshotUrls: string[];
  recordingUrl: string | null;
  downloadedFiles: { url: string; filename: string | null; file_size: number | null; artifact_id: string; modified_at: string | null }[];
}

export function artifactsService(deps: Pick<ServiceDeps, 'repos' | 'config' | 'serverSecret' | 'artifactStore'>) {
  const repo = deps.repos.artifacts;

  function signedUrl(a: ArtifactRow): string {
    const media = a.artifactType.startsWith('screenshot') || a.artifactType === 'recording';
    const ttl = media ? Math.min(deps.config.artifactUrlTtlSeconds, MEDIA_TTL_CAP_SECONDS) : deps.config.artifactUrlTtlSeconds;
    const q = signArtifactQuery(deps.serverSecret, a.artifactId, ttl);
    return `${deps.config.baseUrl}/v1/artifacts/${a.artifactId}/content?expiry=${q.expiry}&kid=${q.kid}&sig=${q.sig}`;
  }

  return {
    signedUrl,

    async listForRun(organizationId: string, runId: string, types?: string[]) {
      return repo.listForRun(organizationId, runId, types);
    },

    /** Screenshots newest first (at most 3), the recording, and downloaded files: what run responses show. */
    async runMedia(runId: string): Promise<RunMedia> {
      const [shots, recordings, downloads] = await Promise.all([
        repo.latestOfTypes(runId, SCREENSHOT_TYPES, 3),
        repo.latestOfTypes(runId, ['recording'], 1),
        repo.latestOfTypes(runId, ['download'], 100),
      ]);
      return {
        screenshotUrls: shots.map(signedUrl),
        recordingUrl: recordings[0] ? signedUrl(recordings[0]) : null,
        downloadedFiles: downloads.reverse().map((d) => ({
          // Stored names are `<time>_<artifact id>_download_<name>` (run-recorder); users see the file's own name.
          url: signedUrl(d), filename: path.basename(fileURLToPath(d.uri)).replace(/^\d+_[a-z]+_\d+_download_/, ''), file_size: d.fileSize, artifact_id: d.artifactId,
          modified_at: d.modifiedAt.toISOString().replace('Z', '000'),
        })),
      };
    },

    /** Resolves an artifact for download: by the caller's organization, or by a valid signed query. */
    async resolveForContent(artifactId: string, auth: { organizationId?: string; signed?: { expiry?: string; kid?: string; sig?: string } }) {
      let artifact: ArtifactRow | undefined;
      if (auth.organizationId) artifact = await repo.get(auth.organizationId, artifactId);
      else if (auth.signed && verifyArtifactQuery(deps.serverSecret, artifactId, auth.signed)) artifact = await repo.getById(artifactId);
      else throw new AuthError('Invalid or expired artifact URL');
      if (!artifact) throw new NotFoundError(`Artifact not found ${artifactId}`);
      const size = await deps.artifactStore.stat(artifact.uri);
      if (size === undefined) throw new NotFoundError('Artifact content not available');
      return { artifact, size, contentType: contentTypeOf(artifact.artifactType), signed: !auth.organizationId };
    },

    open(uri: string, range?: { start: number; end: number }) {
      return deps.artifactStore.read(uri, range);
    },
  };
}
export type ArtifactsService = ReturnType<typeof artifactsService>;
