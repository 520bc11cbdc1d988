/**
 * MASKINPORTEN_AUDIENCE / FIKSPORTEN_AUDIENCE (src/app/fiks/token-verifier.ts): set, a token
 * must name the audience in `aud`; unset, `aud` is not looked at, as KS's clients ask
 * Maskinporten for tokens without a resource.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tokenVerifier, TokenError } from '../../../src/app/fiks/token-verifier.js';
import { hostJwks, makeToken, testKey, type JwksHost, type TestKey } from '../../e2e/fiks-support.js';

const ISSUER = 'https://maskinporten.test/';
const AUDIENCE = 'https://budbringer.kommune.no/';

describe('token audience', () => {
  let dir: string;
  let key: TestKey;
  let jwks: JwksHost;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-aud-'));
    key = await testKey('aud-1');
    jwks = await hostJwks([key], dir);
  });
  after(async () => {
    await jwks.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('with an audience set: a token for it passes, one for another or with none is refused naming aud', async () => {
    const verifier = tokenVerifier({ navn: 'Maskinporten', jwks: jwks.file, issuer: ISSUER, audience: AUDIENCE });
    const ok = await verifier.verify(await makeToken(key, { issuer: ISSUER, audience: AUDIENCE }));
    assert.equal(ok.aud, AUDIENCE);
    // `aud` as a list naming it, as an authorization server may issue it.
    await verifier.verify(await makeToken(key, { issuer: ISSUER, audience: ['https://annen/', AUDIENCE] }));
    for (const audience of ['https://annen.tjeneste/', undefined]) {
      await assert.rejects(
        verifier.verify(await makeToken(key, { issuer: ISSUER, ...(audience === undefined ? {} : { audience }) })),
        (error: unknown) =>
          error instanceof TokenError &&
          error.message === `Ugyldig token: tokenet er ikke utstedt for ${AUDIENCE} (aud)`,
      );
    }
  });

  it('without one, a token with any aud or none passes', async () => {
    const verifier = tokenVerifier({ navn: 'Maskinporten', jwks: jwks.file, issuer: ISSUER });
    await verifier.verify(await makeToken(key, { issuer: ISSUER }));
    await verifier.verify(await makeToken(key, { issuer: ISSUER, audience: 'https://hva-som-helst/' }));
  });
});
