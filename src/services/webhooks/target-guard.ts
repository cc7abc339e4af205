import dns from 'node:dns';
import { BadRequestError } from '../../domain/errors.ts';
import { checkAddress, checkHost, createPolicy } from '../../domain/outbound-policy.ts';

// Webhook targets are user input that the server POSTs to from inside its network. They follow
// the one outbound policy (docs/outbound-policy.md: metadata and link-local refused, private and
// loopback allowed unless BLOCK_PRIVATE_NETWORKS=true, OUTBOUND_ALLOW/DENY_HOSTS), plus the
// webhook-only WEBHOOK_DENY_HOSTS / WEBHOOK_ALLOW_HOSTS (same syntax and precedence: deny wins).
// The check runs at delivery time, on the addresses the socket will really connect to (the same
// lookup is pinned into the request), because DNS can change after a run was accepted.

export type LookupFn = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

/** Node's socket `lookup` option: validates every address before any connection is made. */
export type PinnedLookup = (hostname: string, options: dns.LookupOptions, callback: (...args: any[]) => void) => void;

export interface TargetGuard {
  /** Throws BadRequestError when the URL's host is refused or resolves to a refused address. */
  check(url: string): Promise<void>;
  lookup: PinnedLookup;
}

export interface OutboundLists { blockPrivateNetworks?: boolean; allowHosts?: string[]; denyHosts?: string[] }

export function createTargetGuard(
  opts: { deny: string[]; allow: string[]; outbound?: OutboundLists },
  lookupAll: LookupFn = dns.lookup as unknown as LookupFn,
): TargetGuard {
  const policy = createPolicy({
    blockPrivateNetworks: opts.outbound?.blockPrivateNetworks,
    allowHosts: [...(opts.outbound?.allowHosts ?? []), ...opts.allow],
    denyHosts: [...(opts.outbound?.denyHosts ?? []), ...opts.deny],
  });
  const LABEL = 'webhook';

  function resolve(rawHost: string, callback: (err: Error | null, addresses: dns.LookupAddress[]) => void) {
    const first = checkHost(policy, rawHost, LABEL);
    if (!first.ok) return callback(new BadRequestError(first.reason), []);
    const host = first.host.host;
    if (!first.needsResolve) return callback(null, [{ address: host, family: host.includes(':') ? 6 : 4 }]);
    lookupAll(host, { all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = addresses.map((a) => checkAddress(policy, host, a.address, LABEL)).find((d) => !d.ok);
      callback(refused && !refused.ok ? new BadRequestError(refused.reason) : null, refused ? [] : addresses);
    });
  }

  return {
    check(url) {
      let host: string;
      try { host = new URL(url).hostname; } catch { return Promise.reject(new BadRequestError(`Invalid webhook URL: ${url}`)); }
      return new Promise((ok, fail) => resolve(host, (err) => {
        // A name that does not resolve is not refused here: the POST fails and is retried.
        if (err instanceof BadRequestError) fail(err); else ok();
      }));
    },
    lookup(hostname, options, callback) {
      resolve(hostname, (err, addresses) => {
        if (err) return callback(err);
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        const list = wanted.length ? wanted : addresses;
        if (options.all) return callback(null, list);
        callback(null, list[0].address, list[0].family);
      });
    },
  };
}
