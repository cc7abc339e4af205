// A workflow run's stored credentials, opened at setup. Each `credential` parameter (and each
// `workflow` parameter of type `credential_id` holding a `cred_…`) becomes an object of
// placeholders in the run's parameters — what templates and block payloads see — while the real
// values go to the agent's secret vault, filled in only when typed:
//   password     {username, password: {{secret:<key>_password}}, totp?: {{secret:<key>_totp}}}
//   credit_card  {card_number, card_cvv: placeholders; expiry, brand, holder, billing: plain}
//   secret       {secret_value: placeholder, secret_label}
// The username is shown as is: the model reads it back on the page, and a page greeting the user
// by name would otherwise be masked. A `totp` seed makes a fresh authenticator code at each use.
// Parameters reading Bitwarden, 1Password or Azure Key Vault fail the run here: no client for
// those vaults exists in this server, and running on with empty values would only fail later.
import { normalizeTotpIdentifier } from '../domain/otp.ts';
import type { ParameterYaml, WorkflowDefinitionYaml } from '../domain/workflow/index.ts';
import { placeholderFor, type ProvidedSecret } from '../engine/agent/secrets.ts';
import { authenticatorCode } from '../services/credentials/authenticator.ts';
import { openCredential, type OpenedCredential } from '../services/credentials/credentials.service.ts';
import type { ServiceDeps } from '../services/deps.ts';

export type CredentialSetup =
  | { ok: true; parameters: Record<string, unknown>; secrets: ProvidedSecret[]; totpIdentifiers: Record<string, string> }
  | { ok: false; reason: string };

const UNREACHABLE_VAULTS: Partial<Record<ParameterYaml['parameter_type'], string>> = {
  bitwarden_login_credential: 'Bitwarden', bitwarden_sensitive_information: 'Bitwarden', bitwarden_credit_card_data: 'Bitwarden',
  onepassword: '1Password', azure_vault_credential: 'Azure Key Vault',
};

function credentialIdOf(parameter: ParameterYaml, values: Record<string, unknown>): string | null {
  if (parameter.parameter_type === 'credential') return parameter.credential_id || null;
  if (parameter.parameter_type === 'workflow' && parameter.workflow_parameter_type === 'credential_id') {
    const value = values[parameter.key];
    return typeof value === 'string' && value.trim() ? value.trim() : null;
  }
  return null;
}

export async function resolveWorkflowCredentials(
  deps: Pick<ServiceDeps, 'repos' | 'serverSecret'>, organizationId: string, definition: WorkflowDefinitionYaml, values: Record<string, unknown>,
): Promise<CredentialSetup> {
  const parameters: Record<string, unknown> = {};
  const secrets: ProvidedSecret[] = [];
  const totpIdentifiers: Record<string, string> = {};
  const names = new Set<string>();
  for (const parameter of definition.parameters) {
    const vault = UNREACHABLE_VAULTS[parameter.parameter_type];
    if (vault) {
      return { ok: false, reason: `parameter '${parameter.key}' (${parameter.parameter_type}) reads from ${vault}, which this server cannot reach. `
        + 'Store the secret with POST /v1/credentials and use a credential parameter (or a workflow parameter of type credential_id) instead.' };
    }
    const credentialId = credentialIdOf(parameter, values);
    if (!credentialId) continue;
    const credential = await openCredential(deps, organizationId, credentialId);
    if (!credential) return { ok: false, reason: `Credential not found. credential_id=${credentialId} (parameter '${parameter.key}')` };
    const slug = uniqueName(names, parameter.key);
    parameters[parameter.key] = placeholders(credential, slug, parameter.key, secrets);
    if (credential.type === 'password' && credential.body.totp_identifier && !credential.body.totp) {
      totpIdentifiers[parameter.key] = normalizeTotpIdentifier(credential.body.totp_identifier);
    }
  }
  return { ok: true, parameters, secrets, totpIdentifiers };
}

/** Placeholder names are `[a-z0-9_]+`; two keys differing only in case still get distinct names. */
function uniqueName(taken: Set<string>, key: string): string {
  const base = key.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

function placeholders(credential: OpenedCredential, slug: string, key: string, secrets: ProvidedSecret[]): Record<string, unknown> {
  const of = `of the stored credential "${credential.name}" (parameter ${key})`;
  const secret = (field: string, description: string, value: string) => {
    secrets.push({ name: `${slug}_${field}`, description, value });
    return placeholderFor(`${slug}_${field}`);
  };
  switch (credential.type) {
    case 'password': {
      const { username, password, totp } = credential.body;
      const out: Record<string, unknown> = { username, password: secret('password', `the password ${of}`, password) };
      if (totp) {
        secrets.push({ name: `${slug}_totp`, description: `a fresh 6-digit authenticator (2FA) code ${of}; type it where the site asks for a verification code`, resolve: async () => authenticatorCode(totp) });
        out.totp = placeholderFor(`${slug}_totp`);
      }
      return out;
    }
    case 'credit_card': {
      const b = credential.body;
      return {
        card_number: secret('card_number', `the card number ${of}`, b.card_number),
        card_cvv: secret('card_cvv', `the card's CVV ${of}`, b.card_cvv),
        card_exp_month: b.card_exp_month, card_exp_year: b.card_exp_year, card_brand: b.card_brand, card_holder_name: b.card_holder_name,
        billing_address: b.billing_address ?? null, billing_email: b.billing_email ?? null, billing_phone: b.billing_phone ?? null,
      };
    }
    case 'secret':
      return { secret_value: secret('secret_value', `the secret value ${of}`, credential.body.secret_value), secret_label: credential.body.secret_label ?? null };
  }
}
