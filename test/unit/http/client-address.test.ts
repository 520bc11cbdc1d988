import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveClient, trustedProxies } from '../../../src/http/client-address.js';

describe('resolveClient', () => {
  const proxies = trustedProxies(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);

  it('believes X-Forwarded-For only from a trusted proxy', () => {
    assert.equal(resolveClient('10.1.2.3', '198.51.100.7', proxies), '198.51.100.7');
    assert.equal(
      resolveClient('192.0.2.1', '198.51.100.7', proxies),
      '192.0.2.1',
      'an untrusted peer cannot name another client',
    );
    assert.equal(resolveClient('10.1.2.3', undefined, proxies), '10.1.2.3');
    assert.equal(
      resolveClient('10.1.2.3', '198.51.100.7', trustedProxies([])),
      '10.1.2.3',
      'no proxies trusted by default',
    );
  });

  it('takes the right-most hop that is not a trusted proxy: what the client wrote to its left may be forged', () => {
    assert.equal(resolveClient('10.1.2.3', '203.0.113.9, 198.51.100.7', proxies), '198.51.100.7');
    assert.equal(
      resolveClient('10.1.2.3', '198.51.100.7, 10.9.9.9', proxies),
      '198.51.100.7',
      'a chain of trusted proxies is walked through',
    );
    assert.equal(
      resolveClient('127.0.0.1', '10.0.0.2,10.0.0.3', proxies),
      '127.0.0.1',
      'only proxies: the peer is all we know',
    );
  });

  it('reads IPv4-mapped and IPv6 peers, and ignores a header that is not addresses', () => {
    assert.equal(resolveClient('::ffff:10.0.0.5', '::ffff:198.51.100.7', proxies), '198.51.100.7');
    assert.equal(resolveClient('fd00::1', '2001:db8::5', proxies), '2001:db8::5');
    assert.equal(resolveClient('10.1.2.3', 'unknown, <script>', proxies), '10.1.2.3');
  });
});
