/**
 * What REST v2/v3's authentication costs per call (issue #16): the same small status search
 * through REST v1 (HTTP Basic, the verified-password cache) and REST v3 (a Maskinporten JWT
 * checked against a JWKS served on 127.0.0.1, plus the integration's password, cached the
 * same way), sequential calls on one connection pool. Not part of `npm test`; it asserts
 * nothing and prints one JSON line per case.
 *
 *   npx tsx bench/rest-v2-auth.ts [--calls 2000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createIntegrasjon } from '../src/app/fiks/integrasjoner.js';
import { basic, startTestNode } from '../test/factories.js';
import { hostJwks, makeToken, testKey, TOKEN_ORGNR } from '../test/e2e/fiks-support.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' } } });
const calls = Number(values.calls);
const ISSUER = 'https://maskinporten.bench/';

const dir = await mkdtemp(join(tmpdir(), 'budbringer-bench-fiks-'));
const key = await testKey('bench');
const jwks = await hostJwks([key], dir);
const t = await startTestNode({ MASKINPORTEN_JWKS: jwks.url, MASKINPORTEN_ISSUER: ISSUER });
try {
  const creds = await t.sender('Benchkommune');
  const kontoId = (await t.node.storage.config.getAvsender('Benchkommune'))?.kontoId ?? '';
  const i = await createIntegrasjon(t.node.storage.config, {
    navn: 'Bench',
    avsender: 'Benchkommune',
    organisasjoner: [TOKEN_ORGNR],
    now: Date.now(),
  });
  const token = await makeToken(key, { issuer: ISSUER, expiresIn: 3600 });
  const cases: Record<string, () => Promise<Response>> = {
    'rest-v1 statuser (Basic)': () =>
      fetch(`${t.url}/tjenester/api/forsendelse/v1/statuser`, {
        method: 'POST',
        headers: { authorization: basic(creds), 'content-type': 'application/json' },
        body: '[]',
      }),
    'rest-v3 status/sok (JWT + integration)': () =>
      fetch(`${t.url}/api/v3/kontoer/${kontoId}/forsendelser/status/sok`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          IntegrasjonId: i.integrasjon.id,
          IntegrasjonPassord: i.passord,
          'content-type': 'application/json',
        },
        body: '{"id":[]}',
      }),
  };
  for (const [name, call] of Object.entries(cases)) {
    for (let w = 0; w < 50; w++) await (await call()).arrayBuffer(); // warm-up: caches, JIT
    const started = performance.now();
    for (let n = 0; n < calls; n++) {
      const res = await call();
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    }
    const ms = performance.now() - started;
    console.log(
      JSON.stringify({
        case: name,
        calls,
        perSecond: Math.round((calls / ms) * 1000),
        msPerCall: +(ms / calls).toFixed(3),
      }),
    );
  }
  console.log(JSON.stringify({ jwksFetches: jwks.fetches() }));
} finally {
  await t.stop();
  await jwks.close();
  await rm(dir, { recursive: true, force: true });
}
