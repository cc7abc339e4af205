import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkHost, checkUrl, classifyAddress, createPolicy, normalizeHost, parseIPv4, type Resolver } from './outbound-policy.ts';

const dnsTable: Record<string, string[]> = {
  'public.example': ['93.184.216.34'],
  'rebound.example': ['93.184.216.34', '169.254.169.254'],
  'mapped.example': ['::ffff:169.254.169.254'],
  'aws6.example': ['fd00:ec2::254'],
  localhost: ['127.0.0.1', '::1'],
  'intranet.example': ['10.1.2.3'],
  'metadata.google.internal': ['169.254.169.254'],
};
const resolve: Resolver = async (host) => {
  const list = dnsTable[host];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list;
};

describe('outbound policy: normalisation', () => {
  it('reads every numeric IPv4 form', () => {
    assert.equal(parseIPv4('2852039166'), '169.254.169.254');
    assert.equal(parseIPv4('0xA9FEA9FE'), '169.254.169.254');
    assert.equal(parseIPv4('0251.0376.0251.0376'), '169.254.169.254');
    assert.equal(parseIPv4('0xa9.0xfe.0xa9.0xfe'), '169.254.169.254');
    assert.equal(parseIPv4('169.254.43518'), '169.254.169.254');
    assert.equal(parseIPv4('127.1'), '127.0.0.1');
    assert.equal(parseIPv4('169.254.169.254.'), '169.254.169.254');
    assert.equal(parseIPv4('4294967296'), null);
    assert.equal(parseIPv4('256.1.1.1'), null);
    assert.equal(parseIPv4('1.2.3.example'), null);
    assert.equal(parseIPv4('08.1.1.1'), null);
  });

  it('unwraps IPv4-mapped IPv6, drops brackets, trailing dots and case', () => {
    assert.deepEqual(normalizeHost('[::ffff:169.254.169.254]'), { kind: 'ipv4', host: '169.254.169.254' });
    assert.deepEqual(normalizeHost('::ffff:a9fe:a9fe'), { kind: 'ipv4', host: '169.254.169.254' });
    assert.deepEqual(normalizeHost('[0:0:0:0:0:ffff:a9fe:a9fe]'), { kind: 'ipv4', host: '169.254.169.254' });
    assert.deepEqual(normalizeHost('Metadata.Google.Internal.'), { kind: 'name', host: 'metadata.google.internal' });
    assert.deepEqual(normalizeHost('metadata.google.internal..'), { kind: 'name', host: 'metadata.google.internal' });
    assert.deepEqual(normalizeHost('FD00:EC2:0:0:0:0:0:254'), { kind: 'ipv6', host: 'fd00:ec2::254' });
    assert.deepEqual(normalizeHost('[fe80::1%eth0]'), { kind: 'ipv6', host: 'fe80::1' });
    assert.deepEqual(normalizeHost('::1'), { kind: 'ipv6', host: '::1' });
    assert.deepEqual(normalizeHost('0x7f000001'), { kind: 'ipv4', host: '127.0.0.1' });
  });

  it('classifies addresses', () => {
    for (const a of ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200', '192.0.0.192', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe'])
      assert.equal(classifyAddress(a), 'metadata', a);
    assert.equal(classifyAddress('169.254.1.1'), 'link-local');
    assert.equal(classifyAddress('fe80::1'), 'link-local');
    assert.equal(classifyAddress('127.0.0.1'), 'loopback');
    assert.equal(classifyAddress('::1'), 'loopback');
    assert.equal(classifyAddress('0.0.0.0'), 'unspecified');
    for (const a of ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fc00::1', 'fd12::1', '100.64.0.1', '100.127.255.255'])
      assert.equal(classifyAddress(a), 'private', a);
    for (const a of ['93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1', '8.8.8.8']) assert.equal(classifyAddress(a), 'public', a);
  });
});

describe('outbound policy: decisions', () => {
  const base = createPolicy();
  const refused = async (url: string, policy = base, pattern?: RegExp) => {
    const d = await checkUrl(url, resolve, { policy, label: 'http_request' });
    assert.equal(d.ok, false, `${url} should be refused`);
    if (!d.ok) {
      assert.match(d.reason, /^http_request refused: .*\(outbound policy; see docs\/outbound-policy\.md\)$/);
      if (pattern) assert.match(d.reason, pattern);
    }
  };
  const allowed = async (url: string, policy = base) => assert.deepEqual(await checkUrl(url, resolve, { policy, label: 'x' }), { ok: true }, url);

  it('refuses metadata and link-local in every disguise by default', async () => {
    await refused('http://169.254.169.254/latest/meta-data', base, /169\.254\.169\.254 is a cloud metadata address/);
    await refused('http://2852039166/');
    await refused('http://0xA9FEA9FE/');
    await refused('http://0251.0376.0251.0376/');
    await refused('http://[::ffff:169.254.169.254]/');
    await refused('http://[fd00:ec2::254]/');
    await refused('http://169.254.170.2/v2/credentials');
    await refused('http://100.100.100.200/');
    await refused('http://192.0.0.192/');
    await refused('http://169.254.1.2/', base, /a link-local address/);
    await refused('http://[fe80::1]/', base, /a link-local address/);
    await refused('http://metadata.google.internal./', base, /metadata\.google\.internal is a cloud metadata host/);
    await refused('http://METADATA.GOOG/');
    await refused('http://rebound.example/', base, /rebound\.example resolves to 169\.254\.169\.254, a cloud metadata address/);
    await refused('http://mapped.example/');
    await refused('http://aws6.example/');
  });

  it('allows public, loopback and private addresses by default; unresolvable names are left to the request', async () => {
    await allowed('https://public.example/');
    await allowed('http://127.0.0.1:8080/');
    await allowed('http://localhost/');
    await allowed('http://intranet.example/');
    await allowed('http://192.168.1.10/');
    await allowed('http://nowhere.example/');
  });

  it('BLOCK_PRIVATE_NETWORKS refuses loopback, private, CGNAT and 0.0.0.0', async () => {
    const strict = createPolicy({ blockPrivateNetworks: true });
    await refused('http://127.0.0.1/', strict, /127\.0\.0\.1 is a loopback address, refused with BLOCK_PRIVATE_NETWORKS=true/);
    await refused('http://localhost/', strict, /localhost resolves to 127\.0\.0\.1, a loopback address/);
    await refused('http://intranet.example/', strict, /a private network address/);
    await refused('http://100.64.1.1/', strict);
    await refused('http://0.0.0.0/', strict);
    await refused('http://[fd12::1]/', strict);
    await allowed('https://public.example/', strict);
  });

  it('allow list overrides the default refusals; deny list always wins', async () => {
    const p = createPolicy({
      blockPrivateNetworks: true,
      allowHosts: ['intranet.example', '169.254.169.254', '*.corp.example', '10.0.0.0/8', 'localhost'],
      denyHosts: ['127.0.0.1', 'evil.example', '*.bad.example', '192.168.0.0/16'],
    });
    await allowed('http://intranet.example/', p);
    await allowed('http://169.254.169.254/', p);
    await allowed('http://10.9.9.9/', p);
    await refused('http://localhost/', p, /localhost resolves to 127\.0\.0\.1, which is on OUTBOUND_DENY_HOSTS/);
    await refused('http://127.1/', p, /127\.0\.0\.1 is on OUTBOUND_DENY_HOSTS/);
    await refused('http://evil.example/', p, /evil\.example is on OUTBOUND_DENY_HOSTS/);
    await refused('http://x.bad.example/', p);
    await refused('http://192.168.4.4/', p);
    assert.equal(checkHost(p, 'EVIL.example.').ok, false);
  });
});
