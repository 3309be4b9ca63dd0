import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addressBlock, canonicalIp } from '../../src/http/ip-address.js';

/** The WHATWG URL parser's spelling of an IPv6 address (RFC 5952, but IPv4-mapped ones in hex). */
const urlSpelling = (ipv6: string) => new URL(`http://[${ipv6}]`).hostname.slice(1, -1);

describe('canonicalIp()', () => {
  const cases = [
    { what: 'an IPv4 address', input: '203.0.113.7', expected: '203.0.113.7' },
    { what: 'an IPv4-mapped address (a dual-stack socket\'s IPv4 peer)', input: '::ffff:203.0.113.7', expected: '203.0.113.7' },
    { what: 'an IPv4-mapped address in hex and capitals', input: '::FFFF:CB00:7107', expected: '203.0.113.7' },
    { what: 'IPv6 loopback written out', input: '0:0:0:0:0:0:0:1', expected: '::1' },
    { what: 'IPv6 with capitals and leading zeros', input: '2001:0DB8:0000:0000:0001:0000:0000:0001', expected: '2001:db8::1:0:0:1' },
    { what: 'IPv6 whose longest zero run is not the first', input: '2001:db8:0:1:0:0:0:1', expected: '2001:db8:0:1::1' },
    { what: 'IPv6 with a single zero group (no ::)', input: '2001:db8:0:1:1:1:1:1', expected: '2001:db8:0:1:1:1:1:1' },
    { what: 'IPv6 with an IPv4 tail that is not mapped', input: '64:ff9b::192.0.2.33', expected: '64:ff9b::c000:221' },
    { what: 'a link-local address with a zone', input: 'fe80::1%eth0', expected: 'fe80::1' },
    { what: 'the unspecified address', input: '::', expected: '::' },
    { what: 'IPv4 with a leading zero', input: '203.0.113.07', expected: undefined },
    { what: 'a host name', input: 'localhost', expected: undefined },
    { what: 'an address with a port', input: '203.0.113.7:80', expected: undefined },
    { what: 'an empty string', input: '', expected: undefined },
  ];
  for (const { what, input, expected } of cases) {
    it(`gives ${String(expected)} for ${what}`, () => assert.equal(canonicalIp(input), expected));
  }

  it('gives every spelling of an IPv6 address one spelling, the one the URL parser gives', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const canonical = canonicalIp(address);
        assert.ok(canonical !== undefined && isIP(canonical) !== 0, `${address} -> ${canonical}`);
        assert.equal(canonicalIp(canonical), canonical);
        assert.equal(canonicalIp(address.toUpperCase()), canonical);
        assert.equal(urlSpelling(isIP(canonical) === 4 ? `::ffff:${canonical}` : canonical), urlSpelling(address));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws, and gives a valid address or undefined, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.ipV4Extended(), fc.ipV6().map((a) => `${a}%x`)), (text) => {
        const canonical = canonicalIp(text);
        if (canonical !== undefined) assert.notEqual(isIP(canonical), 0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('addressBlock()', () => {
  it('keeps an IPv4 address as it is', () => assert.equal(addressBlock('203.0.113.7'), '203.0.113.7'));
  it('gives the /64 network of an IPv6 address', () => assert.equal(addressBlock('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64'));
  it('gives one block for every address of one /64', () => {
    assert.equal(addressBlock('2001:db8::1'), addressBlock('2001:db8::ffff:1234:5678:9abc'));
  });
});
