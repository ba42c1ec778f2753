/**
 * Which addresses the crawler may connect to (SSRF protection).
 *
 * A target URL comes from a config file or a crawled page (a "next" link, a redirect), so it
 * must not be able to make voc talk to the machine it runs on, the intranet behind it, or the
 * cloud metadata endpoint. The rules: only http(s), no credentials in the URL, and every address
 * a host name resolves to must be public unless the target explicitly allows private ones.
 * The checked address is then pinned for the connection (`pinnedLookup`), so a second DNS
 * answer cannot swap in another address between the check and the connect (DNS rebinding).
 */
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { RefusedUrlError, type Bilingual } from '../core/errors.js';

/** Category of an IP address; everything but `public` is refused by default. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'multicast'
  | 'unspecified'
  | 'reserved'
  | 'metadata';

/** Address classes that `allowPrivate` unlocks (an intranet or a test server may live there). */
const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'link_local', 'cgnat']);

/** Cloud metadata endpoints: never a crawl source, refused even with `allowPrivate`. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

function blockList(rules: Array<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const list = new BlockList();
  for (const [net, prefix, family] of rules) list.addSubnet(net, prefix, family);
  return list;
}

// Order matters only for naming: the first list that matches gives the class.
const CLASS_RULES: Array<[AddressClass, BlockList]> = [
  ['unspecified', blockList([['0.0.0.0', 32, 'ipv4'], ['::', 128, 'ipv6']])],
  ['loopback', blockList([['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']])],
  [
    'private',
    blockList([
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ]),
  ],
  ['link_local', blockList([['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']])],
  ['cgnat', blockList([['100.64.0.0', 10, 'ipv4']])],
  ['multicast', blockList([['224.0.0.0', 4, 'ipv4'], ['ff00::', 8, 'ipv6']])],
  [
    'reserved',
    blockList([
      ['0.0.0.0', 8, 'ipv4'], // "this network"
      ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
      ['192.0.2.0', 24, 'ipv4'], // documentation
      ['198.18.0.0', 15, 'ipv4'], // benchmarking
      ['198.51.100.0', 24, 'ipv4'],
      ['203.0.113.0', 24, 'ipv4'],
      ['240.0.0.0', 4, 'ipv4'], // reserved + broadcast
      ['100::', 64, 'ipv6'], // discard
      ['2001:db8::', 32, 'ipv6'], // documentation
      ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
    ]),
  ],
];

/**
 * Classifies an IP address literal. IPv4-mapped (`::ffff:10.0.0.1`) and NAT64 (`64:ff9b::a00:1`)
 * IPv6 addresses are classified by the IPv4 address they carry. Not an IP -> `reserved`.
 *
 * @example classifyAddress('169.254.169.254') // 'metadata'
 */
export function classifyAddress(ip: string): AddressClass {
  const address = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  const family = isIP(address);
  if (family === 0) return 'reserved';
  if (family === 6) {
    const embedded = embeddedIPv4(address);
    if (embedded) return classifyAddress(embedded);
  }
  if (METADATA_ADDRESSES.has(address)) return 'metadata';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [cls, list] of CLASS_RULES) if (list.check(address, type)) return cls;
  return 'public';
}

/** The IPv4 address inside an IPv4-mapped, IPv4-compatible or NAT64 IPv6 address, if any. */
function embeddedIPv4(v6: string): string | undefined {
  const groups = expandIPv6(v6);
  if (!groups) return undefined;
  const isZero = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  const mapped = isZero(0, 5) && groups[5] === 0xffff; // ::ffff:a.b.c.d
  const compatible = isZero(0, 6) && (groups[6]! !== 0 || groups[7]! > 1); // ::a.b.c.d (deprecated), not :: or ::1
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && isZero(2, 6); // 64:ff9b::a.b.c.d
  if (!mapped && !compatible && !nat64) return undefined;
  const hi = groups[6]!;
  const lo = groups[7]!;
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** Eight 16-bit groups of an IPv6 literal (handles `::` and a dotted IPv4 tail). */
function expandIPv6(v6: string): number[] | undefined {
  let text = v6;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const o = dotted[1]!.split('.').map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...new Array<number>(Math.max(fill, 0)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** Whether `cls` may be connected to, given the target's private-address allowance. */
export function isAllowedClass(cls: AddressClass, allowPrivate: boolean): boolean {
  return cls === 'public' || (allowPrivate && PRIVATE_CLASSES.has(cls));
}

const CLASS_WORDS: Record<AddressClass, Bilingual> = {
  public: { en: 'public address', zh: '公网地址' },
  loopback: { en: 'loopback address', zh: '回环地址' },
  private: { en: 'private address', zh: '私有地址' },
  link_local: { en: 'link-local address', zh: '链路本地地址' },
  cgnat: { en: 'carrier-grade NAT address', zh: '运营商级 NAT 地址' },
  multicast: { en: 'multicast address', zh: '组播地址' },
  unspecified: { en: 'unspecified address', zh: '未指定地址' },
  reserved: { en: 'reserved address', zh: '保留地址' },
  metadata: { en: 'cloud metadata address', zh: '云元数据地址' },
};

/** Why an address is refused, in words a user can act on. */
function refusalReason(ip: string, cls: AddressClass, host: string): Bilingual {
  const words = CLASS_WORDS[cls];
  const where = isIP(host) ? { en: `is a ${words.en}`, zh: `是${words.zh}` } : { en: `resolves to ${words.en} ${ip}`, zh: `解析到${words.zh} ${ip}` };
  if (PRIVATE_CLASSES.has(cls))
    return {
      en: `${where.en}; add the host to crawler.allowPrivateHosts in the config (or set allowPrivate: true on a target written in the config file) only if it is an intranet source you may crawl`,
      zh: `${where.zh}；只有当它是你有权抓取的内网来源时，才把该主机加入配置的 crawler.allowPrivateHosts（或在配置文件中写的抓取目标上设置 allowPrivate: true）`,
    };
  return { en: `${where.en}, which voc never crawls`, zh: `${where.zh}，voc 从不抓取这类地址` };
}

/**
 * Throws `RefusedUrlError` unless `ip` may be connected to.
 *
 * @example assertPublicAddress('10.0.0.1', 'http://10.0.0.1/', false) // throws "refused http://10.0.0.1/: is a private address; ..."
 */
export function assertPublicAddress(ip: string, url: string, allowPrivate: boolean, host = ip): void {
  const cls = classifyAddress(ip);
  if (!isAllowedClass(cls, allowPrivate)) throw new RefusedUrlError(url, refusalReason(ip, cls, host));
}

/**
 * Parses `url` and checks what can be checked without DNS: http(s) only, no user:password.
 * Returns the parsed URL.
 */
export function assertCrawlableUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RefusedUrlError(url, { en: 'not a valid absolute URL; expected http:// or https://', zh: '不是有效的完整 URL；应以 http:// 或 https:// 开头' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new RefusedUrlError(url, {
      en: `scheme "${parsed.protocol.replace(/:$/, '')}" is not crawled; only http:// and https:// are`,
      zh: `不抓取“${parsed.protocol.replace(/:$/, '')}”协议；只抓取 http:// 和 https://`,
    });
  if (parsed.username || parsed.password)
    throw new RefusedUrlError(url, {
      en: 'URLs with a user name or password are not crawled; remove the credentials from the URL',
      zh: '不抓取带用户名或密码的 URL；请从 URL 中去掉登录信息',
    });
  return parsed;
}

/** DNS resolver with the signature of `dns.lookup(host, { all: true })`; injectable for tests. */
export type ResolveAll = (host: string) => Promise<LookupAddress[]>;

/** `dns.lookup(host, { all: true })` as a promise (uses the OS resolver, like the connect would). */
export const systemResolveAll: ResolveAll = (host) =>
  new Promise((resolve, reject) => {
    dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

/**
 * Resolves the host of `url` and checks EVERY address (a name with one public and one private
 * address is refused: the connect could pick either). Returns the checked addresses, to be
 * pinned with `pinnedLookup`. IP-literal hosts are checked without DNS.
 * Throws `RefusedUrlError` (unsafe) or the resolver's error (e.g. ENOTFOUND).
 */
export async function resolvePublicAddresses(
  url: URL,
  allowPrivate: boolean,
  resolveAll: ResolveAll = systemResolveAll,
): Promise<LookupAddress[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal }] : await resolveAll(host);
  if (addresses.length === 0) throw new RefusedUrlError(url.href, { en: `host ${host} has no address`, zh: `主机 ${host} 没有地址` });
  for (const a of addresses) assertPublicAddress(a.address, url.href, allowPrivate, host);
  return addresses;
}

/**
 * A `lookup` for `http.request` that answers with the already-checked addresses instead of
 * asking DNS again, so the socket connects to exactly what was checked.
 */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  const lookup = (
    _host: string,
    options: LookupOneOptions | LookupAllOptions | number | undefined,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const opts = typeof options === 'object' && options ? options : {};
    const wanted = typeof options === 'number' ? options : (opts.family ?? 0);
    const family = wanted === 'IPv4' ? 4 : wanted === 'IPv6' ? 6 : wanted;
    const usable = family ? addresses.filter((a) => a.family === family) : addresses;
    const list = usable.length ? usable : addresses;
    // Node's happy-eyeballs connect (autoSelectFamily) asks for all addresses.
    if ((opts as LookupAllOptions).all) process.nextTick(callback, null, list);
    else process.nextTick(callback, null, list[0]!.address, list[0]!.family);
  };
  return lookup as unknown as LookupFunction;
}
