import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AuthError } from '../domain/errors.ts';
import { generateId, ID_PREFIX } from '../domain/ids.ts';
import type { ServiceDeps } from './deps.ts';
import { decryptSecret, encryptSecret, hashApiKey, newApiKey } from './secrets.ts';

export interface AuthenticatedOrg { organizationId: string }

const AUTH_CACHE_MS = 60_000;

export function organizationsService(deps: Pick<ServiceDeps, 'repos' | 'serverSecret' | 'config' | 'logger'>) {
  const repo = deps.repos.organizations;
  // Every request authenticates; a short cache keeps that off the database on hot paths.
  const cache = new Map<string, { org: AuthenticatedOrg; until: number }>();

  async function addKey(organizationId: string, key: string) {
    await repo.addApiKey({
      apiKeyId: generateId(ID_PREFIX.apiKey), organizationId,
      keyHash: hashApiKey(key), keyEncrypted: encryptSecret(deps.serverSecret, key),
    });
  }

  return {
    async createOrganization(name: string, key = newApiKey()): Promise<{ organizationId: string; apiKey: string }> {
      const org = await repo.create({ organizationId: generateId(ID_PREFIX.organization), organizationName: name });
      await addKey(org.organizationId, key);
      return { organizationId: org.organizationId, apiKey: key };
    },

    async authenticate(key: string | undefined): Promise<AuthenticatedOrg> {
      if (!key) throw new AuthError('Invalid credentials');
      const hash = hashApiKey(key);
      const hit = cache.get(hash);
      if (hit && hit.until > Date.now()) return hit.org;
      const row = await repo.findKeyByHash(hash);
      if (!row) throw new AuthError('Invalid credentials');
      if (!row.valid) throw new AuthError('Your API key has expired. Please create a new one.');
      const org = { organizationId: row.organizationId };
      cache.set(hash, { org, until: Date.now() + AUTH_CACHE_MS });
      return org;
    },

    /** The plain key webhooks for this organization are signed with. */
    async signingKey(organizationId: string): Promise<string | undefined> {
      const row = await repo.latestValidKey(organizationId);
      return row ? decryptSecret(deps.serverSecret, row.keyEncrypted) : undefined;
    },

    /**
     * First start: create the local organization and its key (SKYVERN_API_KEY when given), write the
     * key to `<dataDir>/api_key` and return it so the entry point can print it.
     */
    async ensureLocalOrganization(): Promise<{ organizationId: string; apiKey: string }> {
      const wanted = deps.config.bootstrapApiKey;
      let org = await repo.first();
      let apiKey: string;
      if (!org) {
        const created = await this.createOrganization('Skyport-local', wanted ?? newApiKey());
        org = (await repo.get(created.organizationId))!;
        apiKey = created.apiKey;
      } else if (wanted) {
        const existing = await repo.findKeyByHash(hashApiKey(wanted));
        if (!existing) await addKey(org.organizationId, wanted);
        apiKey = wanted;
      } else {
        apiKey = (await this.signingKey(org.organizationId)) ?? (await this.createOrganization('Skyport-local')).apiKey;
      }
      await mkdir(deps.config.dataDir, { recursive: true });
      await writeFile(path.join(deps.config.dataDir, 'api_key'), `${apiKey}\n`, { mode: 0o600 });
      return { organizationId: org.organizationId, apiKey };
    },
  };
}
export type OrganizationsService = ReturnType<typeof organizationsService>;
