/**
 * `budbringer integration …` as an operator runs it: `sender create` prints the kontoId,
 * `integration create --sender` prints one JSON line with integrasjonId, passord and that
 * kontoId, and those three are all a REST v2/v3 client needs against a node on the same
 * DATA_DIR (with a Maskinporten token). `list`, `grant`, `revoke` and `rotate-password`
 * change what the running node accepts at once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/composition/logging.js';
import { eventually, startTestNode, type TestNode } from '../factories.js';
import { auditTrail, runCli, type CliResult } from './cli-support.js';
import { hostJwks, makeToken, testKey, TOKEN_ORGNR, type JwksHost, type TestKey } from './fiks-support.js';

const ISSUER = 'https://maskinporten.test/';

function line(r: CliResult): Record<string, any> {
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, r.stdout);
  return JSON.parse(lines[0] as string) as Record<string, any>;
}

describe('CLI: integrations for REST v2/v3', () => {
  let dir: string;
  let t: TestNode;
  let key: TestKey;
  let jwks: JwksHost;
  let sender: Record<string, any>;
  let other: Record<string, any>;
  let created: Record<string, any>;

  const status = async (kontoId: string, id: string, passord: string): Promise<number> => {
    const token = await makeToken(key, { issuer: ISSUER });
    const res = await fetch(`${t.url}/api/v3/kontoer/${kontoId}/forsendelser/status/sok`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        IntegrasjonId: id,
        IntegrasjonPassord: passord,
        'content-type': 'application/json',
      },
      body: '{"id":[]}',
    });
    await res.arrayBuffer();
    return res.status;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-cli-fiks-'));
    key = await testKey('k1');
    jwks = await hostJwks([key], dir);
    sender = line(await runCli(dir, ['sender', 'create', '--name', 'Cli kommune']));
    other = line(await runCli(dir, ['sender', 'create', '--name', 'Annen kommune']));
    created = line(
      await runCli(dir, [
        'integration',
        'create',
        '--sender',
        'Cli kommune',
        '--name',
        'Elements',
        '--org',
        TOKEN_ORGNR,
      ]),
    );
    t = await startTestNode({ MASKINPORTEN_JWKS: jwks.file, MASKINPORTEN_ISSUER: ISSUER }, dir);
  });
  after(async () => {
    await t?.stop();
    await jwks.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('integration create prints integrasjonId, passord and the kontoId sender create printed; they work', async () => {
    assert.deepEqual(Object.keys(created).sort(), ['integrasjonId', 'kontoId', 'passord']);
    assert.equal(created.kontoId, sender.kontoId);
    assert.equal(await status(created.kontoId, created.integrasjonId, created.passord), 200);
    assert.equal(await status(other.kontoId, created.integrasjonId, created.passord), 403);
  });

  it('integration list shows the grants with their kontoIds, never a password or hash', async () => {
    const r = line(await runCli(dir, ['integration', 'list']));
    assert.deepEqual(r.senders, [{ name: 'Cli kommune', kontoId: sender.kontoId }]);
    assert.equal(r.name, 'Elements');
    assert.ok(!JSON.stringify(r).includes(created.passord));
    assert.ok(!JSON.stringify(r).includes('scrypt'));
  });

  it('grant and revoke change what the running node allows', async () => {
    const g = line(
      await runCli(dir, ['integration', 'grant', '--id', created.integrasjonId, '--sender', 'Annen kommune']),
    );
    assert.equal(g.kontoId, other.kontoId);
    assert.equal(await status(other.kontoId, created.integrasjonId, created.passord), 200);
    line(await runCli(dir, ['integration', 'revoke', '--id', created.integrasjonId, '--sender', 'Annen kommune']));
    assert.equal(await status(other.kontoId, created.integrasjonId, created.passord), 403);
  });

  it('add-org and remove-org change which organisation may call; with none, create and remove-org warn', async () => {
    const made = await runCli(dir, ['integration', 'create', '--sender', 'Annen kommune', '--name', 'Uten org']);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stderr, /ingen organisasjon er autorisert for integrasjonen .* integration add-org --id/);
    const bare = line(made);
    assert.equal(await status(other.kontoId, bare.integrasjonId, bare.passord), 403, 'no organisation: refused');
    const added = line(
      await runCli(dir, ['integration', 'add-org', '--id', bare.integrasjonId, '--orgnr', TOKEN_ORGNR]),
    );
    assert.deepEqual(added.organisations, [TOKEN_ORGNR]);
    assert.equal(await status(other.kontoId, bare.integrasjonId, bare.passord), 200);
    const listed = (await runCli(dir, ['integration', 'list'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
    assert.deepEqual(listed.find((i) => i.integrasjonId === bare.integrasjonId)?.organisations, [TOKEN_ORGNR]);
    const removed = await runCli(dir, [
      'integration',
      'remove-org',
      '--id',
      bare.integrasjonId,
      '--orgnr',
      TOKEN_ORGNR,
    ]);
    assert.match(removed.stderr, /ingen organisasjon er autorisert/);
    assert.equal(await status(other.kontoId, bare.integrasjonId, bare.passord), 403);
    const bad = await runCli(dir, ['integration', 'add-org', '--id', bare.integrasjonId, '--orgnr', '123456789']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Ugyldig organisasjonsnummer: 123456789/);
    // A node starting on this data says which integrations no one may call with.
    const lines: string[] = [];
    const second = await startTestNode(
      { MASKINPORTEN_JWKS: jwks.file, MASKINPORTEN_ISSUER: ISSUER },
      dir,
      createLogger('info', { write: (l: string) => void lines.push(l) }),
    );
    try {
      const warned = await eventually(
        async () => lines.find((l) => l.includes(bare.integrasjonId)),
        10_000,
        'the warning',
      );
      assert.match(warned, /no organisation may call with this integration/);
      assert.ok(!lines.some((l) => l.includes(created.integrasjonId)), 'the one with an organisation is not named');
    } finally {
      await second.stop();
    }
  });

  it('rotate-password: the old password stops at once, the new one works', async () => {
    const r = line(await runCli(dir, ['integration', 'rotate-password', '--id', created.integrasjonId]));
    assert.notEqual(r.passord, created.passord);
    assert.equal(await status(created.kontoId, created.integrasjonId, created.passord), 401);
    assert.equal(await status(created.kontoId, created.integrasjonId, r.passord), 200);
    // Every change above is in the audit log, as the admin web writes the same changes.
    const trail = (await auditTrail(dir)).filter(([handling]) => handling.startsWith('integrasjon.'));
    const handlings = new Set(trail.map(([handling]) => handling));
    for (const handling of [
      'integrasjon.opprettet',
      'integrasjon.tilgang-gitt',
      'integrasjon.tilgang-fjernet',
      'integrasjon.organisasjon-lagt-til',
      'integrasjon.organisasjon-fjernet',
      'integrasjon.nytt-passord',
    ]) {
      assert.ok(handlings.has(handling), `${handling} in ${JSON.stringify([...handlings])}`);
    }
    assert.ok(trail.every(([, bruker]) => bruker.startsWith('cli:')));
  });

  it('refuses in Norwegian: a missing --sender, an unknown sender, an unknown integration', async () => {
    const usage = await runCli(dir, ['integration', 'create']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--sender mangler/);
    const unknown = await runCli(dir, ['integration', 'create', '--sender', 'Finnes ikke']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Avsender 'Finnes ikke' finnes ikke/);
    const noSuch = await runCli(dir, [
      'integration',
      'rotate-password',
      '--id',
      '00000000-0000-4000-8000-000000000000',
    ]);
    assert.equal(noSuch.code, 1);
    assert.match(noSuch.stderr, /Integrasjon .* finnes ikke/);
  });
});
