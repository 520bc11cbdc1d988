/**
 * Maskinporten's JWKS behind a URL, through an outage of its endpoint: keys already fetched
 * keep working (for a day) while the endpoint answers 503, 429, an HTML page or nothing;
 * fetching again is tried at most every 30 s, not per request; each problem is reported
 * once; without keys the failure is 503 (TOKENNOKLER_UTILGJENGELIGE), never 401. The stand-in
 * serves the JWKS as Maskinporten's `/jwk` endpoint does (application/json, `{"keys": […]}`).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { JwksUrl } from '../../../src/app/fiks/jwks-url.js';
import { KeysUnavailableError, TokenError, tokenVerifier } from '../../../src/app/fiks/token-verifier.js';
import { makeToken, testKey, type TestKey } from '../../e2e/fiks-support.js';

const ISSUER = 'https://maskinporten.test/';
type Answer = 'jwks' | '503' | '429' | 'html' | 'not-jwks';

/** Maskinporten's key endpoint, whose answer the test chooses. */
async function keyEndpoint(keys: () => readonly TestKey[]) {
  let answer: Answer = 'jwks';
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches++;
    if (answer === 'jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: keys().map((k) => k.jwk) }));
    } else if (answer === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Planlagt vedlikehold</body></html>');
    } else if (answer === 'not-jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"error":"maintenance"}');
    } else {
      res.writeHead(Number(answer), { 'content-type': 'text/plain' });
      res.end('unavailable');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwk`),
    answer: (a: Answer) => void (answer = a),
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Resolves once `condition` holds (polled), or fails after 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !condition();) {
    if (Date.now() > deadline) assert.fail('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A moment for an answer on loopback to be taken in (a background fetch to end). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

describe('a JWKS URL through an outage of its endpoint', () => {
  let key: TestKey;
  let newKey: TestKey;
  let published: TestKey[];
  let endpoint: Awaited<ReturnType<typeof keyEndpoint>>;
  before(async () => {
    [key, newKey] = await Promise.all([testKey('mp-1'), testKey('mp-2')]);
    published = [key];
    endpoint = await keyEndpoint(() => published);
  });
  after(() => endpoint.close());

  /** A verifier on the endpoint with a clock the test moves; what it reports is kept. */
  function verifier() {
    let now = Date.now();
    const reported: unknown[] = [];
    const v = tokenVerifier(
      { navn: 'Maskinporten', jwks: endpoint.url.href, issuer: ISSUER },
      { now: () => now, onError: (e) => reported.push(e) },
    );
    return { v, reported, advance: (ms: number) => void (now += ms) };
  }

  for (const down of ['503', '429', 'html', 'not-jwks'] as const) {
    it(`keeps the keys it has while the endpoint answers ${down}, refreshing in the background every 30 s at most`, async () => {
      endpoint.answer('jwks');
      const { v, reported, advance } = verifier();
      const token = await makeToken(key, { issuer: ISSUER });
      assert.equal((await v.verify(token)).iss, ISSUER);
      endpoint.answer(down);
      advance(11 * 60_000); // past the 10 minutes the keys are fresh for
      const before = endpoint.fetches();
      for (let i = 0; i < 5; i++) assert.equal((await v.verify(token)).iss, ISSUER, 'the kept keys answer at once');
      await until(() => endpoint.fetches() - before === 1 && reported.length === 1);
      for (let i = 0; i < 5; i++) await v.verify(token);
      await settle();
      assert.equal(endpoint.fetches() - before, 1, 'one try, not one per request');
      advance(31_000);
      assert.equal((await v.verify(token)).iss, ISSUER);
      await until(() => endpoint.fetches() - before === 2);
      await settle();
      endpoint.answer('jwks');
      advance(31_000);
      assert.equal((await v.verify(token)).iss, ISSUER);
      await until(() => endpoint.fetches() - before === 3);
      assert.equal(reported.length, 1, 'the same problem reported once');
    });
  }

  it('answers 503, not 401, while it has no keys at all or only keys older than a day', async () => {
    endpoint.answer('503');
    const { v, advance } = verifier();
    const token = await makeToken(key, { issuer: ISSUER });
    await assert.rejects(
      v.verify(token),
      (e: Error) => e instanceof KeysUnavailableError && /Prøv igjen/.test(e.message),
    );
    endpoint.answer('jwks');
    advance(31_000);
    assert.equal((await v.verify(token)).iss, ISSUER);
    endpoint.answer('503');
    advance(24 * 3_600_000 + 1);
    await assert.rejects(v.verify(token), KeysUnavailableError);
  });

  it('a token of a key it lacks: fetched at once (outside the 30 s cooldown); 503 when the endpoint is down, 401 when the key is not published', async () => {
    endpoint.answer('jwks');
    published = [key];
    const { v, advance } = verifier();
    assert.equal((await v.verify(await makeToken(key, { issuer: ISSUER }))).iss, ISSUER);
    const unknown = await makeToken(newKey, { issuer: ISSUER });
    const before = endpoint.fetches();
    await assert.rejects(v.verify(unknown), TokenError, 'within the cooldown: not fetched, refused');
    assert.equal(endpoint.fetches(), before);
    advance(31_000);
    endpoint.answer('503');
    await assert.rejects(v.verify(unknown), KeysUnavailableError);
    const afterFailure = endpoint.fetches();
    for (let i = 0; i < 5; i++) await assert.rejects(v.verify(unknown), KeysUnavailableError);
    assert.equal(endpoint.fetches(), afterFailure, 'not fetched per token while the endpoint is down');
    published = [key, newKey];
    endpoint.answer('jwks');
    advance(31_000);
    assert.equal((await v.verify(unknown)).iss, ISSUER, 'the key published since is fetched');
    published = [key];
  });

  it('fetches once for requests that arrive together', async () => {
    endpoint.answer('jwks');
    const keys = new JwksUrl(endpoint.url);
    const before = endpoint.fetches();
    await Promise.all([keys.keys(), keys.keys(), keys.keys()]);
    assert.equal(endpoint.fetches() - before, 1);
  });
});
