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

  it('masks short secrets as whole tokens, card numbers however the page formats them, and numbers in records', () => {
    const vault = new SecretVault();
    vault.addValue('card_cvv', 'the CVV', '123');
    vault.addValue('card_number', 'the card number', '4242424242424242');
    vault.addValue('pin', 'a two-character pin', '42');
    assert.equal(vault.redact('[e7] input value="123" total $1234'), '[e7] input value="{{secret:card_cvv}}" total $1234');
    assert.equal(vault.redact('value="4242 4242 4242 4242" or 4242-4242-4242-4242'), 'value="{{secret:card_number}}" or {{secret:card_number}}');
    assert.equal(vault.redact('answer 42'), 'answer 42', 'one or two characters are not masked');
    assert.deepEqual(vault.redactValue({ cvv: 123, order: 1234, note: 'cvv 123' }), { cvv: '{{secret:card_cvv}}', order: 1234, note: 'cvv {{secret:card_cvv}}' });
  });
});
