import { isIPv6 } from 'net';
import * as fc from 'fast-check';
import { isCidr } from '../src/common/cidr';

describe('isCidr', () => {
  test.each([
    ['10.0.0.0/8', true], ['0.0.0.0/0', true], ['10.244.0.0/32', true], ['10.244.0.0/33', false],
    ['::/0', true], ['fd00::/8', true], ['2001:db8::/128', true], ['2001:db8::/129', false],
    ['::ffff:10.0.0.0/104', true], ['1:2:3:4:5:6:7:8/64', true], ['1:2:3:4:5:6:7:8:9/64', false],
    // Go's net.ParseCIDR takes no zone, and neither does Kubernetes.
    ['fe80::1%eth0/64', false],
    ['010.0.0.0/8', false], ['10.0.0/8', false], ['10.0.0.0', false], ['10.0.0.0/', false], ['10.0.0.0/1234', false],
    ['[::1]/128', false], ['::1]/128', false], ['host/8', false], ['', false],
    // Only the whole text: no leading path, no trailing characters.
    ['a/10.0.0.0/8', false], ['10.0.0.0/8x', false], ['x::1/64', false], ['::1/64x', false],
    // The URL parser drops tabs and line breaks anywhere: they must not slip through it.
    ['\t::1/64', false], ['::1\t/64', false], ['::\t1/64', false], ['::\n1/64', false],
  ])('%s -> %s', (cidr, expected) => {
    expect(isCidr(cidr)).toBe(expected);
  });

  test('refuses what is not a string', () => {
    for (const v of [undefined, null, 8, ['10.0.0.0/8'], { cidr: '10.0.0.0/8' }]) expect(isCidr(v)).toBe(false);
  });

  test('an IPv6 prefix is read as net.isIPv6 reads it (zones apart)', () => {
    const piece = fc.constantFrom('', '0', '1', 'ffff', 'FFFF', '00000', '12345', 'g', '::', ':', '1.2.3.4', '01.2.3.4', '256.1.1.1', '1.2.3', 'abcd', '0db8', ']', '/', ' ', '\t', '\n', '\r');
    const address = fc.array(fc.tuple(fc.boolean(), piece), { minLength: 1, maxLength: 10 })
      .map((ps) => ps.map(([colon, p]) => (colon ? ':' : '') + p).join(''))
      .filter((s) => s.includes(':') && !s.includes('/'));
    fc.assert(fc.property(address, (a) => {
      expect(isCidr(`${a}/64`)).toBe(isIPv6(a));
    }), { numRuns: 20_000 });
  });
});
