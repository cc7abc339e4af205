import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorDetail, RunIdParams } from '../../../contracts/common.ts';
import { Artifact, ArtifactContentQuery, ArtifactIdParams, RunArtifactsQuery } from '../../../contracts/artifacts.ts';
import { AuthError } from '../../../domain/errors.ts';
import { presentArtifact } from '../../../services/presenters/artifact.presenter.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../define.ts';
import { parseRange } from '../range.ts';

export function artifactsRoutes(app: FastifyInstance, services: AppServices): void {
  defineRoute(app, {
    method: 'GET', url: '/v1/runs/:run_id/artifacts', operationId: 'get_run_artifacts_v1_runs__run_id__artifacts_get', tags: ['Artifacts'],
    summary: 'Get artifacts for a run',
    schema: { params: RunIdParams, querystring: RunArtifactsQuery, response: { 200: Type.Array(Artifact) } },
    handler: async (req) => {
      const run = await services.runs.getRun(req.organizationId, req.params.run_id).catch(() => undefined);
      if (!run) return []; // Skyvern answers an unknown run with an empty list, not 404.
      const rows = await services.artifacts.listForRun(req.organizationId, run.runId, (req.query as { artifact_type?: string[] }).artifact_type);
      return Promise.all(rows.map(async (a) => presentArtifact(a, await services.artifacts.responseUrl(a), run.runType)));
    },
  });

  // Authenticated by API key, or by a signed query so links in run responses open anywhere.
  defineRoute(app, {
    method: 'GET', url: '/v1/artifacts/:artifact_id/content', operationId: 'get_artifact_content_v1_artifacts__artifact_id__content_get',
    tags: ['Artifacts'], summary: 'Get artifact content', public: true,
    schema: { params: ArtifactIdParams, querystring: ArtifactContentQuery, response: { 403: ErrorDetail, 404: ErrorDetail } },
    handler: async (req, reply) => {
      const q = req.query as { expiry?: string; kid?: string; sig?: string };
      const key = req.headers['x-api-key'] as string | undefined;
      let organizationId: string | undefined;
      if (!q.sig) {
        if (!key) throw new AuthError('Invalid credentials');
        organizationId = (await services.organizations.authenticate(key)).organizationId;
      }
      const { artifact, size, contentType, signed } = await services.artifacts.resolveForContent(req.params.artifact_id, { organizationId, signed: q });
      reply.header('content-type', contentType).header('x-content-type-options', 'nosniff').header('accept-ranges', 'bytes')
        .header('content-disposition', artifact.artifactType === 'download' ? 'attachment' : 'inline')
        .header('cache-control', signed ? `private, max-age=${Math.max(0, Number(q.expiry) - Math.floor(Date.now() / 1000))}` : 'private, no-cache');
      const range = parseRange(req.headers.range, size);
      if (range === 'unsatisfiable') return reply.status(416).header('content-range', `bytes */${size}`).send();
      if (range) {
        reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', range.end - range.start + 1);
        return reply.send(await services.artifacts.open(artifact.uri, range));
      }
      reply.header('content-length', size);
      return reply.send(await services.artifacts.open(artifact.uri));
    },
  });
}
