import { isIPv4 } from 'net';

/**
 * True for an IPv4 (prefix 0-32) or IPv6 (prefix 0-128) CIDR, as Kubernetes' `ipBlock.cidr` and
 * a Service's `loadBalancerSourceRanges` take (Go's `net.ParseCIDR`: no zone such as `%eth0`).
 * @internal
 */
export function isCidr(cidr: unknown): boolean {
  const m = typeof cidr === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(cidr) : null;
  if (!m) return false;
  const prefix = Number(m[2]);
  if (isIPv4(m[1])) return prefix <= 32;
  return isIPv6Address(m[1]) && prefix <= 128;
}

/**
 * An IPv6 address without a zone, read by the WHATWG URL parser built into Node.js. It accepts
 * exactly what `net.isIPv6` accepts, but for zones (test/cidr.test.ts compares them), and costs
 * nothing to start: `net.isIPv6` compiles a large regular expression on first use (about 3 ms of
 * a synth, docs/development/performance.md).
 */
function isIPv6Address(text: string): boolean {
  // Hex digits, colons and the dots of an IPv4 tail only: nothing that could end the URL's host,
  // and no tab or line break, which the URL parser removes before it reads the host.
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}
