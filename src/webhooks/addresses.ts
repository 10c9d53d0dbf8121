/**
 * Where a webhook may go (SSRF): HTTPS only, and never to an address of our own network, checked
 * when a subscription is saved and again at every delivery, on every address the name resolves to
 * (DNS can change). The delivery connects to the address that was checked (`safeLookup`), so a
 * second resolution cannot swap it. WEBHOOK_ALLOW_PRIVATE_URLS=true (tests and development only)
 * also accepts plain HTTP and loopback addresses; the other private ranges stay refused.
 */
import dns from 'node:dns';
import net from 'node:net';

/** Ranges no webhook may reach: [address, prefix length]. */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
// IPv4-mapped addresses (::ffff:a.b.c.d) are checked as the IPv4 address they carry (mappedV4):
// node's BlockList checks IPv4 addresses against IPv6 rules in that form, so no rule covers them.
const BLOCKED_V6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated, ::a.b.c.d)
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT)
  ['64:ff9b::', 96], // NAT64 (reaches IPv4 addresses)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (reaches IPv4 addresses)
  ['fc00::', 7], // unique local (incl. fd00:ec2::254, cloud metadata)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
];

const blocked = new net.BlockList();
for (const [address, prefix] of BLOCKED_V4) blocked.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of BLOCKED_V6) blocked.addSubnet(address, prefix, 'ipv6');
const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`), if it is one. */
function mappedV4(address: string): string | undefined {
  const match = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match) return match[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/**
 * Why `address` (an IP) may not receive a webhook, or undefined when it may. Refusals say only
 * "not a public address": which range it fell in is nobody's business but ours.
 */
export function refusedAddress(address: string, allowLoopback: boolean): string | undefined {
  const family = net.isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const v4 = family === 6 ? mappedV4(address) : address;
  const [checked, type] = v4 ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  if (allowLoopback && loopback.check(checked, type)) return undefined;
  if (blocked.check(checked, type)) return `${address} is not a public address`;
  return undefined;
}

export interface UrlCheckOptions {
  allowPrivateUrls: boolean;
}

/** Why `value` is no acceptable webhook URL by its text alone, or undefined. Returns the URL too. */
export function checkUrlText(value: unknown, options: UrlCheckOptions): { url?: URL; problem?: string } {
  if (typeof value !== 'string' || value.trim() === '') return { problem: 'url must be an HTTPS URL' };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { problem: 'url must be an absolute HTTPS URL' };
  }
  const schemes = options.allowPrivateUrls ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) return { problem: 'url must use https' };
  if (url.username || url.password) return { problem: 'url must not carry a user name or password' };
  if (!url.hostname) return { problem: 'url must name a host' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) {
    const refused = refusedAddress(host, options.allowPrivateUrls);
    if (refused) return { problem: `url is refused: ${refused}` };
  }
  return { url };
}

/**
 * Every address `hostname` resolves to; refuses the name if any of them is refused, without
 * naming it (staff must not learn where internal names resolve).
 */
export async function resolveChecked(
  hostname: string,
  options: UrlCheckOptions,
): Promise<{ address: string; family: number }[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host)
    ? [{ address: host, family: net.isIP(host) }]
    : await dns.promises.lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`${host} does not resolve`);
  if (addresses.some(({ address }) => refusedAddress(address, options.allowPrivateUrls)))
    throw new Error(`${host} is not a public address`);
  return addresses;
}

/** Why `value` is no acceptable webhook URL (text, then every address it resolves to), or undefined. */
export async function checkUrl(value: unknown, options: UrlCheckOptions): Promise<string | undefined> {
  const { url, problem } = checkUrlText(value, options);
  if (!url) return problem;
  try {
    await resolveChecked(url.hostname, options);
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code
      ? `${url.hostname} does not resolve`
      : (error as Error).message;
    return `url is refused: ${message}`;
  }
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request: resolves, refuses the name if any address is refused, and hands the
 * connection exactly the addresses it checked.
 */
export function safeLookup(options: UrlCheckOptions) {
  return (hostname: string, lookupOptions: dns.LookupOptions, callback: LookupCallback): void => {
    resolveChecked(hostname, options).then(
      (addresses) => {
        const family = lookupOptions.family;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0)
          return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), '');
        if (lookupOptions.all) return callback(null, usable);
        callback(null, usable[0].address, usable[0].family);
      },
      (error: Error) =>
        callback(Object.assign(error, { code: (error as NodeJS.ErrnoException).code ?? 'EREFUSED' }), ''),
    );
  };
}
