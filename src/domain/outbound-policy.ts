// The one outbound policy: which hosts and addresses the server (and the browsers it drives) may
// reach on behalf of a user. Pure rules; the only I/O is the resolver callers inject. Enforcement
// points (server-side fetches at connect time, browser routing) live in `src/net/outbound.ts`.
//
// Default: cloud metadata names/addresses and link-local ranges are refused; loopback and private
// ranges are allowed (self-hosters automate intranet apps), refused with BLOCK_PRIVATE_NETWORKS=true.
// OUTBOUND_ALLOW_HOSTS entries override the default refusals; OUTBOUND_DENY_HOSTS always refuses
// (deny wins over allow).

export const POLICY_DOC = 'docs/outbound-policy.md';

export type AddressKind = 'metadata' | 'link-local' | 'loopback' | 'unspecified' | 'private' | 'public';

export type NormalHost =
  | { kind: 'ipv4'; host: string }
  | { kind: 'ipv6'; host: string }
  | { kind: 'name'; host: string };

export interface HostRules {
  names: string[];
  /** `*.corp.example` → `.corp.example` */
  suffixes: string[];
  cidrs: Cidr[];
}

interface Cidr { v6: boolean; base: bigint; bits: number }

export interface OutboundPolicy {
  blockPrivateNetworks: boolean;
  allow: HostRules;
  deny: HostRules;
}

export type Decision = { ok: true } | { ok: false; reason: string };

export type Resolver = (host: string) => Promise<string[]>;

// ---------------------------------------------------------------------------------------------
// Normalisation

/**
 * An IPv4 literal in any form the WHATWG URL parser (and inet_aton) accepts: `2852039166`,
 * `0xA9FEA9FE`, `0251.0376.0251.0376`, `169.254.43518`. Null when it is not one.
 */
export function parseIPv4(text: string): string | null {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length < 1 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = Number(p);
    else return null;
    if (!Number.isFinite(n)) return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255)) return null;
  if (last >= 256 ** (4 - nums.length)) return null;
  let value = last;
  nums.forEach((n, i) => { value += n * 256 ** (3 - i); });
  return [24, 16, 8, 0].map((s) => Math.floor(value / 2 ** s) % 256).join('.');
}

const ipv4ToInt = (dotted: string) => dotted.split('.').reduce((acc, p) => acc * 256n + BigInt(Number(p)), 0n);
const intToIpv4 = (n: bigint) => [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');

/** 128-bit value of an IPv6 literal (zone id dropped), or null. */
export function parseIPv6(text: string): bigint | null {
  let s = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  if (!s.includes(':')) return null;
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    if (!dotted[1].split('.').every((p) => Number(p) <= 255)) return null;
    const n = ipv4ToInt(dotted[1]);
    s = `${s.slice(0, dotted.index + 1)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const valid = (g: string) => /^[0-9a-f]{1,4}$/.test(g);
  if (![...head, ...rest].every(valid)) return null;
  const known = head.length + rest.length;
  if (halves.length === 1 && known !== 8) return null;
  if (halves.length === 2 && known > 7) return null;
  const all = [...head.map((g) => BigInt(parseInt(g, 16))), ...Array(8 - known).fill(0n), ...rest.map((g) => BigInt(parseInt(g, 16)))];
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function formatIPv6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(16 * (7 - i))) & 0xffffn));
  // Longest run of zeros (≥ 2) becomes '::'.
  let best = -1; let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i; while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const MAPPED_PREFIX = 0xffffn << 32n; // ::ffff:0:0/96
const NAT64_PREFIX = 0x64ff9bn << 96n; // 64:ff9b::/96

/**
 * Host as the socket would see it: brackets and trailing dots dropped, lower case, IPv4 in every
 * numeric form made dotted-quad, IPv4-mapped IPv6 (`::ffff:169.254.169.254`, `::ffff:a9fe:a9fe`)
 * made the IPv4 address it is.
 */
export function normalizeHost(raw: string): NormalHost {
  const host = raw.trim().replace(/^\[|\]$/g, '').toLowerCase().replace(/\.+$/, '');
  const v6 = parseIPv6(host);
  if (v6 !== null) {
    if (v6 >> 32n === MAPPED_PREFIX >> 32n) return { kind: 'ipv4', host: intToIpv4(v6 & 0xffffffffn) };
    return { kind: 'ipv6', host: formatIPv6(v6) };
  }
  const v4 = parseIPv4(host);
  if (v4) return { kind: 'ipv4', host: v4 };
  return { kind: 'name', host };
}

// ---------------------------------------------------------------------------------------------
// Classification

function cidr(text: string): Cidr | null {
  const [base, bitsText] = text.split('/');
  const n = normalizeHost(base);
  if (n.kind === 'name') return null;
  const v6 = n.kind === 'ipv6';
  const width = v6 ? 128 : 32;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return null;
  const value = v6 ? parseIPv6(n.host)! : ipv4ToInt(n.host);
  return { v6, base: value >> BigInt(width - bits), bits };
}

function inCidr(c: Cidr, addr: NormalHost): boolean {
  if (addr.kind === 'name' || (addr.kind === 'ipv6') !== c.v6) return false;
  const width = c.v6 ? 128 : 32;
  const value = c.v6 ? parseIPv6(addr.host)! : ipv4ToInt(addr.host);
  return value >> BigInt(width - c.bits) === c.base;
}

const ranges = (list: string[]) => list.map((t) => cidr(t)!);

/** Cloud instance metadata services: they hand out the machine's credentials. */
export const METADATA_ADDRESSES = [
  '169.254.169.254', // AWS, Azure, GCP, OpenStack, DigitalOcean, Oracle (also 169.254.169.254)
  '169.254.170.2', // AWS ECS task credentials
  '169.254.170.23', // AWS EKS pod identity
  'fd00:ec2::254', // AWS IMDS over IPv6
  'fd00:ec2::23', // AWS EKS pod identity over IPv6
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud (legacy)
];
export const METADATA_NAMES = ['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal'];

const METADATA = ranges(METADATA_ADDRESSES);
const LINK_LOCAL = ranges(['169.254.0.0/16', 'fe80::/10']);
const LOOPBACK = ranges(['127.0.0.0/8', '::1/128']);
const UNSPECIFIED = ranges(['0.0.0.0/8', '::/128']);
const PRIVATE = ranges(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7']);

/** IPv4 inside NAT64 (`64:ff9b::a9fe:a9fe`) is judged as that IPv4 address. */
function embeddedIPv4(addr: NormalHost): NormalHost {
  if (addr.kind !== 'ipv6') return addr;
  const v = parseIPv6(addr.host)!;
  if (v >> 32n === NAT64_PREFIX >> 32n) return { kind: 'ipv4', host: intToIpv4(v & 0xffffffffn) };
  return addr;
}

export function classifyAddress(address: string): AddressKind {
  const addr = embeddedIPv4(normalizeHost(address));
  if (addr.kind === 'name') return 'public';
  const any = (list: Cidr[]) => list.some((c) => inCidr(c, addr));
  if (any(METADATA)) return 'metadata';
  if (any(LINK_LOCAL)) return 'link-local';
  if (any(LOOPBACK)) return 'loopback';
  if (any(UNSPECIFIED)) return 'unspecified';
  if (any(PRIVATE)) return 'private';
  return 'public';
}

const KIND_TEXT: Record<Exclude<AddressKind, 'public'>, string> = {
  metadata: 'a cloud metadata address',
  'link-local': 'a link-local address',
  loopback: 'a loopback address, refused with BLOCK_PRIVATE_NETWORKS=true',
  unspecified: 'an unspecified (this-host) address, refused with BLOCK_PRIVATE_NETWORKS=true',
  private: 'a private network address, refused with BLOCK_PRIVATE_NETWORKS=true',
};

// ---------------------------------------------------------------------------------------------
// Policy

/** Host names, `*.suffix` wildcards, IPs (any form above) and CIDRs; unusable entries are dropped. */
export function compileHostRules(entries: string[]): HostRules {
  const rules: HostRules = { names: [], suffixes: [], cidrs: [] };
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry.startsWith('*.')) { rules.suffixes.push(`.${normalizeHost(entry.slice(2)).host}`); continue; }
    if (entry.includes('/')) { const c = cidr(entry.replace(/^\[|\](?=\/)/g, '')); if (c) rules.cidrs.push(c); continue; }
    const n = normalizeHost(entry);
    if (n.kind === 'name') rules.names.push(n.host);
    else rules.cidrs.push(cidr(n.host)!);
  }
  return rules;
}

export function createPolicy(opts: { blockPrivateNetworks?: boolean; allowHosts?: string[]; denyHosts?: string[] } = {}): OutboundPolicy {
  return {
    blockPrivateNetworks: opts.blockPrivateNetworks ?? false,
    allow: compileHostRules(opts.allowHosts ?? []),
    deny: compileHostRules(opts.denyHosts ?? []),
  };
}

export const DEFAULT_POLICY = createPolicy();

let active: OutboundPolicy = DEFAULT_POLICY;
/** The process's policy, set once at start from config (`composition.ts`); tests may swap it. */
export function setActivePolicy(policy: OutboundPolicy): void { active = policy; }
export function activePolicy(): OutboundPolicy { return active; }

function matches(rules: HostRules, host: NormalHost): boolean {
  if (host.kind === 'name') return rules.names.includes(host.host) || rules.suffixes.some((s) => host.host.endsWith(s));
  return rules.cidrs.some((c) => inCidr(c, host));
}

const refusal = (label: string, text: string): Decision => ({ ok: false, reason: `${label} refused: ${text} (outbound policy; see ${POLICY_DOC})` });

/**
 * Judges a host before resolution: deny-listed names and IPs, metadata names, and IP literals.
 * `needsResolve` is true for names whose addresses still have to be checked.
 */
export function checkHost(policy: OutboundPolicy, rawHost: string, label = 'request'): Decision & { needsResolve?: boolean; host: NormalHost } {
  const host = normalizeHost(rawHost);
  if (!host.host) return { ...refusal(label, 'the URL has no host'), host };
  if (matches(policy.deny, host)) return { ...refusal(label, `${host.host} is on OUTBOUND_DENY_HOSTS`), host };
  if (host.kind === 'name') {
    if (matches(policy.allow, host)) return { ok: true, needsResolve: true, host };
    if (METADATA_NAMES.includes(host.host)) return { ...refusal(label, `${host.host} is a cloud metadata host`), host };
    return { ok: true, needsResolve: true, host };
  }
  return { ...checkAddress(policy, host.host, host.host, label), host };
}

/**
 * Judges one address `host` resolved to. `host` is the name the user gave (for the reason and
 * the allow list: an allow-listed name may resolve anywhere not deny-listed).
 */
export function checkAddress(policy: OutboundPolicy, host: string, address: string, label = 'request'): Decision {
  const name = normalizeHost(host);
  const addr = normalizeHost(address);
  const where = name.host === addr.host ? addr.host : `${name.host} resolves to ${addr.host},`;
  if (matches(policy.deny, addr)) return refusal(label, `${name.host === addr.host ? addr.host : `${name.host} resolves to ${addr.host}, which`} is on OUTBOUND_DENY_HOSTS`);
  if (matches(policy.allow, addr) || (name.kind === 'name' && matches(policy.allow, name))) return { ok: true };
  const kind = classifyAddress(addr.host);
  if (kind === 'public') return { ok: true };
  if ((kind === 'loopback' || kind === 'private' || kind === 'unspecified') && !policy.blockPrivateNetworks) return { ok: true };
  return refusal(label, `${name.host === addr.host ? `${addr.host} is` : where} ${KIND_TEXT[kind]}`);
}

/** The URL's host as `checkHost` wants it; null when the URL does not parse. */
export function hostOfUrl(url: string): string | null {
  try { return new URL(url).hostname; } catch { return null; }
}

/**
 * The whole check for one URL: parse, judge the host, resolve names with `resolve` and judge
 * EVERY address (one refused address refuses the URL: a later connection could pick it).
 * Resolution errors are not refusals (the request itself then fails as a network error).
 */
export async function checkUrl(url: string, resolve: Resolver, opts: { policy?: OutboundPolicy; label?: string } = {}): Promise<Decision> {
  const policy = opts.policy ?? active;
  const label = opts.label ?? 'request';
  const host = hostOfUrl(url);
  if (host === null) return { ok: false, reason: `${label} refused: ${url} is not a valid URL` };
  const first = checkHost(policy, host, label);
  if (!first.ok || !first.needsResolve) return first.ok ? { ok: true } : { ok: false, reason: first.reason };
  let addresses: string[];
  try { addresses = await resolve(first.host.host); } catch { return { ok: true }; }
  for (const address of addresses) {
    const d = checkAddress(policy, first.host.host, address, label);
    if (!d.ok) return d;
  }
  return { ok: true };
}
