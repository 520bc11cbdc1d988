/**
 * SvarInn end to end (issue #15): a node process, receiving systems registered with the
 * CLI, letters sent over REST v1 to organisations, and a receiver written from the
 * interface description alone (svarinn-receiver.ts) that polls, downloads, decrypts with
 * OpenSSL and acknowledges or reports a failed receipt. Plus what a hostile or confused
 * receiver tries, and the warning of a letter nobody fetches.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { basic, eventually, restCall, restForsendelse, restSend, waitForStatus, type Creds } from '../factories.js';
import { makeLetterPdf, writeLargePdf } from '../fixtures/index.js';
import { startSmtp, type TestSmtp } from '../mail-server.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';
import { bouncyCastleEncrypt, javaZipEntries } from '../support/bouncycastle.js';
import { encryptForNode, makeOpensslIdentity, publishedCertificate, type OpensslIdentity } from '../support/openssl.js';
import { osloLocalToEpoch } from '../../src/domain/time/oslo-clock.js';
import { runCli } from './cli-support.js';
import { SvarInnReceiver, type ListedForsendelse } from './svarinn-receiver.js';

/** Organisations with receiving systems (mod-11 valid), and one without. */
const ORG_A = '923456783';
const ORG_B = '812345672';
const ORG_UTEN = '974760673';
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('SvarInn: a receiving system fetches its letters', () => {
  let dir: string;
  let smtp: TestSmtp;
  let node: NodeProcess;
  let creds: Creds;
  let keyA: OpensslIdentity;
  let keyB: OpensslIdentity;
  let a: SvarInnReceiver;
  let b: SvarInnReceiver;
  let systemA: { id: string; servicePassword: string };
  let systemB: { id: string; servicePassword: string };

  const cli = async (args: string[]): Promise<Record<string, unknown>> => {
    const r = await runCli(join(dir, 'data'), args);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-svarinn-'));
    smtp = await startSmtp();
    keyA = makeOpensslIdentity('/CN=Arkiv A/O=Kommune A');
    keyB = makeOpensslIdentity('/CN=Arkiv B/O=Kommune B');
    const sender = await cli(['sender', 'create', '--name', 'Svarkommune', '--orgnr', ORG_UTEN]);
    creds = { user: 'Svarkommune', password: sender.servicePassword as string };
    const createdA = await cli([
      'mottakersystem',
      'create',
      '--orgnr',
      ORG_A,
      '--name',
      'Sak/arkiv A',
      '--cert',
      keyA.certPath,
    ]);
    const createdB = await cli([
      'mottakersystem',
      'create',
      '--orgnr',
      ORG_B,
      '--name',
      'Arkiv B',
      '--cert',
      keyB.certPath,
      '--epost',
      'arkiv@b.example.no',
    ]);
    systemA = createdA as typeof systemA;
    systemB = createdB as typeof systemB;
    node = await startNodeProcess({
      DATA_DIR: join(dir, 'data'),
      SMTP_URL: smtp.url,
      JOB_POLL_MS: '50',
      PRINT_DIR: join(dir, 'print'),
      SVARINN_WARN_AFTER: 'PT1S',
      SVARINN_WARN_INTERVAL_MS: '1000',
      // Far from Oslo: what the receiver sees must not depend on the zone the node runs in.
      TZ: 'Pacific/Auckland',
    });
    a = new SvarInnReceiver({
      baseUrl: node.url,
      id: systemA.id,
      password: systemA.servicePassword,
      keyPath: keyA.keyPath,
      certPath: keyA.certPath,
    });
    b = new SvarInnReceiver({
      baseUrl: node.url,
      id: systemB.id,
      password: systemB.servicePassword,
      keyPath: keyB.keyPath,
      certPath: keyB.certPath,
    });
  });
  after(async () => {
    await node?.stop();
    await smtp?.close();
    keyA?.cleanup();
    keyB?.cleanup();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  /** Sends a letter to `orgnr` with `files`; returns its id once routed. */
  const send = async (
    orgnr: string,
    files: { filename: string; bytes: Uint8Array }[],
    extra: Record<string, unknown> = {},
  ): Promise<string> => {
    const json = restForsendelse({
      mottaker: {
        postAdresse: { navn: 'Kommune A arkiv', adresse1: 'Postboks 7', postNummer: '5003', postSted: 'Bergen' },
        digitalAdresse: { organisasjonsNummer: orgnr },
      },
      dokumenter: files.map((f) => ({ filnavn: f.filename, mimeType: 'application/pdf' })),
      ...extra,
    });
    const r = await restSend(node.url, creds, json, files);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const listed = async (receiver: SvarInnReceiver, id: string): Promise<ListedForsendelse | undefined> =>
    (await receiver.poll()).list.find((f) => f.id === id);
  const history = async (id: string): Promise<string[]> =>
    (await restCall(node.url, creds, `/${id}/historikk`)).body.hendelsesLogger.map(
      (h: { hendelse: string }) => h.hendelse,
    );

  it('lists a routed letter in the exact JSON, decrypts to the bytes sent, and kvitterMottak makes it LEST', async () => {
    const pdf = await makeLetterPdf({ seed: 151 });
    const id = await send(ORG_A, [{ filename: 'vedtak.pdf', bytes: pdf }], {
      eksternReferanse: 'sak-2026/7',
      forsendelsesType: 'Byggesøknad',
      metadataForImport: { saksSekvensNummer: 12, saksAar: 2026, tittel: 'Import' },
    });
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    const poll = await a.poll();
    assert.equal(poll.status, 200);
    assert.match(poll.contentType, /^application\/json; charset=utf-8$/i);
    const f = poll.list.find((x) => x.id === id);
    assert.ok(f, 'the letter is listed for its system');
    assert.equal(f.status, 'Klar for mottak');
    assert.equal(f.niva, '3');
    assert.equal(typeof f.date, 'number');
    assert.ok(Math.abs(f.date - Date.now()) < 60_000, 'date is epoch ms of receipt');
    assert.equal(f.downloadUrl, `${node.url}/tjenester/svarinn/forsendelse/${id}`);
    assert.equal(f.tittel, 'Vedtak om byggesøknad');
    assert.equal(f.eksternRef, 'sak-2026/7');
    assert.equal(f.forsendelseType, 'Byggesøknad');
    // No svarSendesTil given: the sender, as its cover page names it, with its orgnr
    // (eFormidling's integration point reads the block without a null check).
    assert.deepEqual(f.svarSendesTil, {
      navn: 'Svarkommune',
      adresse1: null,
      adresse2: null,
      adresse3: null,
      postnr: null,
      poststed: null,
      land: null,
      orgnr: ORG_UTEN,
      fnr: null,
    });
    assert.equal(f.svarPaForsendelse, null);
    assert.deepEqual(f.mottaker, {
      navn: 'Kommune A arkiv',
      adresse1: 'Postboks 7',
      adresse2: null,
      adresse3: null,
      postnr: '5003',
      poststed: 'Bergen',
      land: null,
      orgnr: ORG_A,
      fnr: null,
    });
    assert.deepEqual(Object.keys(f.avsender as object).sort(), [
      'adresselinje1',
      'adresselinje2',
      'adresselinje3',
      'navn',
      'postnr',
      'poststed',
    ]);
    assert.equal((f.avsender as { navn: string }).navn, 'Svarkommune');
    const imp = f.metadataForImport as Record<string, unknown>;
    assert.equal(imp.sakssekvensnummer, 12);
    assert.equal(imp.saksaar, 2026);
    assert.equal(imp.journalstatus, null);
    const fra = f.metadataFraAvleverendeSystem as Record<string, unknown>;
    assert.equal(fra.saksaar, 0, 'numbers default to 0');
    assert.deepEqual(f.filmetadata, [
      {
        filnavn: 'vedtak.pdf',
        mimetype: 'application/pdf',
        sha256hash: sha256(pdf),
        size: pdf.length,
        dokumentType: null,
        ekstraMetadata: [],
      },
    ]);
    assert.deepEqual(f.lenker, []);
    for (const key of ['taushetsbelagtPost', 'kryptert', 'krevNiva4Innlogging', 'avgivendeSystem'])
      assert.ok(key in f, key);
    assert.equal(await listed(b, id), undefined, 'another system does not see it');

    const got = await a.download(f);
    assert.equal(got.contentType, 'application/zip', 'one document comes as a zip too, as SvarUt serves it');
    assert.equal(got.filename, 'dokumenter.zip');
    assert.deepEqual(
      got.files.map((x) => [x.filnavn, x.mimetype, sha256(x.bytes)]),
      [['vedtak.pdf', 'application/pdf', sha256(pdf)]],
      'openssl cms -decrypt, then unzip, gives the exact bytes sent',
    );
    assert.equal(await a.kvitter(id), 200);
    await waitForStatus(node.url, creds, id, 'LEST');
    assert.equal(await listed(a, id), undefined, 'an acknowledged letter is no longer listed');
    assert.equal(await a.kvitter(id), 200, 'a second kvitterMottak is an idempotent 200');
    const lines = await history(id);
    assert.ok(
      lines.some((l) => l.startsWith('Mottaker har eget mottakersystem (SvarInn: Sak/arkiv A)')),
      lines.join('\n'),
    );
    assert.ok(lines.includes('Forsendelsen er hentet av mottakersystemet (SvarInn)'), lines.join('\n'));
    assert.ok(
      !lines.includes('Forsendelsesfil generert'),
      'a letter its receiving system takes is not merged into a file: the system gets the documents',
    );
    assert.equal(lines.filter((l) => l === 'Mottak kvittert av mottakersystemet (SvarInn)').length, 1);
    assert.equal(await a.downloadStatus(id), 404, 'an acknowledged letter is no longer offered');
  });

  it("one document comes as a zip of one entry, which eFormidling's integration point unzips, its name kept", async () => {
    const pdf = await makeLetterPdf({ seed: 156 });
    const id = await send(ORG_A, [{ filename: 'Vedtak om byggesøknad – Åsen.pdf', bytes: pdf }]);
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    const f = await listed(a, id);
    assert.ok(f);
    assert.equal(f.filmetadata[0]?.filnavn, 'Vedtak om byggesøknad – Åsen.pdf');
    // efm-integrasjonspunkt's SvarInnService reads every download with java.util.zip and
    // skipped a letter whose download held no entry (a bare PDF) as "Zipfile is empty".
    const auth = `Basic ${Buffer.from(`${systemA.id}:${systemA.servicePassword}`).toString('base64')}`;
    const cms = Buffer.from(await (await fetch(f.downloadUrl, { headers: { authorization: auth } })).arrayBuffer());
    assert.deepEqual(await javaZipEntries(keyA.keyPath, keyA.certPath, cms), [
      { name: 'Vedtak om byggesøknad – Åsen.pdf', sha256: sha256(pdf) },
    ]);
    assert.equal(await a.kvitter(id), 200);
  });

  it('several documents come as one encrypted zip whose entries are the files sent, named as in filmetadata', async () => {
    const sentAt = Date.now();
    const one = await makeLetterPdf({ seed: 152 });
    const two = await makeLetterPdf({ seed: 153 });
    const three = await makeLetterPdf({ seed: 154 });
    const id = await send(ORG_A, [
      { filename: 'brev.pdf', bytes: one },
      { filename: 'vedlegg.pdf', bytes: two },
      { filename: 'kart.pdf', bytes: three },
    ]);
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    const f = await listed(a, id);
    assert.ok(f);
    assert.deepEqual(
      f.filmetadata.map((m) => [m.filnavn, m.sha256hash]),
      [
        ['brev.pdf', sha256(one)],
        ['vedlegg.pdf', sha256(two)],
        ['kart.pdf', sha256(three)],
      ],
    );
    const got = await a.download(f);
    assert.equal(got.contentType, 'application/zip');
    assert.equal(got.filename, 'dokumenter.zip');
    // .NET's ZipArchive, Windows and Python's zipfile show an entry's MS-DOS time, which has
    // no zone: it is Oslo's wall clock, also from a node whose TZ is elsewhere (found in review).
    const entryTime = dosTimeAsOslo(got.plaintext);
    assert.ok(Math.abs(entryTime - sentAt) < 5 * 60_000, `entry time ${new Date(entryTime).toISOString()}`);
    assert.deepEqual(
      got.files.map((x) => [x.filnavn, x.mimetype, sha256(x.bytes)]),
      [
        ['brev.pdf', 'application/pdf', sha256(one)],
        ['vedlegg.pdf', 'application/pdf', sha256(two)],
        ['kart.pdf', 'application/pdf', sha256(three)],
      ],
    );
    // As KS's svarut-sak-mottak and eFormidling read it: BouncyCastle, then java.util.zip's
    // ZipInputStream, which takes no stored entry whose sizes follow its data.
    const auth = `Basic ${Buffer.from(`${systemA.id}:${systemA.servicePassword}`).toString('base64')}`;
    const cms = Buffer.from(await (await fetch(f.downloadUrl, { headers: { authorization: auth } })).arrayBuffer());
    assert.deepEqual(await javaZipEntries(keyA.keyPath, keyA.certPath, cms), [
      { name: 'brev.pdf', sha256: sha256(one) },
      { name: 'vedlegg.pdf', sha256: sha256(two) },
      { name: 'kart.pdf', sha256: sha256(three) },
    ]);
    assert.equal(await a.kvitter(id), 200);
  });

  it('an encrypted letter (OpenSSL to the published certificate) reaches the receiver as the PDF the sender encrypted', async () => {
    const pdf = await makeLetterPdf({ seed: 159 });
    const envelope = await encryptForNode(node.url, pdf);
    const id = await send(ORG_A, [{ filename: 'hemmelig.pdf', bytes: envelope }], { kryptert: true });
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    const f = await listed(a, id);
    assert.ok(f);
    assert.equal(f.kryptert, true);
    assert.equal(f.filmetadata[0]?.size, pdf.length, 'the size of the plaintext');
    assert.equal(f.filmetadata[0]?.sha256hash, sha256(pdf), 'the hash of the plaintext the receiver decrypts to');
    const got = await a.download(f);
    assert.equal(got.contentType, 'application/zip');
    assert.deepEqual(
      got.files.map((x) => sha256(x.bytes)),
      [sha256(pdf)],
      'decrypted with Budbringer’s key, encrypted again to the receiver',
    );
    assert.equal(await a.kvitter(id), 200);
  });

  it('BouncyCastle, as KS’s Java clients and eFormidling use it, both ways: its envelopes (OAEP-SHA256, PKCS#1 v1.5) are taken, and it decrypts the download to the exact bytes', async () => {
    const certificate = await publishedCertificate(node.url);
    const auth = `Basic ${Buffer.from(`${systemA.id}:${systemA.servicePassword}`).toString('base64')}`;
    for (const [i, transport] of (['oaep-sha256', 'pkcs1'] as const).entries()) {
      const pdf = await makeLetterPdf({ seed: 171 + i });
      const envelope = await bouncyCastleEncrypt(certificate, pdf, transport);
      const id = await send(ORG_A, [{ filename: 'java.pdf', bytes: envelope }], { kryptert: true });
      await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
      const f = await listed(a, id);
      assert.ok(f, transport);
      assert.equal(f.filmetadata[0]?.sha256hash, sha256(pdf), transport);
      const download = await fetch(f.downloadUrl, { headers: { authorization: auth } });
      assert.equal(download.status, 200, transport);
      const cms = Buffer.from(await download.arrayBuffer());
      assert.deepEqual(
        await javaZipEntries(keyA.keyPath, keyA.certPath, cms),
        [{ name: 'java.pdf', sha256: sha256(pdf) }],
        `${transport}: BouncyCastle decrypts the download to a zip of the PDF sent`,
      );
      assert.equal(await a.kvitter(id), 200);
    }
  });

  it('mottakFeilet, not permanent: logged, and the letter stays listed; permanent: it goes on to the inbox and leaves SvarInn', async () => {
    const id = await send(ORG_A, [{ filename: 'brev.pdf', bytes: await makeLetterPdf({ seed: 155 }) }]);
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    assert.equal(await a.feilet(id, 'Arkivet er nede for vedlikehold', false), 200);
    // Control characters and a right-to-left override in the system's text become spaces.
    assert.equal(await a.feilet(id, 'Disk\u0000full \u202Eigjen', false), 200);
    // A lone surrogate (no Unicode) becomes the replacement character, and a text over 2 000
    // characters is cut between two characters, not inside an emoji's pair (found in review).
    assert.equal(await a.feilet(id, 'ensom \ud800 her', false), 200);
    assert.equal(await a.feilet(id, `${'x'.repeat(1999)}\u{1F600}`, false), 200);
    assert.ok(await listed(a, id), 'still listed after a temporary failure');
    assert.equal((await restCall(node.url, creds, `/${id}/status`)).body.status, 'KLAR_FOR_MOTTAK');
    assert.equal(await a.feilet(id, 'Ukjent saksnummer i arkivet', true), 200);
    await waitForStatus(node.url, creds, id, 'VARSLET');
    assert.equal(await listed(a, id), undefined, 'dropped from SvarInn');
    assert.equal(await a.downloadStatus(id), 404);
    assert.equal(await a.kvitter(id), 404);
    assert.equal(await a.feilet(id, 'Ukjent saksnummer i arkivet', true), 200, 'the same report again: a retry, 200');
    const lines = await history(id);
    assert.ok(
      lines.includes('Mottak feilet i mottakersystemet (SvarInn), forsøkes igjen: Disk full  igjen'),
      lines.join('\n'),
    );
    assert.ok(lines.includes('Mottak feilet i mottakersystemet (SvarInn), forsøkes igjen: ensom \uFFFD her'));
    assert.ok(lines.includes(`Mottak feilet i mottakersystemet (SvarInn), forsøkes igjen: ${'x'.repeat(1999)}`));
    const raw = await (
      await fetch(`${node.url}/tjenester/api/forsendelse/v1/${id}/historikk`, {
        headers: { authorization: basic(creds) },
      })
    ).text();
    assert.doesNotMatch(raw, /\\ud[89ab]/i, 'no lone surrogate escaped in the history JSON');
    assert.ok(
      lines.includes('Mottak feilet i mottakersystemet (SvarInn), forsøkes igjen: Arkivet er nede for vedlikehold'),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes(
        'Mottak feilet i mottakersystemet (SvarInn), permanent: Ukjent saksnummer i arkivet. Forsendelsen sendes videre på andre kanaler',
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) =>
        l.startsWith('Mottakers mottakersystem kunne ikke ta imot forsendelsen; sendes til digital innboks'),
      ),
      lines.join('\n'),
    );
    // The file the inbox serves is built once the letter leaves SvarInn, before the notice goes out.
    const permanent = lines.findIndex((l) => l.includes('permanent: Ukjent saksnummer'));
    const built = lines.indexOf('Forsendelsesfil generert');
    assert.ok(permanent >= 0 && built > permanent, lines.join('\n'));
    const notified = lines.findIndex((l) => l.startsWith('Varsling sendt') || l.startsWith('Ingen varslingsadresse'));
    assert.ok(notified > built, lines.join('\n'));
  });

  it('a download cut off, and a HEAD, leave no document open in the node (found in review)', async () => {
    const big = join(dir, 'stor.pdf');
    await writeLargePdf(big, { pages: 12 });
    const bytes = new Uint8Array(await readFile(big));
    const id = await send(ORG_A, [{ filename: 'stor.pdf', bytes }]);
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    const url = `${node.url}/tjenester/svarinn/forsendelse/${id}`;
    const auth = a.authAs(systemA.id, systemA.servicePassword);
    const head = await fetch(url, { method: 'HEAD', headers: { authorization: auth } });
    assert.equal(head.status, 200);
    const cut = new AbortController();
    const res = await fetch(url, { headers: { authorization: auth }, signal: cut.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    assert.ok(((await reader.read()).value?.length ?? 0) > 0, 'the download started');
    cut.abort();
    await reader.read().catch(() => undefined);
    // The node's open files (Linux): none is the document once the answers are over.
    const blob = sha256(bytes);
    const pid = node.child.pid as number;
    const openOnBlob = async (): Promise<number> => {
      const fds = await readdir(`/proc/${pid}/fd`);
      const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
      return targets.filter((t) => t.includes(blob)).length;
    };
    await eventually(async () => ((await openOnBlob()) === 0 ? true : undefined), 5_000, 'the document to be closed');
    assert.ok(await listed(a, id), 'still waiting: a HEAD or a cut-off download is no download');
    // The door's own catch-all: a known path asked with another method is 405 with Allow.
    const wrong = await fetch(`${node.url}/tjenester/svarinn/mottaker/hentNyeForsendelser`, {
      method: 'POST',
      headers: { authorization: auth },
    });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD, OPTIONS');
  });

  it('the senders’ lookups (REST v1 and SOAP) answer from the register', async () => {
    const rest = await restCall(node.url, creds, `/mottakersystem/${ORG_A}`);
    assert.deepEqual(rest.body, {
      treff: [3, 4].map((niva) => ({
        organisasjonsNummer: ORG_A,
        forsendelsesType: null,
        mottakerSystem: 'Sak/arkiv A',
        mottakerId: systemA.id,
        niva,
      })),
    });
    const envelope = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://www.ks.no/svarut/servicesV9">
  <soapenv:Body><ser:retrieveMottakerSystemForOrgnr><organisasjonsnr>${ORG_B}</organisasjonsnr></ser:retrieveMottakerSystemForOrgnr></soapenv:Body>
</soapenv:Envelope>`;
    const soap = await fetch(`${node.url}/tjenester/forsendelseservice/ForsendelsesServiceV9`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`,
        'content-type': 'text/xml; charset=utf-8',
        soapaction: '""',
      },
      body: envelope,
    });
    const xml = await soap.text();
    assert.equal(soap.status, 200, xml);
    assert.equal(xml.split('<mottakerid>').length - 1, 2, 'one entry per level');
    assert.ok(xml.includes(`<mottakerid>${systemB.id}</mottakerid>`), xml);
    assert.ok(xml.includes('<mottakersystem>Arkiv B</mottakersystem>'), xml);
    assert.ok(xml.includes(`<orgnr>${ORG_B}</orgnr>`), xml);
  });

  it('an organisation without a receiving system keeps the inbox path', async () => {
    const id = await send(ORG_UTEN, [{ filename: 'brev.pdf', bytes: await makeLetterPdf({ seed: 156 }) }]);
    await waitForStatus(node.url, creds, id, 'VARSLET');
    assert.equal(await listed(a, id), undefined);
  });

  it('refuses wrong credentials (401) and another system’s letter (404, as an unknown id), changing nothing', async () => {
    const id = await send(ORG_A, [{ filename: 'brev.pdf', bytes: await makeLetterPdf({ seed: 157 }) }]);
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    const noAuth = await fetch(`${node.url}/tjenester/svarinn/mottaker/hentNyeForsendelser`);
    assert.equal(noAuth.status, 401);
    assert.match(noAuth.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.equal(await a.downloadStatus(id, a.authAs(systemA.id, 'feil-passord')), 401);
    assert.equal(await a.kvitter(id, a.authAs(systemA.id, systemB.servicePassword)), 401, 'B’s password is not A’s');
    assert.equal(
      await a.kvitter(id, a.authAs(creds.user, creds.password)),
      401,
      'a sender’s credentials are not a system’s',
    );
    // System B, properly logged in, names A's letter: not found, exactly like an unknown id.
    assert.equal(await b.downloadStatus(id), 404);
    assert.equal(await b.kvitter(id), 404);
    assert.equal(await b.feilet(id, 'ikke min', true), 404);
    assert.equal(await b.downloadStatus('00000000-0000-4000-8000-000000000000'), 404);
    assert.equal(await b.downloadStatus('ikke-en-uuid'), 404);
    // The system's id is a UUID: in capitals it is the same system (RFC 4122), as letter ids are.
    assert.equal(await a.downloadStatus(id, a.authAs(systemA.id.toUpperCase(), systemA.servicePassword)), 200);
    const bad = await fetch(`${node.url}/tjenester/svarinn/mottakFeilet/forsendelse/${id}`, {
      method: 'POST',
      headers: { authorization: a.authAs(systemA.id, systemA.servicePassword), 'content-type': 'application/json' },
      body: JSON.stringify({ feilmelding: 'mangler permanent' }),
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /permanent \(true\/false\) mangler/);
    const typed = await fetch(`${node.url}/tjenester/svarinn/mottakFeilet/forsendelse/${id}`, {
      method: 'POST',
      headers: { authorization: a.authAs(systemA.id, systemA.servicePassword), 'content-type': 'application/json' },
      body: JSON.stringify({ feilmelding: 'x', permanent: 'true' }),
    });
    assert.equal(typed.status, 400);
    assert.match(
      ((await typed.json()) as { message: string }).message,
      /permanent må være true\/false \(fikk "true"\)/,
    );
    // kvitterMottak carries nothing: a body over its limit is refused naming that operation.
    const huge = await fetch(`${node.url}/tjenester/svarinn/kvitterMottak/forsendelse/${id}`, {
      method: 'POST',
      headers: { authorization: a.authAs(systemA.id, systemA.servicePassword) },
      body: Buffer.alloc(65 * 1024, 0xff),
    });
    assert.equal(huge.status, 413);
    assert.match(((await huge.json()) as { message: string }).message, /^kvitterMottak-innholdet er for stort/);
    assert.equal((await restCall(node.url, creds, `/${id}/status`)).body.status, 'KLAR_FOR_MOTTAK');
    assert.ok(await listed(a, id), 'still waiting for A');
    assert.ok(!(await history(id)).some((l) => /Mottak (kvittert|feilet)/.test(l)), 'nothing recorded');
  });

  it('a letter downloaded before the sender deleted its files is still acknowledged: 200, LEST, once', async () => {
    const pdf = await makeLetterPdf({ seed: 159 });
    const id = await send(ORG_A, [{ filename: 'brev.pdf', bytes: pdf }]);
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    const f = await listed(a, id);
    assert.ok(f);
    assert.equal(sha256((await a.download(f)).files[0]!.bytes), sha256(pdf));
    await eventually(
      async () =>
        (await history(id)).includes('Forsendelsen er hentet av mottakersystemet (SvarInn)') ? true : undefined,
      10_000,
      'the download in the history',
    );
    // The sender deletes the files (REST v1 slettFiler) before the receiver has acknowledged.
    assert.equal((await restCall(node.url, creds, '/slettFiler', { json: [{ id }] })).status, 204);
    assert.equal((await restCall(node.url, creds, `/${id}/status`)).body.status, 'KLAR_FOR_MOTTAK');
    assert.equal(await listed(a, id), undefined, 'nothing left to download: not listed');
    assert.equal(await a.downloadStatus(id), 404);
    assert.equal(await b.kvitter(id), 404, 'still not another system’s');
    assert.equal(await a.kvitter(id), 200, 'KS’s receiver requires exactly 200');
    await waitForStatus(node.url, creds, id, 'LEST');
    assert.equal(await a.kvitter(id), 200, 'a repeat is an idempotent 200');
    const lines = await history(id);
    assert.equal(
      lines.filter((l) => l === 'Mottak kvittert av mottakersystemet (SvarInn)').length,
      1,
      lines.join('\n'),
    );
  });

  it('a letter its sender sets read (REST v1 settLest) while it waits still reaches its system: listed, downloaded, acknowledged', async () => {
    const pdf = await makeLetterPdf({ seed: 161 });
    const id = await send(ORG_A, [{ filename: 'brev.pdf', bytes: pdf }]);
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    const settLest = await restCall(node.url, creds, `/${id}/settLest`, {
      json: { lestAvFodselsNummer: '01019000083', navnPaEksterntSystem: 'Fagsystem', datoLest: Date.now() - 1000 },
    });
    assert.equal(settLest.status, 200, JSON.stringify(settLest.body));
    assert.equal((await restCall(node.url, creds, `/${id}/status`)).body.status, 'KLAR_FOR_MOTTAK');
    assert.ok((await history(id)).some((l) => l.startsWith('Lest eksternt ')));
    const f = await listed(a, id);
    assert.ok(f, 'still listed for its receiving system');
    assert.equal(sha256((await a.download(f)).files[0]!.bytes), sha256(pdf));
    assert.equal(await a.kvitter(id), 200, 'KS’s receiver requires exactly 200');
    await waitForStatus(node.url, creds, id, 'LEST');
    assert.equal(await listed(a, id), undefined, 'acknowledged: no longer listed');
  });

  it('a letter whose files the sender deleted before its system fetched it ends IKKE_LEVERT, with a history line', async () => {
    const id = await send(ORG_A, [{ filename: 'brev.pdf', bytes: await makeLetterPdf({ seed: 160 }) }]);
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    assert.ok(await listed(a, id));
    assert.equal((await restCall(node.url, creds, '/slettFiler', { json: [{ id }] })).status, 204);
    await waitForStatus(node.url, creds, id, 'IKKE_LEVERT');
    assert.equal(await listed(a, id), undefined, 'no longer listed');
    assert.equal(await a.downloadStatus(id), 404);
    assert.equal(await a.kvitter(id), 404, 'nothing was received to acknowledge');
    assert.equal((await restCall(node.url, creds, `/${id}/status`)).body.status, 'IKKE_LEVERT');
    const lines = await history(id);
    assert.deepEqual(
      lines.slice(-2),
      [
        'Dokumenter slettet på forespørsel fra avsender',
        'Ikke levert: dokumentene ble slettet før mottakersystemet (SvarInn) hentet forsendelsen',
      ],
      lines.join('\n'),
    );
  });

  it('a letter nobody fetches warns the system’s contact by e-mail', async () => {
    const id = await send(ORG_B, [{ filename: 'brev.pdf', bytes: await makeLetterPdf({ seed: 158 }) }]);
    await waitForStatus(node.url, creds, id, 'KLAR_FOR_MOTTAK');
    const mail = await eventually(
      async () => smtp.mails.find((m) => m.to.includes('arkiv@b.example.no')),
      20_000,
      'the warning e-mail',
    );
    assert.match(mail.raw, /ikke er hentet/);
    assert.match(mail.raw, new RegExp(systemB.id));
    assert.equal(await b.kvitter(id), 200);
  });
});

/** The first local file header's MS-DOS date and time, read as Oslo's wall clock (epoch ms). */
function dosTimeAsOslo(zip: Buffer): number {
  assert.equal(zip.readUInt32LE(0), 0x04034b50, 'a zip starts with a local file header');
  const time = zip.readUInt16LE(10);
  const date = zip.readUInt16LE(12);
  return osloLocalToEpoch({
    year: (date >> 9) + 1980,
    month: (date >> 5) & 15,
    day: date & 31,
    hour: time >> 11,
    minute: (time >> 5) & 63,
    second: (time & 31) * 2,
    millisecond: 0,
  });
}
