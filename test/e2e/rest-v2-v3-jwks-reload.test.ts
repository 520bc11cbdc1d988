/**
 * A MASKINPORTEN_JWKS file the operator edits is followed without a restart: a key removed
 * from it is refused (401) within the re-check interval, even though tokens keep naming a
 * key the node had already read; the key put in its place works; and an edit that breaks
 * the file keeps the keys read before, with an error line naming the file.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createIntegrasjon } from '../../src/app/fiks/integrasjoner.js';
import { eventually, startTestNode, type TestNode } from '../factories.js';
import { makeToken, testKey, TOKEN_ORGNR, type TestKey } from './fiks-support.js';

const ISSUER = 'https://test.maskinporten.no/';

describe('REST v2/v3: a JWKS file edited while the node runs', () => {
  let dir: string;
  let file: string;
  let t: TestNode;
  let url: string;
  let integrasjon: { id: string; passord: string };
  const lines: Record<string, unknown>[] = [];

  /** Writes the JWKS file in place (same inode), as an editor saving it does. */
  const putKeys = (keys: readonly TestKey[]): Promise<void> =>
    writeFile(file, JSON.stringify({ keys: keys.map((k) => k.jwk) }));

  /** The status and message of a v2 call with a token signed by `key`. */
  async function callWith(key: TestKey): Promise<{ status: number; message: string }> {
    const res = await fetch(url, {
      headers: {
        authorization: `Bearer ${await makeToken(key, { issuer: ISSUER })}`,
        IntegrasjonId: integrasjon.id,
        IntegrasjonPassord: integrasjon.passord,
      },
    });
    const body = (await res.json()) as { message?: string };
    return { status: res.status, message: body.message ?? '' };
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-jwks-reload-'));
    file = join(dir, 'maskinporten-jwks.json');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    t = await startTestNode(
      { MASKINPORTEN_JWKS: file, MASKINPORTEN_ISSUER: ISSUER },
      undefined,
      pino({ level: 'info' }, sink),
    );
    await t.sender('Nøkkel kommune');
    const konto = (await t.node.storage.config.getAvsender('Nøkkel kommune'))?.kontoId ?? '';
    const made = await createIntegrasjon(t.node.storage.config, {
      navn: 'Nøkkel',
      avsender: 'Nøkkel kommune',
      organisasjoner: [TOKEN_ORGNR],
      now: Date.now(),
    });
    integrasjon = { id: made.integrasjon.id, passord: made.passord };
    url = `${t.url}/api/v2/kontoer/${konto}/forsendelser?eksternRef=x`;
  });

  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a key removed from the file, accepts the key added, and keeps the keys through a broken edit', async () => {
    const a = await testKey('roter-a');
    const b = await testKey('roter-b');
    await putKeys([a]);
    assert.equal((await callWith(a)).status, 200);
    assert.equal((await callWith(b)).status, 401, 'key B is not in the file yet');

    // Key A revoked: the node has A's keys in hand and tokens keep naming A, so only a look
    // at the file can refuse it; it must within the re-check interval (1 s).
    await putKeys([b]);
    const refused = await eventually(
      async () => {
        const r = await callWith(a);
        return r.status === 200 ? undefined : r;
      },
      5_000,
      'key A to be refused',
    );
    assert.equal(refused.status, 401);
    assert.match(refused.message, /signaturen er ikke laget med en nøkkel fra Maskinporten/);
    assert.equal((await callWith(b)).status, 200);

    // A broken edit: the keys read before still hold (B works), and the operator gets an
    // error line naming the file. A token of a key not among them cannot be judged while the
    // file is unreadable: 503, not 401.
    await writeFile(file, '{"keys": [');
    const logged = await eventually(
      async () => {
        await callWith(b);
        return lines.find((l) => l.jwks === file && l.level === 50);
      },
      5_000,
      'an error line for the broken file',
    );
    assert.match(String(logged.msg), /MASKINPORTEN_JWKS cannot be read/);
    assert.equal((await callWith(b)).status, 200);
    assert.equal((await callWith(a)).status, 503);
  });
});
