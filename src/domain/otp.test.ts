import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeTotpIdentifier, parseOtpContent } from './otp.ts';

describe('parseOtpContent', () => {
  it('takes short content verbatim (trimmed)', () => {
    assert.deepEqual(parseOtpContent('  123456 \n'), { code: '123456', otpType: 'totp' });
    assert.deepEqual(parseOtpContent('AB-12'), { code: 'AB-12', otpType: 'totp' });
  });

  it('finds the code next to a keyword, before or after it', () => {
    assert.equal(parseOtpContent('Hello Ada, your verification code is 482913. It expires in 10 minutes.')?.code, '482913');
    assert.equal(parseOtpContent('482913 is your Acme sign-in code. Do not share it.')?.code, '482913');
    assert.equal(parseOtpContent('G-551234 is your Google verification code.')?.code, '551234');
    assert.equal(parseOtpContent('Your one-time password: 4821 (valid for 5 min)')?.code, '4821');
  });

  it('joins a code written in two groups and reads alphanumeric codes', () => {
    assert.equal(parseOtpContent('Your login code is 123 456 - enter it on the website')?.code, '123456');
    assert.equal(parseOtpContent('Use security code X7K2P9 to finish signing in to your account')?.code, 'X7K2P9');
  });

  it('prefers the code over years, phone numbers and order numbers elsewhere in the message', () => {
    const email = 'Order 99887766 shipped. Questions? Call 1-800-555-0199.\n\nYour verification code: 305118\n\n© 2024 Acme Inc.';
    assert.equal(parseOtpContent(email)?.code, '305118');
  });

  it('reads HTML emails: tags and entities do not hide the code', () => {
    const html = '<html><body><p>Hi&nbsp;there,</p><p>Your <b>code</b> is:</p><h2 style="x">771204</h2><a href="https://acme.test/unsubscribe">Unsubscribe</a></body></html>';
    assert.deepEqual(parseOtpContent(html), { code: '771204', otpType: 'totp' });
  });

  it('finds a magic link when there is no code, skipping unsubscribe and social links', () => {
    const text = 'Click the link below to sign in to Acme:\nhttps://acme.test/auth/magic?token=abc123XYZ.\n\nhttps://acme.test/unsubscribe?u=1 | https://twitter.com/acme';
    assert.deepEqual(parseOtpContent(text), { code: 'https://acme.test/auth/magic?token=abc123XYZ', otpType: 'magic_link' });
    const html = '<p>Welcome back!</p><a href="https://acme.test/s/q8Zk?x=1&amp;y=2">Sign in to Acme</a><a href="https://acme.test/privacy">Privacy</a>';
    assert.deepEqual(parseOtpContent(html), { code: 'https://acme.test/s/q8Zk?x=1&y=2', otpType: 'magic_link' });
    assert.deepEqual(parseOtpContent('https://acme.test/login/callback?t=1234567890'), { code: 'https://acme.test/login/callback?t=1234567890', otpType: 'magic_link' });
  });

  it('finds nothing in content without a code or a link', () => {
    assert.equal(parseOtpContent('Thanks for your order! We will let you know when it ships.'), null);
    assert.equal(parseOtpContent('   '), null);
    assert.equal(parseOtpContent('Your appointment is on 2024-05-06 at 10:30 with Dr. Smith'), null);
  });

  it('is deterministic', () => {
    const text = 'Your verification code is 482913 or use 111222 if that fails';
    assert.deepEqual(parseOtpContent(text), parseOtpContent(text));
    assert.equal(parseOtpContent(text)?.code, '482913');
  });
});

describe('normalizeTotpIdentifier', () => {
  it('lowercases and trims emails, trims everything else', () => {
    assert.equal(normalizeTotpIdentifier('  Ada.Lovelace@Example.COM '), 'ada.lovelace@example.com');
    assert.equal(normalizeTotpIdentifier(' +1 415 555 0123 '), '+1 415 555 0123');
    assert.equal(normalizeTotpIdentifier('User_ABC'), 'User_ABC');
  });
});
