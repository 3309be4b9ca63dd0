import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hopAddress, ProxyTrust, UNKNOWN_CLIENT } from '../../src/http/client-address.js';
import { canonicalIp } from '../../src/http/ip-address.js';

const loopback = new ProxyTrust(['loopback']);
const listed = new ProxyTrust(['10.0.0.5', '2001:DB8::5']);
const nobody = new ProxyTrust([]);
const xff = (value: string) => ({ 'x-forwarded-for': value });

describe('ProxyTrust.clientOf()', () => {
  const cases = [
    { what: 'the peer when no proxy is trusted', trust: nobody, peer: '203.0.113.7', headers: xff('198.51.100.1'), expected: '203.0.113.7' },
    { what: 'the peer when the peer is not a trusted proxy', trust: loopback, peer: '203.0.113.7', headers: xff('198.51.100.1'), expected: '203.0.113.7' },
    { what: 'a trusted peer itself when it sends no X-Forwarded-For', trust: loopback, peer: '127.0.0.1', headers: {}, expected: '127.0.0.1' },
    { what: 'the hop nginx appended (one hop)', trust: loopback, peer: '127.0.0.1', headers: xff('198.51.100.1'), expected: '198.51.100.1' },
    { what: 'the right-most hop, not what the client wrote to its left', trust: loopback, peer: '127.0.0.1', headers: xff('1.1.1.1, 2.2.2.2, 198.51.100.1'), expected: '198.51.100.1' },
    { what: 'the first untrusted hop past trusted ones', trust: loopback, peer: '::1', headers: xff('198.51.100.1, 127.0.0.2,127.0.0.3'), expected: '198.51.100.1' },
    { what: 'a dual-stack socket\'s mapped loopback peer as trusted', trust: loopback, peer: '::ffff:127.0.0.1', headers: xff('198.51.100.1'), expected: '198.51.100.1' },
    { what: 'a listed proxy', trust: listed, peer: '::ffff:10.0.0.5', headers: xff('198.51.100.1'), expected: '198.51.100.1' },
    { what: 'a listed IPv6 proxy, however it is spelt', trust: listed, peer: '2001:db8:0::5', headers: xff('198.51.100.1'), expected: '198.51.100.1' },
    { what: 'loopback as untrusted when only addresses are listed', trust: listed, peer: '127.0.0.1', headers: xff('198.51.100.1'), expected: '127.0.0.1' },
    { what: 'the client\'s IPv6 address in canonical form', trust: loopback, peer: '127.0.0.1', headers: xff('2001:DB8:0:0:0:0:0:9'), expected: '2001:db8::9' },
    { what: 'a hop with a port', trust: loopback, peer: '127.0.0.1', headers: xff('198.51.100.1:5121'), expected: '198.51.100.1' },
    { what: 'a bracketed IPv6 hop with a port', trust: loopback, peer: '127.0.0.1', headers: xff('[2001:db8::9]:443'), expected: '2001:db8::9' },
    { what: 'the relaying proxy when the hop is not an address', trust: loopback, peer: '127.0.0.1', headers: xff('198.51.100.1, unknown'), expected: '127.0.0.1' },
    { what: 'the last trusted hop when garbage is to its left', trust: loopback, peer: '127.0.0.1', headers: xff('<script>, 127.0.0.9'), expected: '127.0.0.9' },
    { what: 'the last trusted hop when every hop is trusted', trust: loopback, peer: '127.0.0.1', headers: xff('127.0.0.8, 127.0.0.9'), expected: '127.0.0.8' },
    { what: 'the peer for an empty header', trust: loopback, peer: '127.0.0.1', headers: xff(''), expected: '127.0.0.1' },
    { what: 'the relaying proxy for empty elements', trust: loopback, peer: '127.0.0.1', headers: xff('198.51.100.1,,'), expected: '127.0.0.1' },
    { what: 'the right-most hop of repeated headers (joined by node)', trust: loopback, peer: '127.0.0.1', headers: { 'x-forwarded-for': ['1.1.1.1', '198.51.100.1'] }, expected: '198.51.100.1' },
    { what: 'unknown when the socket has no peer address', trust: loopback, peer: undefined, headers: xff('198.51.100.1'), expected: UNKNOWN_CLIENT },
  ];
  for (const { what, trust, peer, headers, expected } of cases) {
    it(`gives ${what}`, () => assert.equal(trust.clientOf(peer, headers), expected));
  }
});

describe('hopAddress()', () => {
  const cases = [
    { input: ' 198.51.100.1 ', expected: '198.51.100.1' },
    { input: '198.51.100.1:80', expected: '198.51.100.1' },
    { input: '198.51.100.1:', expected: undefined },
    { input: '198.51.100.1:http', expected: undefined },
    { input: '[2001:db8::1]', expected: '2001:db8::1' },
    { input: '[2001:db8::1]:8080', expected: '2001:db8::1' },
    { input: '[2001:db8::1]x', expected: undefined },
    { input: '[2001:db8::1', expected: undefined },
    { input: '[198.51.100.1]', expected: '198.51.100.1' },
    { input: 'unknown', expected: undefined },
    { input: '_hidden', expected: undefined },
  ];
  for (const { input, expected } of cases) {
    it(`reads ${JSON.stringify(input)} as ${String(expected)}`, () => assert.equal(hopAddress(input), expected));
  }
});

// Header values as a client could write them: addresses in every form, with ports and spaces, and junk.
const element = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 65535 })).map(([ip, port]) => `${ip}:${port}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 65535 })).map(([ip, port]) => `[${ip}]:${port}`),
  fc.constantFrom('127.0.0.1', '::1', '::ffff:127.0.0.1', '10.0.0.5', 'unknown', ''),
  fc.string({ maxLength: 20 }),
);
const header = fc.array(fc.tuple(element, fc.constantFrom(',', ', ', ' ,', ',\t')), { maxLength: 12 })
  .map((parts) => parts.map(([text, comma], i) => (i === 0 ? text : comma + text)).join(''));
const publicV4 = fc.ipV4().filter((ip) => !ip.startsWith('127.') && ip !== '10.0.0.5');
const trusts = fc.constantFrom(loopback, listed, new ProxyTrust(['loopback', '10.0.0.5']));

describe('ProxyTrust.clientOf() with any X-Forwarded-For', () => {
  it('never believes the header from a peer that is not trusted', () => {
    fc.assert(fc.property(trusts, publicV4, fc.oneof(header, fc.string()), (trust, peer, value) => {
      assert.equal(trust.clientOf(peer, xff(value)), peer);
    }), { numRuns: 2000 });
  });

  it('gives, from a trusted peer, the peer or a hop of the header, never throwing', () => {
    fc.assert(fc.property(trusts, fc.constantFrom('127.0.0.1', '::ffff:10.0.0.5', '::1'), fc.oneof(header, fc.string()), (trust, peer, value) => {
      const client = trust.clientOf(peer, xff(value));
      const hops = value.split(',').map(hopAddress);
      assert.ok(client === canonicalIp(peer) || hops.includes(client), `${client} is neither the peer nor a hop of ${JSON.stringify(value)}`);
    }), { numRuns: 2000 });
  });

  it('gives the right-most untrusted hop whatever the client wrote to its left', () => {
    fc.assert(fc.property(header, publicV4, fc.array(fc.constantFrom('127.0.0.1', '127.1.2.3', '::1'), { maxLength: 3 }), (written, client, proxies) => {
      // What each proxy in a chain of loopback proxies appends: the address it received the request from.
      const value = [written, client, ...proxies].join(', ');
      assert.equal(loopback.clientOf('127.0.0.1', xff(value)), client);
    }), { numRuns: 2000 });
  });

  it('reads a 64 KiB header of trusted hops in linear time', () => {
    const value = Array.from({ length: 6000 }, () => '127.0.0.1').join(',');
    const started = performance.now();
    assert.equal(loopback.clientOf('127.0.0.1', xff(value)), '127.0.0.1');
    const ms = performance.now() - started;
    assert.ok(ms < 200, `${ms.toFixed(0)} ms for ${value.length} bytes`);
  });
});
