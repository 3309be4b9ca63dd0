import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { isLocalOperator, isLoopbackAddress } from '../../src/http/local-operator.js';

describe('isLoopbackAddress()', () => {
  const cases = [
    { what: 'IPv4 loopback', input: '127.0.0.1', expected: true },
    { what: 'anywhere in 127/8', input: '127.10.20.30', expected: true },
    { what: 'IPv6 loopback', input: '::1', expected: true },
    { what: 'IPv4 loopback on a dual-stack socket', input: '::ffff:127.0.0.1', expected: true },
    { what: 'a LAN address', input: '192.168.1.20', expected: false },
    { what: 'a mapped LAN address', input: '::ffff:10.0.0.1', expected: false },
    { what: 'a public IPv6 address', input: '2001:db8::1', expected: false },
    { what: 'a name that starts like loopback', input: '127.0.0.1.example.com', expected: false },
    { what: 'a mapped loopback address in capitals', input: '::FFFF:127.1.2.3', expected: true },
    { what: 'the address after 127/8', input: '128.0.0.1', expected: false },
    { what: 'a longer first octet', input: '1127.0.0.1', expected: false },
    { what: 'the address after ::1', input: '::2', expected: false },
    { what: 'a link-local address', input: 'fe80::1', expected: false },
    { what: 'an empty address', input: '', expected: false },
    { what: 'no address (socket already closed)', input: undefined, expected: false },
  ];
  for (const { what, input, expected } of cases) {
    it(`answers ${expected} for ${what}`, () => assert.equal(isLoopbackAddress(input), expected));
  }
});

describe('isLocalOperator()', () => {
  const requestFrom = (remoteAddress: string, headers: Record<string, string> = {}) =>
    ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;
  const cases = [
    { what: 'curl on the machine', req: requestFrom('127.0.0.1'), expected: true },
    { what: 'another machine', req: requestFrom('198.51.100.7'), expected: false },
    { what: 'a request relayed by a local proxy (X-Forwarded-For)', req: requestFrom('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), expected: false },
    { what: 'a request relayed by a local proxy (Forwarded)', req: requestFrom('127.0.0.1', { forwarded: 'for=203.0.113.9' }), expected: false },
    { what: 'a request relayed by a local proxy (X-Real-IP)', req: requestFrom('::1', { 'x-real-ip': '203.0.113.9' }), expected: false },
    { what: 'another site\'s page in a local browser', req: requestFrom('127.0.0.1', { 'sec-fetch-site': 'cross-site' }), expected: false },
  ];
  for (const { what, req, expected } of cases) {
    it(`answers ${expected} for ${what}`, () => assert.equal(isLocalOperator(req), expected));
  }
});
