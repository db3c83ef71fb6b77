import { isIP } from 'net';

/**
 * True for an IPv4 (prefix 0-32) or IPv6 (prefix 0-128) CIDR, as Kubernetes' `ipBlock.cidr` and
 * a Service's `loadBalancerSourceRanges` take.
 * @internal
 */
export function isCidr(cidr: unknown): boolean {
  const m = typeof cidr === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(cidr) : null;
  if (!m) return false;
  const version = isIP(m[1]);
  const prefix = Number(m[2]);
  return (version === 4 && prefix <= 32) || (version === 6 && prefix <= 128);
}
