import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// API keys are stored hashed for lookup and encrypted (AES-256-GCM under the server secret)
// because webhooks must be signed with the plain key, as Skyvern's receivers expect.
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function aesKey(secret: string): Buffer {
  return createHash('sha256').update(`skyport-api-key:${secret}`).digest();
}

export function encryptSecret(secret: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey(secret), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function decryptSecret(secret: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', aesKey(secret), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

export function newApiKey(): string {
  return `sk_${randomBytes(24).toString('base64url')}`;
}

export function newServerSecret(): string {
  return randomBytes(32).toString('hex');
}
