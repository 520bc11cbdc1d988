/**
 * `budbringer mottakersystem create | list | update | rotate-password` (issue #15): one JSON line with
 * the id (the SvarInn user name) and the one-time service password; a list without secrets;
 * wrong input named in Norwegian with the exit codes of the other commands.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeOpensslIdentity, type OpensslIdentity } from '../support/openssl.js';
import { auditTrail, runCli } from './cli-support.js';

const ORG = '923456783';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('CLI: mottakersystem', () => {
  let dataDir: string;
  let key: OpensslIdentity;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-cli-mottakersystem-'));
    key = makeOpensslIdentity('/CN=CLI-arkiv/O=Kommune');
  });
  after(async () => {
    key.cleanup();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('create prints one JSON line with id and servicePassword; list shows it without secrets; rotate gives a new one', async () => {
    const created = await runCli(dataDir, [
      'mottakersystem',
      'create',
      '--orgnr',
      ORG,
      '--name',
      'Sak/arkiv',
      '--cert',
      key.certPath,
      '--forsendelsestype',
      'Byggesøknad',
      '--niva',
      '4',
      '--epost',
      'arkiv@kommune.no',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const lines = created.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0] as string) as Record<string, string>;
    assert.match(out.id ?? '', UUID);
    assert.ok((out.servicePassword ?? '').length >= 40);
    assert.deepEqual(Object.keys(out).sort(), ['id', 'name', 'orgnr', 'servicePassword']);

    const list = await runCli(dataDir, ['mottakersystem', 'list']);
    assert.equal(list.code, 0, list.stderr);
    const listed = JSON.parse(list.stdout.trim()) as Record<string, unknown>;
    assert.equal(listed.id, out.id);
    assert.equal(listed.forsendelsestype, 'Byggesøknad');
    assert.equal(listed.niva, 4);
    assert.equal(listed.epost, 'arkiv@kommune.no');
    assert.match(String((listed.certificate as { subject: string }).subject), /CN=CLI-arkiv/);
    assert.ok(!list.stdout.includes(out.servicePassword as string));
    assert.ok(!list.stdout.includes('scrypt'));

    const rotated = await runCli(dataDir, ['mottakersystem', 'rotate-password', '--id', out.id as string]);
    assert.equal(rotated.code, 0, rotated.stderr);
    const again = JSON.parse(rotated.stdout.trim()) as Record<string, string>;
    assert.equal(again.id, out.id);
    assert.notEqual(again.servicePassword, out.servicePassword);
    // Written to the audit log as the admin web writes the same changes, by the OS user.
    const trail = (await auditTrail(dataDir)).filter(([, , objekt]) => objekt === out.id);
    assert.deepEqual(
      trail.map(([handling]) => handling),
      ['mottakersystem.opprettet', 'mottakersystem.nytt-passord'],
    );
    assert.ok(trail.every(([, bruker]) => bruker.startsWith('cli:')));
  });

  it('create takes a binary DER certificate (Windows’ .cer export) as well as PEM', async () => {
    const derPath = join(dataDir, 'arkiv.cer');
    await writeFile(derPath, new X509Certificate(await readFile(key.certPath)).raw);
    const created = await runCli(dataDir, [
      'mottakersystem',
      'create',
      '--orgnr',
      ORG,
      '--name',
      'DER-arkiv',
      '--cert',
      derPath,
    ]);
    assert.equal(created.code, 0, created.stderr);
    const id = (JSON.parse(created.stdout.trim()) as { id: string }).id;
    const listed = (await runCli(dataDir, ['mottakersystem', 'list'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; certificate: { subject: string } })
      .find((m) => m.id === id);
    assert.match(listed?.certificate.subject ?? '', /CN=CLI-arkiv/);
  });

  it('update changes the name, filters and contact, keeps what is not given, and refuses bad values changing nothing', async () => {
    const created = await runCli(dataDir, [
      'mottakersystem',
      'create',
      '--orgnr',
      ORG,
      '--name',
      'Endres',
      '--cert',
      key.certPath,
      '--forsendelsestype',
      'Faktura',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const id = (JSON.parse(created.stdout.trim()) as { id: string }).id;
    const shown = async (): Promise<Record<string, unknown>> => {
      const list = await runCli(dataDir, ['mottakersystem', 'list']);
      const rows = list.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      return rows.find((r) => r.id === id) as Record<string, unknown>;
    };

    const changed = await runCli(dataDir, [
      'mottakersystem',
      'update',
      '--id',
      id,
      '--niva',
      '4',
      '--epost',
      'ny@kommune.no',
    ]);
    assert.equal(changed.code, 0, changed.stderr);
    const out = JSON.parse(changed.stdout.trim()) as Record<string, unknown>;
    assert.equal(out.id, id);
    assert.deepEqual(
      [out.name, out.forsendelsestype, out.niva, out.epost],
      ['Endres', 'Faktura', 4, 'ny@kommune.no'],
      'what was not given is kept',
    );
    assert.deepEqual(await shown(), out);

    const cleared = await runCli(dataDir, [
      'mottakersystem',
      'update',
      '--id',
      id,
      '--forsendelsestype',
      '',
      '--niva',
      'alle',
      '--epost',
      '',
      '--name',
      'Arkiv 2',
    ]);
    assert.equal(cleared.code, 0, cleared.stderr);
    const now = await shown();
    assert.deepEqual([now.name, now.forsendelsestype, now.niva, now.epost], ['Arkiv 2', null, null, null]);

    const bad = await runCli(dataDir, ['mottakersystem', 'update', '--id', id, '--epost', 'ikke-en-adresse']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Ugyldig e-postadresse: 'ikke-en-adresse'/);
    assert.deepEqual(await shown(), now, 'a refused update changes nothing');
    const niva = await runCli(dataDir, ['mottakersystem', 'update', '--id', id, '--niva', '2']);
    assert.equal(niva.code, 2);
    assert.match(niva.stderr, /Ugyldig --niva '2'/);
    const unknown = await runCli(dataDir, ['mottakersystem', 'update', '--id', '00000000-0000-4000-8000-000000000000']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Mottakersystem/);
  });

  it('names wrong input in Norwegian: missing options (2), a bad level (2), a bad orgnr or certificate (1)', async () => {
    const missing = await runCli(dataDir, ['mottakersystem', 'create', '--orgnr', ORG]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--orgnr, --name og --cert må oppgis/);
    const niva = await runCli(dataDir, [
      'mottakersystem',
      'create',
      '--orgnr',
      ORG,
      '--name',
      'X',
      '--cert',
      key.certPath,
      '--niva',
      '5',
    ]);
    assert.equal(niva.code, 2);
    assert.match(niva.stderr, /Ugyldig --niva '5'/);
    const orgnr = await runCli(dataDir, [
      'mottakersystem',
      'create',
      '--orgnr',
      '123456789',
      '--name',
      'X',
      '--cert',
      key.certPath,
    ]);
    assert.equal(orgnr.code, 1);
    assert.match(orgnr.stderr, /Ugyldig organisasjonsnummer/);
    const notCert = join(dataDir, 'ikke-sertifikat.pem');
    await writeFile(notCert, 'hei');
    const cert = await runCli(dataDir, ['mottakersystem', 'create', '--orgnr', ORG, '--name', 'X', '--cert', notCert]);
    assert.equal(cert.code, 1);
    assert.match(cert.stderr, /Ugyldig sertifikat: fant ingen PEM-blokk/);
    const noFile = await runCli(dataDir, [
      'mottakersystem',
      'create',
      '--orgnr',
      ORG,
      '--name',
      'X',
      '--cert',
      join(dataDir, 'finnes-ikke.pem'),
    ]);
    assert.equal(noFile.code, 1);
    assert.match(noFile.stderr, /Kan ikke lese sertifikatfilen/);
    const unknown = await runCli(dataDir, [
      'mottakersystem',
      'rotate-password',
      '--id',
      '00000000-0000-4000-8000-000000000000',
    ]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Mottakersystem finnes ikke/);
  });
});
