/**
 * The admin session cookie is Secure whenever the browser reached the service over https:
 * directly, through a proxy that says so in X-Forwarded-Proto (any case, first value) or
 * RFC 7239 Forwarded (proto=https), and always when PUBLIC_URL is https, whatever the proxy
 * sends. Before, only an exact `X-Forwarded-Proto: https` counted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser, AdminClient } from '../browser/support.js';
import { SESSION_COOKIE } from '../../src/http/admin/session.js';
import { startTestNode, type TestNode } from '../factories.js';

async function sessionCookie(t: TestNode, headers: Record<string, string>): Promise<string> {
  const client = new AdminClient(t.url);
  const r = await client.login('kari', undefined, headers);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const cookie = r.setCookie.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  assert.ok(cookie, r.setCookie.join('\n'));
  return cookie;
}

describe('Secure session cookies behind a proxy', () => {
  let plain: TestNode;
  let https: TestNode;
  before(async () => {
    plain = await startTestNode();
    https = await startTestNode({ PUBLIC_URL: 'https://post.kommune.no' });
    for (const t of [plain, https]) await addUser(t, 'kari', 'admin');
  });
  after(async () => {
    await plain?.stop();
    await https?.stop();
  });

  it('follows what the proxy says of the scheme', async () => {
    assert.doesNotMatch(await sessionCookie(plain, {}), /;\s*Secure/i, 'plain http');
    for (const headers of <Record<string, string>[]>[
      { 'x-forwarded-proto': 'https' },
      { 'x-forwarded-proto': 'HTTPS' },
      { 'x-forwarded-proto': 'https, http' },
      { forwarded: 'for=192.0.2.1;proto=https;host=post.kommune.no' },
      { forwarded: 'for=192.0.2.1; Proto="https"' },
    ]) {
      assert.match(await sessionCookie(plain, headers), /;\s*Secure/i, JSON.stringify(headers));
    }
    assert.doesNotMatch(await sessionCookie(plain, { forwarded: 'for=192.0.2.1;proto=http' }), /;\s*Secure/i);
  });

  it('is always Secure when PUBLIC_URL is https', async () => {
    assert.match(await sessionCookie(https, {}), /;\s*Secure/i);
  });
});
