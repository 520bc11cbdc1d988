/**
 * Memory of a large letter taken and delivered through SvarInn (issue #15: "a 300 MB
 * encrypted letter is taken and delivered through SvarInn with RSS within +64 MB of idle"). Not part of `npm test`: it sends and fetches hundreds of MB
 * and measures; it asserts only that the bytes decrypt to what was sent.
 *
 *   npx tsx bench/svarinn-download.ts [--pages 100] [--kryptert]
 *
 * The node is a child process (bench/lib/node-child.ts). A receiving system is registered
 * with an OpenSSL key; one small letter goes down the whole path first (threads the node
 * starts on first use are then running). A ~300 MB letter (incompressible images) is sent to
 * its organisation over REST v1 and waits KLAR_FOR_MOTTAK, and the receiver downloads it (the
 * node streams blob → CMS encryption → socket) and acknowledges it. The idle figure is the
 * node's VmRSS after two full GCs before the send; VmRSS is sampled every 10 ms from the send
 * to the end of the download, with the peak of each phase (intake, routing, download)
 * reported. `openssl cms -decrypt` turns the download back into the letter, whose SHA-256 must equal the sent file's. One JSON line.
 * With --kryptert the letter is sent encrypted (`openssl cms -encrypt -stream` to the node's
 * published certificate, kryptert=true): the download then decrypts the stored envelope
 * with the installation key and encrypts again to the receiving system, both streamed.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createAvsender } from '../src/app/accounts.js';
import { MottakersystemService } from '../src/app/mottakersystemer.js';
import { openSqlite, SqliteConfigStore, SqliteMottakersystemRegister } from '../src/storage/sqlite/index.js';
import { restForsendelse } from '../test/factories.js';
import { makeLetterPdf } from '../test/fixtures/index.js';
import { writeLargePdf } from '../test/fixtures/large-pdf.js';
import { concat, partHead, streamPost } from '../test/security/hostile-http.js';
import { makeOpensslIdentity, OPENSSL, opensslStream, publishedCertificate } from '../test/support/openssl.js';
import { startNode } from './lib/node-child.js';

const MB = 1_000_000;
const MIB = 1024 * 1024;
const ORG = '923456783';
const BOUNDARY = 'grense-svarinn';
const { values: args } = parseArgs({
  options: { pages: { type: 'string', default: '100' }, kryptert: { type: 'boolean', default: false } },
});

const tmp = mkdtempSync(join(tmpdir(), 'budbringer-svarinn-bench-'));
const dataDir = join(tmp, 'data');
mkdirSync(dataDir, { recursive: true });
const key = makeOpensslIdentity('/CN=Bench-arkiv');
const db = openSqlite(join(dataDir, 'budbringer.sqlite'));
const { servicePassword } = await createAvsender(new SqliteConfigStore(db), {
  navn: 'Benchkommune',
  orgnr: '974760673',
  now: Date.now(),
});
const registered = await new MottakersystemService({
  register: new SqliteMottakersystemRegister(db),
  now: Date.now,
}).create({ navn: 'Bench-arkiv', orgnr: ORG, sertifikat: key.certificatePem });
db.close();
const senderAuth = `Basic ${Buffer.from(`Benchkommune:${servicePassword}`).toString('base64')}`;
const systemAuth = `Basic ${Buffer.from(`${registered.system.id}:${registered.servicePassword}`).toString('base64')}`;

const pdfPath = join(tmp, 'stor.pdf');
const { size } = await writeLargePdf(pdfPath, { pages: Number(args.pages), imageBytesPerPage: 3_000_000 });
const sentSha = createHash('sha256');
for await (const chunk of createReadStream(pdfPath)) sentSha.update(chunk as Buffer);
const expected = sentSha.digest('hex');

const node = await startNode({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
try {
  const certPath = join(tmp, 'budbringer.pem');
  writeFileSync(certPath, await publishedCertificate(node.url));
  /** The file to send: the PDF itself, or with --kryptert its envelope to the node's certificate. */
  const prepared = (path: string): string => {
    if (!args.kryptert) return path;
    execFileSync(OPENSSL, [
      'cms',
      '-encrypt',
      '-binary',
      '-stream',
      '-aes256',
      '-outform',
      'DER',
      '-recip',
      certPath,
      '-in',
      path,
      '-out',
      `${path}.cms`,
    ]);
    return `${path}.cms`;
  };
  const list = async (): Promise<{ id: string; downloadUrl: string }[]> => {
    const res = await fetch(`${node.url}/tjenester/svarinn/mottaker/hentNyeForsendelser`, {
      headers: { authorization: systemAuth },
    });
    return (await res.json()) as { id: string; downloadUrl: string }[];
  };
  /** Sends the file to the receiving system's organisation over REST v1; returns the letter's id. */
  const send = async (path: string, tittel: string): Promise<string> => {
    const answer = await streamPost(
      `${node.url}/tjenester/api/forsendelse/v1/sendForsendelse`,
      { authorization: senderAuth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      concat(
        partHead(BOUNDARY, 'name="forsendelse"', 'application/json'),
        JSON.stringify(
          restForsendelse({
            tittel,
            kryptert: args.kryptert,
            mottaker: {
              postAdresse: { navn: 'Arkivet', adresse1: 'Postboks 1', postNummer: '5003', postSted: 'Bergen' },
              digitalAdresse: { organisasjonsNummer: ORG },
            },
          }),
        ),
        '\r\n',
        partHead(BOUNDARY, 'name="filer"; filename="brev.pdf"', 'application/pdf'),
        createReadStream(path, { highWaterMark: MIB }),
        `\r\n--${BOUNDARY}--\r\n`,
      ),
      15 * 60_000,
    );
    if (answer.status !== 200) throw new Error(`send: ${answer.status} ${answer.text}`);
    return (JSON.parse(answer.text) as { id: string }).id;
  };
  /** Waits until the letter is listed in SvarInn (accepted and routed to KLAR_FOR_MOTTAK). */
  const listed = async (id: string): Promise<{ id: string; downloadUrl: string }> => {
    for (const until = Date.now() + 10 * 60_000; ;) {
      const found = (await list()).find((f) => f.id === id);
      if (found !== undefined) return found;
      if (Date.now() > until) throw new Error('the letter was never listed');
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  /** Downloads as the receiver does, decrypts with OpenSSL, acknowledges; the plaintext's SHA-256 and the CMS bytes. */
  const fetchAndAcknowledge = async (f: {
    id: string;
    downloadUrl: string;
  }): Promise<{ sha: string; cmsBytes: number }> => {
    const res = await fetch(f.downloadUrl, { headers: { authorization: systemAuth } });
    if (res.status !== 200 || res.body === null) throw new Error(`download: ${res.status}`);
    let cmsBytes = 0;
    const counted = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>).on(
      'data',
      (c: Buffer) => (cmsBytes += c.length),
    );
    const decrypt = opensslStream(
      ['cms', '-decrypt', '-inform', 'DER', '-binary', '-inkey', key.keyPath, '-recip', key.certPath],
      counted,
    );
    // The plaintext is the letter's documents as a zip (docs/interfaces.md §11): written to a
    // file, then the one document is hashed as unzip streams it out.
    const zipPath = join(tmp, `mottatt-${f.id}.zip`);
    await pipeline(decrypt.stdout, createWriteStream(zipPath));
    await decrypt.exited;
    const gotSha = createHash('sha256');
    const unzip = spawn('unzip', ['-p', zipPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    for await (const chunk of unzip.stdout) gotSha.update(chunk as Buffer);
    rmSync(zipPath, { force: true });
    const ack = await fetch(`${node.url}/tjenester/svarinn/kvitterMottak/forsendelse/${f.id}`, {
      method: 'POST',
      headers: { authorization: systemAuth },
    });
    if (ack.status !== 200) throw new Error(`kvitterMottak: ${ack.status}`);
    return { sha: gotSha.digest('hex'), cmsBytes };
  };

  // Warm-up: one small letter down the same path first, so the idle figure is that of a node
  // that has served a letter (its PDF and file-writer threads start on first use, once).
  const smallPath = join(tmp, 'liten.pdf');
  writeFileSync(smallPath, await makeLetterPdf({ seed: 7 }));
  await fetchAndAcknowledge(await listed(await send(prepared(smallPath), 'Lite brev først')));

  const sendPath = prepared(pdfPath);
  // The whole path is sampled against one idle figure: intake, the background work up to
  // KLAR_FOR_MOTTAK (a letter for a receiving system is not merged into a file), the download.
  await new Promise((r) => setTimeout(r, 2000));
  const idle = await node.rssAfterGc();
  let peak = node.rssNow();
  const sampler = setInterval(() => {
    peak = Math.max(peak, node.rssNow());
  }, 10);
  const phasePeaks: Record<string, number> = {};
  const endPhase = (name: string): void => {
    phasePeaks[name] = Math.max(peak, node.rssNow());
    peak = node.rssNow();
  };
  const t0 = performance.now();
  const id = await send(sendPath, 'Stort brev til arkivet');
  const sendSeconds = (performance.now() - t0) / 1000;
  endPhase('intake');
  const found = await listed(id);
  await new Promise((r) => setTimeout(r, 2000)); // background jobs of the letter finish
  endPhase('routing');
  const t1 = performance.now();
  const { sha: got, cmsBytes } = await fetchAndAcknowledge(found);
  const downloadSeconds = (performance.now() - t1) / 1000;
  endPhase('download');
  clearInterval(sampler);
  // What stays after two full GCs once the letter is delivered (not part of the peak).
  const retainedAfterGc = await node.rssAfterGc();
  if (got !== expected) throw new Error(`decrypted SHA-256 ${got} != sent ${expected}`);
  const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      case: `svarinn: download of one ${args.kryptert ? 'encrypted ' : ''}letter, encrypted to the receiving system (CMS, AES-256-CBC, RSA-OAEP)`,
      sent_mb: mb(statSync(sendPath).size),
      letter_mb: mb(size),
      cms_mb: mb(cmsBytes),
      send_seconds: Math.round(sendSeconds * 10) / 10,
      download_seconds: Math.round(downloadSeconds * 10) / 10,
      download_mb_per_s: Math.round((cmsBytes / MB / downloadSeconds) * 10) / 10,
      idle_rss_mb: mb(idle),
      peak_minus_idle_mb: mb(Math.max(...Object.values(phasePeaks)) - idle),
      intake_peak_minus_idle_mb: mb((phasePeaks.intake ?? 0) - idle),
      routing_peak_minus_idle_mb: mb((phasePeaks.routing ?? 0) - idle),
      download_peak_minus_idle_mb: mb((phasePeaks.download ?? 0) - idle),
      retained_after_gc_minus_idle_mb: mb(retainedAfterGc - idle),
      decrypted_sha256_equal: true,
    })}\n`,
  );
} finally {
  await node.stop();
  key.cleanup();
  rmSync(tmp, { recursive: true, force: true });
}
