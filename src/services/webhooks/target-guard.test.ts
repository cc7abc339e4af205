import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../domain/errors.ts';
import { createTargetGuard, type LookupFn } from './target-guard.ts';

// A fake DNS: the guard must judge the addresses a name resolves to, not the name.
const dnsTable: Record<string, string[]> = {
  'receiver.example': ['93.184.216.34'],
  'rebound.example': ['93.184.216.34', '169.254.169.254'],
  'mapped.example': ['::ffff:169.254.169.254'],
  'aws6.example': ['fd00:ec2::254'],
  'aliyun.example': ['100.100.100.200'],
  'localhost': ['127.0.0.1', '::1'],
  'intranet.example': ['10.1.2.3'],
};
const fakeLookup: LookupFn = (host, _opts, cb) => {
  const addrs = dnsTable[host];
  if (!addrs) return cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []);
  cb(null, addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
};

const refused = (p: Promise<void>) => assert.rejects(p, (e: unknown) => e instanceof BadRequestError && /refused/.test((e as Error).message));

describe('webhook target guard', () => {
  const guard = createTargetGuard({ deny: [], allow: [] }, fakeLookup);

  it('allows public hosts and loopback by default', async () => {
    await guard.check('https://receiver.example/hook');
    await guard.check('http://localhost:8080/hook');
    await guard.check('http://127.0.0.1:9/hook');
    await guard.check('http://intranet.example/hook');
  });

  it('refuses metadata addresses, literal or behind a name', async () => {
    await refused(guard.check('http://169.254.169.254/latest/meta-data'));
    await refused(guard.check('http://[fd00:ec2::254]/'));
    await refused(guard.check('http://100.100.100.200/'));
    await refused(guard.check('http://metadata.google.internal/computeMetadata/v1/'));
    await refused(guard.check('http://rebound.example/'));
    await refused(guard.check('http://mapped.example/'));
    await refused(guard.check('http://aws6.example/'));
    await refused(guard.check('http://aliyun.example/'));
  });

  it('leaves unresolvable names to the POST (a retryable network error), not a refusal', async () => {
    await guard.check('http://nowhere.example/');
  });

  it('applies the deny list to names, suffixes and CIDRs, and the allow list over everything', async () => {
    const strict = createTargetGuard({ deny: ['10.0.0.0/8', '*.corp.example', 'localhost'], allow: ['rebound.example'] }, fakeLookup);
    await refused(strict.check('http://intranet.example/'));
    await refused(strict.check('http://build.corp.example/'));
    await refused(strict.check('http://localhost/'));
    await strict.check('http://rebound.example/');
    await strict.check('http://receiver.example/');
  });

  it('pins the same check into the socket lookup', async () => {
    const lookup = (host: string, opts: object) => new Promise<unknown>((ok, fail) => guard.lookup(host, opts, (err: Error | null, ...rest: unknown[]) => (err ? fail(err) : ok(rest))));
    assert.deepEqual(await lookup('receiver.example', {}), ['93.184.216.34', 4]);
    assert.deepEqual(await lookup('localhost', { all: true }), [[{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]]);
    await assert.rejects(lookup('rebound.example', { all: true }), BadRequestError);
  });
});
