// Stored credentials (Skyvern's own vault, `vault_type: skyvern`): the whole credential body is
// sealed with the server secret; only what identifies it (username, last four digits, label) is
// kept readable for responses and search. Runs open the sealed part in the worker (openCredential).
import type {
  CreateCredentialRequest, CredentialListQuery, CredentialType, NonEmptyCreditCardCredential, NonEmptyPasswordCredential, SecretCredential,
} from '../../contracts/credentials.ts';
import type { CredentialRow } from '../../db/repositories/credentials.repo.ts';
import { BadRequestError, NotFoundError, validationError } from '../../domain/errors.ts';
import { generateId, ID_PREFIX } from '../../domain/ids.ts';
import { normalizeTotpIdentifier } from '../../domain/otp.ts';
import type { ServiceDeps } from '../deps.ts';
import { decryptSecret, encryptSecret } from '../secrets.ts';
import { authenticatorSeedProblem } from './authenticator.ts';
import type { CredentialSettings } from './credential.presenter.ts';

/** A credential with its secrets, as a run uses it. Never leaves the worker. */
export type OpenedCredential = { credentialId: string; name: string } & (
  | { type: 'password'; body: NonEmptyPasswordCredential }
  | { type: 'credit_card'; body: NonEmptyCreditCardCredential }
  | { type: 'secret'; body: SecretCredential }
);

export const credentialNotFound = (id: string) => new NotFoundError(`Credential not found. credential_id=${id}`);

/** Only the built-in vault exists here: other vaults have no client in this server. */
const STORABLE_VAULT = 'skyvern';

function publicInfoOf(type: CredentialType, body: CreateCredentialRequest['credential']): Record<string, unknown> {
  switch (type) {
    case 'password': {
      const b = body as NonEmptyPasswordCredential;
      return { username: b.username, totp_type: b.totp_type ?? 'none', totp_identifier: b.totp_identifier ? normalizeTotpIdentifier(b.totp_identifier) : null };
    }
    case 'credit_card': {
      const b = body as NonEmptyCreditCardCredential;
      const digits = b.card_number.replace(/\D/g, '');
      return { last_four: (digits || b.card_number).slice(-4), brand: b.card_brand };
    }
    case 'secret':
      return { secret_label: (body as SecretCredential).secret_label ?? null };
  }
}

export function credentialsService(deps: Pick<ServiceDeps, 'repos' | 'serverSecret'>) {
  const { credentials } = deps.repos;

  /** Checks what the schema cannot and turns the request into the stored columns. */
  async function columnsOf(organizationId: string, body: CreateCredentialRequest) {
    if (body.vault_type && body.vault_type !== STORABLE_VAULT) {
      throw validationError(['body', 'vault_type'], `vault_type '${body.vault_type}' is not available on this server: only the built-in 'skyvern' vault can store credentials here`);
    }
    const stored = { ...body.credential } as Record<string, unknown>;
    if (body.credential_type === 'password') {
      const seed = (body.credential as NonEmptyPasswordCredential).totp;
      const problem = seed ? authenticatorSeedProblem(seed) : undefined;
      if (problem) throw validationError(['body', 'credential', 'totp'], `totp must be the base32 secret of an authenticator (or an otpauth:// URI): ${problem}`);
      if (!seed) delete stored.totp;
    }
    if (body.browser_profile_id && !(await credentials.profileExists(organizationId, body.browser_profile_id))) {
      throw new BadRequestError(`Browser profile not found. browser_profile_id=${body.browser_profile_id}`);
    }
    const settings: CredentialSettings = {
      proxy_location: body.proxy_location ?? null, proxy_session_id: body.proxy_session_id ?? null,
      browser_profile_id: body.browser_profile_id ?? null, auto_profile_disabled: body.auto_profile_disabled ?? false,
      pin_saved_session_ip: body.pin_saved_session_ip ?? false, tested_url: body.tested_url ?? null,
    };
    return {
      name: body.name, credentialType: body.credential_type, vaultType: STORABLE_VAULT,
      secretSealed: encryptSecret(deps.serverSecret, JSON.stringify(stored)),
      publicInfo: publicInfoOf(body.credential_type, body.credential), settings,
    };
  }

  return {
    async create(organizationId: string, body: CreateCredentialRequest): Promise<CredentialRow> {
      const columns = await columnsOf(organizationId, body);
      return credentials.insert({ credentialId: generateId(ID_PREFIX.credential), organizationId, ...columns });
    },

    async list(organizationId: string, q: CredentialListQuery): Promise<CredentialRow[]> {
      return credentials.list({
        organizationId, page: q.page ?? 1, pageSize: q.page_size ?? 10,
        vaultType: q.vault_type ?? undefined, credentialType: q.credential_type ?? undefined, search: q.search?.trim() || undefined,
      });
    },

    async get(organizationId: string, credentialId: string): Promise<CredentialRow> {
      const row = await credentials.get(organizationId, credentialId);
      if (!row) throw credentialNotFound(credentialId);
      return row;
    },

    /** A full overwrite: every field comes from the new body; the ID stays. */
    async update(organizationId: string, credentialId: string, body: CreateCredentialRequest): Promise<CredentialRow> {
      if (!(await credentials.get(organizationId, credentialId))) throw credentialNotFound(credentialId);
      const row = await credentials.update(organizationId, credentialId, await columnsOf(organizationId, body));
      if (!row) throw credentialNotFound(credentialId);
      return row;
    },

    async remove(organizationId: string, credentialId: string): Promise<void> {
      if (!(await credentials.softDelete(organizationId, credentialId))) throw credentialNotFound(credentialId);
    },
  };
}
export type CredentialsService = ReturnType<typeof credentialsService>;

/** The credential with its secrets unsealed, for a run of this organization; undefined if it does not exist (or was deleted). */
export async function openCredential(deps: Pick<ServiceDeps, 'repos' | 'serverSecret'>, organizationId: string, credentialId: string): Promise<OpenedCredential | undefined> {
  const row = await deps.repos.credentials.get(organizationId, credentialId);
  if (!row) return undefined;
  const body = JSON.parse(decryptSecret(deps.serverSecret, row.secretSealed)) as OpenedCredential['body'];
  return { credentialId: row.credentialId, name: row.name, type: row.credentialType, body } as OpenedCredential;
}
