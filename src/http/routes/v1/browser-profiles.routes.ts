import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorDetail, HTTPValidationError } from '../../../contracts/common.ts';
import {
  BrowserProfile, BrowserProfileIdParams, BrowserProfileList, BrowserProfileListQuery, CreateBrowserProfileRequest, UpdateBrowserProfileRequest,
  type BrowserProfileListQuery as ListQueryT, type CreateBrowserProfileRequest as CreateT, type UpdateBrowserProfileRequest as UpdateT,
} from '../../../contracts/browser-sessions.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../define.ts';

const errors = { 400: ErrorDetail, 404: ErrorDetail, 409: ErrorDetail, 422: HTTPValidationError };
const tags = ['Browser Profiles'];
const BY_ID = '/v1/browser_profiles/:profile_id';

export function browserProfilesRoutes(app: FastifyInstance, services: AppServices): void {
  const { browserProfiles } = services;

  defineRoute(app, {
    method: 'POST', url: '/v1/browser_profiles', operationId: 'create_browser_profile_v1_browser_profiles_post', tags,
    summary: 'Create a browser profile',
    schema: { body: CreateBrowserProfileRequest, response: { 200: BrowserProfile, ...errors } },
    handler: async (req) => browserProfiles.create(req.organizationId, req.body as CreateT),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/browser_profiles', operationId: 'list_browser_profiles_v1_browser_profiles_get', tags,
    summary: 'List browser profiles',
    schema: { querystring: BrowserProfileListQuery, response: { 200: BrowserProfileList, ...errors } },
    handler: async (req) => browserProfiles.list(req.organizationId, req.query as ListQueryT),
  });

  defineRoute(app, {
    method: 'GET', url: BY_ID, operationId: 'get_browser_profile_v1_browser_profiles__profile_id__get', tags,
    summary: 'Get a browser profile',
    schema: { params: BrowserProfileIdParams, response: { 200: BrowserProfile, ...errors } },
    handler: async (req) => browserProfiles.get(req.organizationId, req.params.profile_id),
  });

  defineRoute(app, {
    method: 'PATCH', url: BY_ID, operationId: 'update_browser_profile_v1_browser_profiles__profile_id__patch', tags,
    summary: 'Update a browser profile',
    schema: { params: BrowserProfileIdParams, body: UpdateBrowserProfileRequest, response: { 200: BrowserProfile, ...errors } },
    handler: async (req) => browserProfiles.update(req.organizationId, req.params.profile_id, req.body as UpdateT),
  });

  defineRoute(app, {
    method: 'DELETE', url: BY_ID, operationId: 'delete_browser_profile_v1_browser_profiles__profile_id__delete', tags,
    summary: 'Delete a browser profile',
    schema: { params: BrowserProfileIdParams, response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => { await browserProfiles.delete(req.organizationId, req.params.profile_id); return reply.code(204).send(); },
  });
}
