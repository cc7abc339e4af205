// Stored credentials and pushed TOTP codes over HTTP: CRUD in the contract's shapes (also the
// legacy /api/v1 forms), 404 for unknown, deleted and other organizations' IDs, 422s naming the
// field, secrets sealed in Postgres and absent from every response; pushed codes parsed, scoped
// and listed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type TestStack } from '../support/stack.ts';
import { assertMatchesReference } from '../support/reference-schemas.ts';
import { ScriptedHttpError, startScriptedLlm, type ScriptedLlm } from '../fixtures/llm/scripted-openai-server.ts';
import { lastUserText } from '../support/workflows.ts';

const PASSWORD = 'c0rrect-h0rse-battery';
const SEED = 'JBSWY3DPEHPK3PXP';
const CARD = '4111111111111111';
const CVV = '987';
const SECRET = 'sk-live-abcdef123456';
const SECRET_VALUES = [PASSWORD, SEED, CARD, SECRET];
// The CVV is too short to search for (IDs are long digit strings): secret field names are checked instead.
const SECRET_FIELDS = ['card_cvv', 'card_number', 'secret_value', '"password":', '"totp":'];

const password = (over: Record<string, unknown> = {}) => ({
  name: 'Acme login', credential_type: 'password',
  credential: { username: 'ada@example.com', password: PASSWORD, totp: SEED, totp_type: 'authenticator', totp_identifier: ' Ada@Example.com ' },
  ...over,
});
const card = { name: 'Company Visa', credential_type: 'credit_card', credential: {
  card_number: CARD, card_cvv: CVV, card_exp_month: '12', card_exp_year: '2030', card_brand: 'visa', card_holder_name: 'Ada Lovelace',
  billing_address: { city: 'London', country_code: 'GB' },
} };
const secret = { name: 'Stripe key', credential_type: 'secret', credential: { secret_value: SECRET, secret_label: 'stripe' } };

describe('credentials API', () => {
  let stack: TestStack;
  const seen: { status: number; text: string }[] = [];
  const call = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await stack.request(method, url, body, headers);
    seen.push({ status: res.status, text: typeof res.body === 'string' ? res.body : JSON.stringify(res.body) });
    return res;
  };
  before(async () => { stack = await startStack(); });
  after(async () => { await stack.close(); });

  it('creates each credential type (201) with only public fields in the response', async () => {
    const pw = await call('POST', '/v1/credentials', password());
    assert.equal(pw.status, 201, JSON.stringify(pw.body));
    assertMatchesReference('CredentialResponse', pw.body);
    assertMatchesReference('PasswordCredentialResponse', pw.body.credential);
    assert.match(pw.body.credential_id, /^cred_\d+$/);
    assert.deepEqual(pw.body.credential, { username: 'ada@example.com', totp_type: 'authenticator', totp_identifier: 'ada@example.com' });
    assert.equal(pw.body.credential_type, 'password');
    assert.equal(pw.body.vault_type, 'skyvern');
    assert.equal(pw.body.name, 'Acme login');

    const cc = await call('POST', '/v1/credentials', card);
    assert.equal(cc.status, 201, JSON.stringify(cc.body));
    assertMatchesReference('CredentialResponse', cc.body);
    assert.deepEqual(cc.body.credential, { last_four: '1111', brand: 'visa' });

    const sc = await call('POST', '/v1/credentials', { ...secret, vault_type: 'skyvern' });
    assert.equal(sc.status, 201, JSON.stringify(sc.body));
    assertMatchesReference('CredentialResponse', sc.body);
    assert.deepEqual(sc.body.credential, { secret_label: 'stripe' });
  });

  it('seals the secrets in Postgres: the row holds neither the password nor the seed in clear', async () => {
    const created = await call('POST', '/v1/credentials', password({ name: 'sealed check' }));
    const row = await stack.api.core.repos.credentials.get(stack.organizationId, created.body.credential_id);
    assert.ok(row);
    const stored = JSON.stringify(row);
    for (const value of [PASSWORD, SEED]) assert.ok(!stored.includes(value), `row contains ${value}`);
    const { openCredential } = await import('../../src/services/credentials/credentials.service.ts');
    const opened = await openCredential(stack.api.core, stack.organizationId, created.body.credential_id);
    assert.equal(opened?.type, 'password');
    assert.equal((opened?.body as { password: string }).password, PASSWORD);
  });

  it('gets, lists (filters, search, pages), overwrites and deletes', async () => {
    const a = (await call('POST', '/v1/credentials', password({ name: 'Listing A' }))).body;
    const got = await call('GET', `/v1/credentials/${a.credential_id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, a);

    const all = await call('GET', '/v1/credentials?page_size=100');
    assert.equal(all.status, 200);
    for (const item of all.body) assertMatchesReference('CredentialResponse', item);
    assert.equal(all.body[0].credential_id, a.credential_id, 'newest first');
    const cards = await call('GET', '/v1/credentials?credential_type=credit_card');
    assert.deepEqual(cards.body.map((c: any) => c.name), ['Company Visa']);
    const byLabel = await call('GET', '/v1/credentials?search=STRIPE');
    assert.deepEqual(byLabel.body.map((c: any) => c.name), ['Stripe key']);
    const byLastFour = await call('GET', '/v1/credentials?search=1111');
    assert.deepEqual(byLastFour.body.map((c: any) => c.name), ['Company Visa']);
    assert.equal((await call('GET', '/v1/credentials?search=c0rrect')).body.length, 0, 'secrets are not searchable');
    const page1 = await call('GET', '/v1/credentials?page=1&page_size=2');
    const page2 = await call('GET', '/v1/credentials?page=2&page_size=2');
    assert.equal(page1.body.length, 2);
    assert.ok(!page2.body.some((c: any) => page1.body.some((d: any) => d.credential_id === c.credential_id)));
    assert.equal((await call('GET', '/v1/credentials?vault_type=bitwarden')).body.length, 0);

    const updated = await call('POST', `/v1/credentials/${a.credential_id}/update`, { name: 'Listing A v2', credential_type: 'secret', credential: { secret_value: SECRET } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assertMatchesReference('CredentialResponse', updated.body);
    assert.equal(updated.body.credential_id, a.credential_id);
    assert.equal(updated.body.name, 'Listing A v2');
    assert.equal(updated.body.credential_type, 'secret');
    assert.deepEqual(updated.body.credential, { secret_label: null });

    const deleted = await call('POST', `/v1/credentials/${a.credential_id}/delete`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, null);
    for (const [method, url, body] of [
      ['GET', `/v1/credentials/${a.credential_id}`], ['POST', `/v1/credentials/${a.credential_id}/delete`],
      ['POST', `/v1/credentials/${a.credential_id}/update`, secret],
    ] as const) {
      const res = await call(method, url, body);
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.match(res.body.detail, new RegExp(`Credential not found.*${a.credential_id}`));
    }
    assert.ok(!(await call('GET', '/v1/credentials?page_size=100')).body.some((c: any) => c.credential_id === a.credential_id));
  });

  it('answers 404 for unknown IDs and for another organization\'s credentials', async () => {
    assert.equal((await call('GET', '/v1/credentials/cred_123')).status, 404);
    const mine = (await call('POST', '/v1/credentials', password({ name: 'mine only' }))).body;
    const other = await stack.api.services.organizations.createOrganization('other-org');
    const headers = { 'x-api-key': other.apiKey };
    assert.equal((await call('GET', `/v1/credentials/${mine.credential_id}`, undefined, headers)).status, 404);
    assert.equal((await call('POST', `/v1/credentials/${mine.credential_id}/update`, secret, headers)).status, 404);
    assert.equal((await call('POST', `/v1/credentials/${mine.credential_id}/delete`, undefined, headers)).status, 404);
    assert.deepEqual((await call('GET', '/v1/credentials', undefined, headers)).body, []);
    assert.equal((await call('GET', `/v1/credentials/${mine.credential_id}`)).status, 200, 'still there for its owner');
  });

  it('422s name the field, with only loc, msg and type in each item', async () => {
    const cases: Array<[unknown, (string | number)[]]> = [
      [{ name: 'x', credential_type: 'password', credential: { username: 'ada' } }, ['body', 'credential', 'password']],
      [{ name: 'x', credential_type: 'password', credential: { username: 'ada', password: '' } }, ['body', 'credential', 'password']],
      [{ name: 'x', credential_type: 'PASSWORD', credential: { username: 'a', password: 'b' } }, ['body', 'credential_type']],
      [{ credential_type: 'secret', credential: { secret_value: 's' } }, ['body', 'name']],
      [{ name: 'x', credential_type: 'credit_card', credential: { card_number: '4111' } }, ['body', 'credential', 'card_cvv']],
      [{ ...secret, vault_type: 'bitwarden' }, ['body', 'vault_type']],
      [password({ credential: { username: 'a', password: 'b', totp: 'not base32!' } }), ['body', 'credential', 'totp']],
    ];
    for (const [body, loc] of cases) {
      const res = await call('POST', '/v1/credentials', body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(res.body.detail.some((d: any) => JSON.stringify(d.loc) === JSON.stringify(loc)), `${JSON.stringify(res.body)} lacks ${loc}`);
      for (const item of res.body.detail) assert.deepEqual(Object.keys(item).sort(), ['loc', 'msg', 'type']);
    }
    const missingPassword = await call('POST', '/v1/credentials', cases[0]![0]);
    assert.equal(missingPassword.body.detail.length, 1, 'one precise item, not one per credential shape');
    const vault = await call('POST', '/v1/credentials', { ...secret, vault_type: 'azure_vault' });
    assert.match(vault.body.detail[0].msg, /only the built-in 'skyvern' vault/);
    const profile = await call('POST', '/v1/credentials', { ...secret, browser_profile_id: 'bp_404' });
    assert.equal(profile.status, 400);
    assert.match(profile.body.detail, /bp_404/);
  });

  it('answers the legacy /api/v1 forms (create and delete answer 200)', async () => {
    const created = await call('POST', '/api/v1/credentials', secret);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assertMatchesReference('CredentialResponse', created.body);
    const id = created.body.credential_id;
    assert.equal((await call('GET', `/api/v1/credentials/${id}`)).status, 200);
    const put = await call('PUT', `/api/v1/credentials/${id}`, { ...secret, name: 'renamed' });
    assert.equal(put.status, 200);
    assert.equal(put.body.name, 'renamed');
    const del = await call('DELETE', `/api/v1/credentials/${id}`);
    assert.equal(del.status, 200);
    assert.equal(del.body, null);
    assert.equal((await call('GET', `/v1/credentials/${id}`)).status, 404);
  });

  describe('pushed TOTP codes', () => {
    it('takes short content verbatim and normalises email identifiers', async () => {
      const res = await call('POST', '/v1/credentials/totp', { totp_identifier: '  Ada@Example.COM ', content: ' 123456 ', source: 'sms' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assertMatchesReference('TOTPCode', res.body);
      assert.match(res.body.totp_code_id, /^totp_\d+$/);
      assert.equal(res.body.totp_identifier, 'ada@example.com');
      assert.equal(res.body.code, '123456');
      assert.equal(res.body.otp_type, 'totp');
      assert.equal(res.body.organization_id, stack.organizationId);
      assert.equal(res.body.source, 'sms');
      assert.equal(res.body.status, undefined);
    });

    it('reads a code or a magic link out of a whole message; keeps unreadable content raw', async () => {
      const email = await call('POST', '/v1/credentials/totp', { totp_identifier: 'bob@example.com', content: 'Hi Bob,\nyour Acme verification code is 730 112.\nIt expires in 10 minutes.' });
      assert.equal(email.status, 200);
      assert.equal(email.body.code, '730112');
      assert.equal(email.body.content, 'Hi Bob,\nyour Acme verification code is 730 112.\nIt expires in 10 minutes.');
      const link = await call('POST', '/v1/credentials/totp', { totp_identifier: 'bob@example.com', content: '<p>Click to <a href="https://acme.test/magic?t=Zq91">sign in</a></p>' });
      assert.equal(link.body.code, 'https://acme.test/magic?t=Zq91');
      assert.equal(link.body.otp_type, 'magic_link');
      assertMatchesReference('TOTPCode', link.body);
      const raw = await call('POST', '/v1/credentials/totp', { totp_identifier: 'bob@example.com', content: 'Thanks for signing up! Nothing to see here.' });
      assert.equal(raw.status, 200);
      assert.equal(raw.body.status, 'raw_pending');
      assert.equal(raw.body.code, '');
      assertMatchesReference('TOTPCode', raw.body);
      const huge = await call('POST', '/v1/credentials/totp', { totp_identifier: 'bob@example.com', content: 'no code here. '.repeat(6000) });
      assert.equal(huge.status, 400);
      assert.equal(huge.body.detail, 'Failed to parse otp login');
      const nul = await call('POST', '/v1/credentials/totp', { totp_identifier: 'bob@example.com', content: '98\u00007654' });
      assert.equal(nul.body.code, '987654', 'NUL bytes are stripped');
    });

    it('checks the run, task and workflow IDs a code names', async () => {
      for (const [field, message] of [['task_id', 'Invalid task id'], ['workflow_run_id', 'Invalid workflow run id'], ['workflow_id', 'Invalid workflow id']]) {
        const res = await call('POST', '/v1/credentials/totp', { totp_identifier: 'x@example.com', content: '111111', [field]: 'nope_1' });
        assert.equal(res.status, 400, field);
        assert.equal(res.body.detail, `${message}: nope_1`);
      }
      const wf = await stack.request('POST', '/v1/agents', { json_definition: { title: 'otp wf', workflow_definition: { parameters: [], blocks: [{ block_type: 'wait', label: 'w', wait_sec: 0 }] } } });
      const ok = await call('POST', '/v1/credentials/totp', { totp_identifier: 'x@example.com', content: '222222', workflow_id: wf.body.workflow_permanent_id });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.workflow_id, wf.body.workflow_permanent_id);
      const missing = await call('POST', '/v1/credentials/totp', { totp_identifier: 'x@example.com' });
      assert.equal(missing.status, 422);
      assert.deepEqual(missing.body.detail.map((d: any) => d.loc), [['body', 'content']]);
      const empty = await call('POST', '/v1/credentials/totp', { totp_identifier: 'x@example.com', content: '   ' });
      assert.equal(empty.status, 422);
    });

    it('lists codes newest first, filtered, at the hidden GET and through the legacy alias', async () => {
      await call('POST', '/api/v1/totp', { totp_identifier: 'list@example.com', content: '333333' });
      await call('POST', '/v1/credentials/totp', { totp_identifier: 'list@example.com', content: '444444' });
      await call('POST', '/v1/credentials/totp', { totp_identifier: 'list@example.com', content: 'Open https://acme.test/login/magic?t=1 to sign in to your account' });
      const res = await call('GET', '/v1/credentials/totp?totp_identifier=LIST@example.com');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.map((c: any) => c.code), ['https://acme.test/login/magic?t=1', '444444', '333333']);
      for (const item of res.body) assertMatchesReference('TOTPCode', item);
      assert.deepEqual((await call('GET', '/v1/credentials/totp?totp_identifier=list@example.com&otp_type=totp&limit=1')).body.map((c: any) => c.code), ['444444']);
      assert.equal((await call('GET', '/v1/credentials/totp?limit=0')).status, 422);
      assert.equal((await call('GET', '/v1/credentials/totp?limit=201')).status, 422);
      const openapi = (await stack.api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.ok(openapi.paths['/v1/credentials/totp'].post, 'the push route is documented');
      assert.equal(openapi.paths['/v1/credentials/totp'].get, undefined, 'the list route is hidden');
    });
  });

  it('never returned a secret in any response above', () => {
    assert.ok(seen.length > 40);
    for (const { status, text } of seen) {
      // A 422 may name a secret field (never its value); successful answers name none.
      const forbidden = status < 300 ? [...SECRET_VALUES, ...SECRET_FIELDS] : SECRET_VALUES;
      for (const value of forbidden) assert.ok(!text.includes(value), `a response contains ${value}: ${text.slice(0, 300)}`);
    }
  });
});

describe('pushed OTP content the parser cannot read goes to the configured model', () => {
  let stack: TestStack;
  let llm: ScriptedLlm;
  const answers: Record<string, unknown> = {
    'lowercase': { code: 'k7q2zp', magic_link: null },
    'invented': { code: '918273', magic_link: null },
    'nothing': { code: null, magic_link: null },
  };
  before(async () => {
    llm = await startScriptedLlm((req) => {
      const message = lastUserText(req.messages);
      const key = Object.keys(answers).find((k) => message.includes(`[${k}]`));
      if (!key) throw new ScriptedHttpError(500);
      return answers[key]!;
    });
    stack = await startStack({ env: {
      ENABLE_OPENAI_COMPATIBLE: 'true', OPENAI_COMPATIBLE_API_BASE: `${llm.baseUrl}/v1`, OPENAI_COMPATIBLE_MODEL_NAME: 'scripted',
      OPENAI_COMPATIBLE_API_KEY: 'test', LLM_KEY: 'OPENAI_COMPATIBLE', LLM_MAX_RETRIES: '0',
    } });
  });
  after(async () => { await stack?.close(); await llm?.close(); });
  const push = (content: string) => stack.request('POST', '/v1/credentials/totp', { totp_identifier: 'model@example.com', content });

  it('uses the model\'s code only when it appears in the content', async () => {
    const found = await push('[lowercase] enter k7q2zp on the page to continue, thanks');
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.equal(found.body.code, 'k7q2zp');
    assert.equal(found.body.otp_type, 'totp');
    const invented = await push('[invented] there is nothing to type in this message at all');
    assert.equal(invented.body.status, 'raw_pending', 'a code the content does not contain is not believed');
    const nothing = await push('[nothing] welcome to the newsletter, see you next week');
    assert.equal(nothing.body.status, 'raw_pending');
    assert.equal(nothing.body.code, '');
    const parsed = await push('Your verification code is 246810, it expires soon.');
    assert.equal(parsed.body.code, '246810');
    assert.equal(llm.calls.length, 3, 'content the parser reads never reaches the model');
    assert.match(JSON.stringify(llm.calls[0]!.messages), /MESSAGE \(untrusted content\)/);
  });

  it('answers 502 when the model fails', async () => {
    const res = await push('[broken] the model errors on this one, no code here');
    assert.equal(res.status, 502);
    assert.match(res.body.detail, /OTP extraction is temporarily unavailable/);
  });
});
