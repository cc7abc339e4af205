import { AuthError, NotFoundError } from '../domain/errors.ts';
import { signArtifactQuery, verifyArtifactQuery } from '../artifacts/signing.ts';
import { storedFileName } from '../artifacts/uri.ts';
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

/** The name a user sees for a stored artifact: recorder keys are `<time>_<artifact id>_<type>_<name>` (run-recorder). */
export function artifactFileName(a: Pick<ArtifactRow, 'uri' | 'artifactType'>): string {
  return storedFileName(a.uri).replace(new RegExp(`^\\d+_[a-z]+_\\d+_${a.artifactType.replace(/[^a-z_]/g, '')}_`), '');
}

export interface RunMedia {
  screenshotUrls: string[];
  recordingUrl: string | null;
  downloadedFiles: { url: string; filename: string | null; file_size: number | null; artifact_id: string; modified_at: string | null }[];
}

export function artifactsService(deps: Pick<ServiceDeps, 'repos' | 'config' | 'serverSecret' | 'artifactStore'>) {
  const repo = deps.repos.artifacts;

  function ttlOf(a: ArtifactRow): number {
    const media = a.artifactType.startsWith('screenshot') || a.artifactType === 'recording';
    return media ? Math.min(deps.config.artifactUrlTtlSeconds, MEDIA_TTL_CAP_SECONDS) : deps.config.artifactUrlTtlSeconds;
  }

  /** The API's own link (`/v1/artifacts/{id}/content`, HMAC-signed): what the run viewer embeds (its CSP allows only itself). */
  function signedUrl(a: ArtifactRow): string {
    const q = signArtifactQuery(deps.serverSecret, a.artifactId, ttlOf(a));
    return `${deps.config.baseUrl}/v1/artifacts/${a.artifactId}/content?expiry=${q.expiry}&kid=${q.kid}&sig=${q.sig}`;
  }

  /** The link API responses carry: the signed API link, or with ARTIFACT_URL_MODE=presigned a presigned S3 GET with the same lifetime. */
  async function responseUrl(a: ArtifactRow): Promise<string> {
    const store = deps.artifactStore;
    if (deps.config.artifactUrlMode !== 'presigned' || !store.presignedUrl) return signedUrl(a);
    const name = artifactFileName(a).replace(/["\\\r\n]/g, '_');
    const disposition = a.artifactType === 'download'
      ? `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}` : 'inline';
    // S3 refuses presigned lifetimes over 7 days.
    const url = await store.presignedUrl(a.uri, Math.min(ttlOf(a), 7 * 24 * 3600), { contentType: contentTypeOf(a.artifactType), contentDisposition: disposition });
    return url ?? signedUrl(a); // artifacts kept in a local folder before a move to S3
  }

  return {
    signedUrl,
    responseUrl,

    async listForRun(organizationId: string, runId: string, types?: string[]) {
      return repo.listForRun(organizationId, runId, types);
    },

    /** Screenshots newest first (at most 3), the recording, and downloaded files: what run responses show (`apiLinks`: the viewer's). */
    async runMedia(runId: string, opts: { apiLinks?: boolean } = {}): Promise<RunMedia> {
      const link = opts.apiLinks ? async (a: ArtifactRow) => signedUrl(a) : responseUrl;
      const [shots, recordings, downloads] = await Promise.all([
        repo.latestOfTypes(runId, SCREENSHOT_TYPES, 3),
        repo.latestOfTypes(runId, ['recording'], 1),
        repo.latestOfTypes(runId, ['download'], 100),
      ]);
      return {
        screenshotUrls: await Promise.all(shots.map(link)),
        recordingUrl: recordings[0] ? await link(recordings[0]) : null,
        downloadedFiles: await Promise.all(downloads.reverse().map(async (d) => ({
          url: await link(d), filename: artifactFileName(d), file_size: d.fileSize, artifact_id: d.artifactId,
          modified_at: d.modifiedAt.toISOString().replace('Z', '000'),
        }))),
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
