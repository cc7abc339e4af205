import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SecretVault } from './secrets.ts';

const signal = new AbortController().signal;

describe('SecretVault: provided secrets and magic links', () => {
  it('registers provided secrets: known values are masked from the start, generated ones are made fresh on each use', async () => {
    const vault = new SecretVault();
    let n = 0;
    assert.equal(vault.addProvided({ name: 'creds_password', description: 'the password', value: 'pa55-word!' }), '{{secret:creds_password}}');
    assert.equal(vault.addProvided({ name: 'creds_totp', description: 'authenticator code', resolve: async () => `70000${++n}` }), '{{secret:creds_totp}}');
    assert.equal(vault.redact('typed pa55-word! here'), 'typed {{secret:creds_password}} here', 'masked before it was ever typed');
    assert.equal(await vault.fill('{{secret:creds_totp}}', signal), '700001');
    assert.equal(await vault.fill('{{secret:creds_totp}}', signal), '700002');
    assert.equal(vault.redact('700001 / 700002'), '{{secret:creds_totp}} / {{secret:creds_totp}}');
    assert.deepEqual(vault.describe(), ['{{secret:creds_password}}: the password', '{{secret:creds_totp}}: authenticator code']);
  });

  it('typing a one-time code that is a link opens it; anything else is typed', async () => {
    const vault = new SecretVault();
    let value = 'https://acme.test/magic?t=abc';
    vault.add('totp_code', 'code', async () => value, { fresh: true, mayBeLink: true });
    vault.addValue('site', 'a password that looks like a URL', 'https://not-a-link.test/x');
    assert.deepEqual(await vault.fillInput(' {{secret:totp_code}} ', signal), { link: 'https://acme.test/magic?t=abc' });
    assert.deepEqual(await vault.fillInput('code: {{secret:totp_code}}', signal), { text: 'code: https://acme.test/magic?t=abc' }, 'only a lone placeholder becomes a link');
    assert.deepEqual(await vault.fillInput('{{secret:site}}', signal), { text: 'https://not-a-link.test/x' }, 'only one-time codes may be links');
    value = '123456';
    assert.deepEqual(await vault.fillInput('{{secret:totp_code}}', signal), { text: '123456' });
    assert.equal(vault.redact('opened https://acme.test/magic?t=abc'), 'opened {{secret:totp_code}}');
  });
});
