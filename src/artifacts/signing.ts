import { createHmac, timingSafeEqual } from 'node:crypto';

// Signed artifact links let a browser or `curl` fetch a screenshot without the API key.
// The string signed names the method, path, expiry and key id, so a link can't be reused elsewhere.
export interface SignedQuery { expiry: string; kid: string; sig: string }

function signature(secret: string, artifactId: string, expiry: number, kid: string): string {
  return createHmac('sha256', secret).update(`GET\n/v1/artifacts/${artifactId}/content\n${expiry}\n${kid}`).digest('base64url');
}

export function signArtifactQuery(secret: string, artifactId: string, ttlSeconds: number, now = Date.now()): SignedQuery {
  const expiry = Math.floor(now / 1000) + ttlSeconds;
  return { expiry: String(expiry), kid: 'k1', sig: signature(secret, artifactId, expiry, 'k1') };
}

export function verifyArtifactQuery(secret: string, artifactId: string, q: Partial<SignedQuery>, now = Date.now()): boolean {
  if (!q.expiry || !q.kid || !q.sig) return false;
  const expiry = Number(q.expiry);
  if (!Number.isInteger(expiry) || expiry * 1000 < now) return false;
  const expected = Buffer.from(signature(secret, artifactId, expiry, q.kid));
  const given = Buffer.from(q.sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
