import type { FastifyInstance } from 'fastify';
import { ErrorDetail, HTTPValidationError, Nullable } from '../../../contracts/common.ts';
import {
  BrowserSessionIdParams, BrowserSessionList, BrowserSessionResponse, CloseBrowserSessionResponse, CreateBrowserSessionRequest,
  UpdateBrowserSessionRequest, type CreateBrowserSessionRequest as CreateT, type UpdateBrowserSessionRequest as UpdateT,
} from '../../../contracts/browser-sessions.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../define.ts';

const errors = { 400: ErrorDetail, 404: ErrorDetail, 409: ErrorDetail, 422: HTTPValidationError };
const tags = ['Browser Sessions'];
const BY_ID = '/v1/browser_sessions/:browser_session_id';

export function browserSessionsRoutes(app: FastifyInstance, services: AppServices): void {
  const { browserSessions } = services;

  // The SDK's create_browser_session() may send no body, or `Content-Type: application/json` with an empty one.
  defineRoute(app, {
    method: 'POST', url: '/v1/browser_sessions', operationId: 'create_browser_session_v1_browser_sessions_post', tags,
    summary: 'Create a session',
    schema: { body: Nullable(CreateBrowserSessionRequest), response: { 200: BrowserSessionResponse, ...errors } },
    handler: async (req) => browserSessions.create(req.organizationId, (req.body ?? {}) as CreateT),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/browser_sessions', operationId: 'get_browser_sessions_v1_browser_sessions_get', tags,
    summary: 'Get active browser sessions',
    schema: { response: { 200: BrowserSessionList, ...errors } },
    handler: async (req) => browserSessions.listActive(req.organizationId),
  });

  defineRoute(app, {
    method: 'GET', url: BY_ID, operationId: 'get_browser_session_v1_browser_sessions__browser_session_id__get', tags,
    summary: 'Get a session',
    schema: { params: BrowserSessionIdParams, response: { 200: BrowserSessionResponse, ...errors } },
    handler: async (req) => browserSessions.get(req.organizationId, req.params.browser_session_id),
  });

  defineRoute(app, {
    method: 'PATCH', url: BY_ID, operationId: 'update_browser_session_v1_browser_sessions__browser_session_id__patch', tags,
    summary: 'Update a browser session',
    schema: { params: BrowserSessionIdParams, body: UpdateBrowserSessionRequest, response: { 200: BrowserSessionResponse, ...errors } },
    handler: async (req) => browserSessions.update(req.organizationId, req.params.browser_session_id, (req.body as UpdateT).generate_browser_profile),
  });

  // close_browser_session sends no body and no content type.
  defineRoute(app, {
    method: 'POST', url: `${BY_ID}/close`, operationId: 'close_browser_session_v1_browser_sessions__browser_session_id__close_post', tags,
    summary: 'Close a session',
    schema: { params: BrowserSessionIdParams, response: { 200: CloseBrowserSessionResponse, ...errors } },
    handler: async (req) => browserSessions.close(req.organizationId, req.params.browser_session_id),
  });
}
