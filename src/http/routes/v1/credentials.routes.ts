// Stored credentials and pushed one-time codes. `/api/v1/...` legacy forms answer too (hidden);
// note the legacy create and delete answer 200, where the documented ones answer 201 and 204.
import type { FastifyInstance, FastifyReply, FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { Type } from 'typebox';
import { ErrorDetail, HTTPValidationError } from '../../../contracts/common.ts';
import {
  CREDENTIAL_TYPES, CreateCredentialRequest, CredentialIdParams, CredentialListQuery, CredentialResponse, TOTPCode, TOTPCodeCreate,
  TotpCodeListQuery, createCredentialRequestFor,
  type CreateCredentialRequest as CreateT, type CredentialListQuery as ListT, type TOTPCodeCreate as TotpCreateT, type TotpCodeListQuery as TotpListT,
} from '../../../contracts/credentials.ts';
import { presentCredential } from '../../../services/credentials/credential.presenter.ts';
import { validatorCompiler } from '../../plugins/validation.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute, type RouteRequest } from '../define.ts';

const tags = ['Credentials'];
const errors = { 400: ErrorDetail, 404: ErrorDetail, 422: HTTPValidationError };
const BY_ID = '/v1/credentials/:credential_id';
const LEGACY_BY_ID = '/api/v1/credentials/:credential_id';

/**
 * The body's `credential` is checked against the shape its `credential_type` names, so a password
 * credential missing its password gets one precise 422 item, not one per possible shape.
 */
const credentialBodyValidator: FastifySchemaCompiler<unknown> = (route) => {
  if (route.httpPart !== 'body') return validatorCompiler(route);
  type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };
  const anyType = validatorCompiler(route) as Validate;
  const byType = new Map(CREDENTIAL_TYPES.map((t) => [t as string, validatorCompiler({ ...route, schema: createCredentialRequestFor(t) }) as Validate]));
  const validate: Validate = (data: unknown) => {
    const named = (data as { credential_type?: unknown } | null)?.credential_type;
    const chosen = (typeof named === 'string' && byType.get(named)) || anyType;
    const ok = chosen(data);
    validate.errors = chosen.errors;
    return ok;
  };
  return validate;
};

export function credentialsRoutes(app: FastifyInstance, services: AppServices): void {
  const { credentials, totpCodes } = services;
  const create = async (req: RouteRequest) => presentCredential(await credentials.create(req.organizationId, req.body as CreateT));
  const update = async (req: RouteRequest) => presentCredential(await credentials.update(req.organizationId, req.params.credential_id, req.body as CreateT));
  const bodySchema = { body: CreateCredentialRequest };

  defineRoute(app, {
    method: 'POST', url: '/v1/credentials/totp', aliases: ['/api/v1/totp'], operationId: 'send_totp_code_v1_credentials_totp_post', tags,
    summary: 'Send a TOTP code (or the email/SMS containing it) for runs waiting on a totp_identifier',
    schema: { body: TOTPCodeCreate, response: { 200: TOTPCode, ...errors, 502: ErrorDetail } },
    nulStrippedFields: ['content'], // pasted messages may carry NULs; the service removes them
    handler: async (req) => totpCodes.push(req.organizationId, req.body as TotpCreateT),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/credentials/totp', aliases: ['/api/v1/totp'], operationId: 'get_totp_codes_v1_credentials_totp_get', tags, hidden: true,
    summary: 'List recently pushed TOTP codes, newest first',
    schema: { querystring: TotpCodeListQuery, response: { 200: Type.Array(TOTPCode), ...errors } },
    handler: async (req) => totpCodes.list(req.organizationId, req.query as TotpListT),
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/credentials', operationId: 'create_credential_v1_credentials_post', tags, summary: 'Create a credential',
    schema: { ...bodySchema, response: { 201: CredentialResponse, ...errors } }, validatorCompiler: credentialBodyValidator,
    handler: async (req, reply) => { reply.code(201); return create(req); },
  });
  defineRoute(app, {
    method: 'POST', url: '/api/v1/credentials', operationId: 'create_credential_legacy', tags, hidden: true,
    schema: { ...bodySchema, response: { 200: CredentialResponse, ...errors } }, validatorCompiler: credentialBodyValidator,
    handler: create,
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/credentials', aliases: ['/api/v1/credentials'], operationId: 'get_credentials_v1_credentials_get', tags,
    summary: 'List credentials (secrets are never returned)',
    schema: { querystring: CredentialListQuery, response: { 200: Type.Array(CredentialResponse), ...errors } },
    handler: async (req) => (await credentials.list(req.organizationId, req.query as ListT)).map(presentCredential),
  });

  defineRoute(app, {
    method: 'GET', url: BY_ID, aliases: [LEGACY_BY_ID], operationId: 'get_credential_v1_credentials__credential_id__get', tags, summary: 'Get a credential',
    schema: { params: CredentialIdParams, response: { 200: CredentialResponse, ...errors } },
    handler: async (req) => presentCredential(await credentials.get(req.organizationId, req.params.credential_id)),
  });

  defineRoute(app, {
    method: 'POST', url: `${BY_ID}/update`, operationId: 'update_credential_v1_credentials__credential_id__update_post', tags,
    summary: 'Overwrite a credential (same credential_id)',
    schema: { params: CredentialIdParams, ...bodySchema, response: { 200: CredentialResponse, ...errors } }, validatorCompiler: credentialBodyValidator,
    handler: update,
  });
  defineRoute(app, {
    method: 'PUT', url: LEGACY_BY_ID, operationId: 'update_credential_legacy', tags, hidden: true,
    schema: { params: CredentialIdParams, ...bodySchema, response: { 200: CredentialResponse, ...errors } }, validatorCompiler: credentialBodyValidator,
    handler: update,
  });

  const remove = (status: 200 | 204) => async (req: RouteRequest, reply: FastifyReply) => {
    await credentials.remove(req.organizationId, req.params.credential_id);
    return status === 204 ? reply.code(204).send() : null;
  };
  defineRoute(app, {
    method: 'POST', url: `${BY_ID}/delete`, operationId: 'delete_credential_v1_credentials__credential_id__delete_post', tags, summary: 'Delete a credential',
    schema: { params: CredentialIdParams, response: { 204: Type.Null(), ...errors } },
    handler: remove(204),
  });
  defineRoute(app, {
    method: 'DELETE', url: LEGACY_BY_ID, operationId: 'delete_credential_legacy', tags, hidden: true,
    schema: { params: CredentialIdParams, response: { 200: Type.Null(), ...errors } },
    handler: remove(200),
  });
}
