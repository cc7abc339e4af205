import dns from 'node:dns';
import net from 'node:net';
import { BadRequestError } from '../../domain/errors.ts';
import { METADATA_HOSTS } from '../../domain/urls.ts';

// Webhook targets are user input that the server POSTs to from inside its network. Cloud metadata
// endpoints hand out credentials, so they are refused by default; operators add their own
// deny rules and exemptions. The check runs at delivery time, on the addresses the socket will
// really connect to (the same lookup is pinned into the request), because DNS can change after a
// run was accepted. Loopback and private ranges stay allowed: self-hosters and tests use them.

export type LookupFn = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

/** Node's socket `lookup` option: validates every address before any connection is made. */
export type PinnedLookup = (hostname: string, options: dns.LookupOptions, callback: (...args: any[]) => void) => void;

export interface TargetGuard {
  /** Throws BadRequestError when the URL's host is refused or resolves to a refused address. */
  check(url: string): Promise<void>;
  lookup: PinnedLookup;
}

interface Rules { names: string[]; addresses: net.BlockList }

const unbracket = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase();

/** `::ffff:169.254.169.254` is the IPv4 address in disguise. */
function plainAddress(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  return { address, family: net.isIPv6(address) ? 'ipv6' : 'ipv4' };
}

function compile(entries: string[]): Rules {
  const addresses = new net.BlockList();
  const names: string[] = [];
  for (const raw of entries) {
    const entry = unbracket(raw.trim());
    if (!entry) continue;
    const [base, prefix] = entry.split('/');
    const family = net.isIP(base);
    if (family && prefix !== undefined) addresses.addSubnet(base, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
    else if (family) addresses.addAddress(base, family === 6 ? 'ipv6' : 'ipv4');
    else names.push(entry);
  }
  return { names, addresses };
}

function nameMatches(rules: Rules, host: string): boolean {
  return rules.names.some((n) => (n.startsWith('*.') ? host.endsWith(n.slice(1)) : host === n));
}

function addressMatches(rules: Rules, address: string): boolean {
  const a = plainAddress(address);
  return rules.addresses.check(a.address, a.family);
}

export function createTargetGuard(opts: { deny: string[]; allow: string[] }, lookupAll: LookupFn = dns.lookup as unknown as LookupFn): TargetGuard {
  const deny = compile([...METADATA_HOSTS, ...opts.deny]);
  const allow = compile(opts.allow);

  function refusedAddress(host: string, address: string): BadRequestError | undefined {
    if (addressMatches(allow, address) || !addressMatches(deny, address)) return undefined;
    const what = host === address ? `address ${address} is blocked` : `${host} resolves to blocked address ${address}`;
    return new BadRequestError(`Webhook URL refused: ${what}`);
  }

  function resolve(host: string, callback: (err: Error | null, addresses: dns.LookupAddress[]) => void) {
    if (nameMatches(allow, host)) return lookupAll(host, { all: true }, callback);
    if (nameMatches(deny, host)) return callback(new BadRequestError(`Webhook URL refused: host ${host} is blocked`), []);
    if (net.isIP(host)) {
      const refused = refusedAddress(host, host);
      return callback(refused ?? null, refused ? [] : [{ address: host, family: net.isIP(host) }]);
    }
    lookupAll(host, { all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = addresses.map((a) => refusedAddress(host, a.address)).find(Boolean);
      callback(refused ?? null, refused ? [] : addresses);
    });
  }

  return {
    check(url) {
      let host: string;
      try { host = unbracket(new URL(url).hostname); } catch { return Promise.reject(new BadRequestError(`Invalid webhook URL: ${url}`)); }
      return new Promise((ok, fail) => resolve(host, (err) => {
        // A name that does not resolve is not refused here: the POST fails and is retried.
        if (err instanceof BadRequestError) fail(err); else ok();
      }));
    },
    lookup(hostname, options, callback) {
      resolve(unbracket(hostname), (err, addresses) => {
        if (err) return callback(err);
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        const list = wanted.length ? wanted : addresses;
        if (options.all) return callback(null, list);
        callback(null, list[0].address, list[0].family);
      });
    },
  };
}
