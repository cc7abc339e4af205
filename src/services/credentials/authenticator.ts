// RFC 6238 authenticator codes from a credential's `totp` seed (base32, or an otpauth:// URI as
// authenticator apps export it). Codes are made at typing time, so they are always current.
import { Secret, TOTP, URI } from 'otpauth';

function totpOf(seed: string): TOTP {
  const text = seed.trim();
  if (/^otpauth:\/\//i.test(text)) {
    const parsed = URI.parse(text);
    if (!(parsed instanceof TOTP)) throw new Error('only time-based (totp) otpauth URIs are supported');
    return parsed;
  }
  const base32 = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  if (!/^[A-Z2-7]+$/.test(base32)) throw new Error('not a base32 secret');
  return new TOTP({ secret: Secret.fromBase32(base32), digits: 6, period: 30, algorithm: 'SHA1' });
}

/** Why a seed cannot make codes, or undefined when it can. */
export function authenticatorSeedProblem(seed: string): string | undefined {
  try {
    totpOf(seed);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The code an authenticator app shows at `at` for this seed. */
export function authenticatorCode(seed: string, at = Date.now()): string {
  return totpOf(seed).generate({ timestamp: at });
}
