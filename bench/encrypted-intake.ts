/**
 * Memory of taking a large encrypted letter (issue #15: "a 300 MB encrypted letter ... with
 * RSS within +64 MB of idle"). Not part of `npm test`: it sends hundreds of MB and measures,
 * it asserts nothing.
 *
 *   npx tsx bench/encrypted-intake.ts [--pages 100] [--image-bytes 3000000]
 *
 * The node is a child process (bench/lib/node-child.ts). A valid PDF of ~300 MB (100 pages of
 * incompressible 3 MB images) is written to disk, encrypted by OpenSSL to the certificate the
 * node publishes at /forsendelse/publickey/hent (`openssl cms -encrypt -stream -aes256`, BER
 * segments as streaming senders write), and sent with kryptert=true over REST v1, streamed
 * from disk. The node decrypts it once to check it and, since it is over 16 MB, inspects the
 * PDF by range reads through CBC random access. VmRSS is sampled every 10 ms; one JSON line:
 * the answer, seconds, idle RSS, peak until the answer minus idle, and the peak in the
 * following 20 s (compose and delivery, which hold whole files for any large letter).
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAvsender } from '../src/app/accounts.js';
import { openSqlite, SqliteConfigStore } from '../src/storage/sqlite/index.js';
import { restForsendelse } from '../test/factories.js';
import { writeLargePdf } from '../test/fixtures/large-pdf.js';
import { concat, partHead, streamPost } from '../test/security/hostile-http.js';
import { startNode } from './lib/node-child.js';

const MB = 1_000_000;
const MIB = 1024 * 1024;
const BOUNDARY = 'grense-kryptert';
const { values: args } = parseArgs({
  options: { pages: { type: 'string', default: '100' }, 'image-bytes': { type: 'string', default: '3000000' } },
});

const tmp = mkdtempSync(join(tmpdir(), 'budbringer-kryptert-bench-'));
const dataDir = join(tmp, 'data');
mkdirSync(dataDir, { recursive: true });
const db = openSqlite(join(dataDir, 'budbringer.sqlite'));
const avsender = 'Kryptokommune';
const { servicePassword } = await createAvsender(new SqliteConfigStore(db), { navn: avsender, now: Date.now() });
db.close();
const auth = `Basic ${Buffer.from(`${avsender}:${servicePassword}`).toString('base64')}`;

const node = await startNode({
  DATA_DIR: dataDir,
  SECRET: 'kryptert-bench-secret-0123456789abcdef0123',
  LOG_LEVEL: 'info',
});
try {
  const certPath = join(tmp, 'budbringer.pem');
  writeFileSync(certPath, await (await fetch(`${node.url}/forsendelse/publickey/hent`)).text());
  const pdfPath = join(tmp, 'stor.pdf');
  const cmsPath = join(tmp, 'stor.pdf.p7m');
  const { size, pages } = await writeLargePdf(pdfPath, {
    pages: Number(args.pages),
    imageBytesPerPage: Number(args['image-bytes']),
  });
  execFileSync('/usr/bin/openssl', [
    'cms',
    '-encrypt',
    '-binary',
    '-stream',
    '-aes256',
    '-outform',
    'DER',
    '-in',
    pdfPath,
    '-out',
    cmsPath,
    '-recip',
    certPath,
  ]);
  rmSync(pdfPath);
  const cmsSize = statSync(cmsPath).size;
  await new Promise((r) => setTimeout(r, 2000));
  const idle = await node.rssAfterGc();
  let peak = node.rssNow();
  const sampler = setInterval(() => {
    peak = Math.max(peak, node.rssNow());
  }, 10);
  const t0 = performance.now();
  const answer = await streamPost(
    `${node.url}/tjenester/api/forsendelse/v1/sendForsendelse`,
    { authorization: auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    concat(
      partHead(BOUNDARY, 'name="forsendelse"', 'application/json'),
      JSON.stringify(restForsendelse({ tittel: 'Stort kryptert brev', kryptert: true, kunDigitalLevering: true })),
      '\r\n',
      partHead(BOUNDARY, 'name="filer"; filename="brev.pdf"', 'application/octet-stream'),
      createReadStream(cmsPath, { highWaterMark: MIB }),
      `\r\n--${BOUNDARY}--\r\n`,
    ),
    15 * 60_000,
  );
  const seconds = (performance.now() - t0) / 1000;
  const peakUntilAnswer = Math.max(peak, node.rssNow());
  await new Promise((r) => setTimeout(r, 20_000));
  clearInterval(sampler);
  const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      case: `rest: encrypted ${Math.round(size / MB)} MB PDF (${pages} pages), CMS ${Math.round(cmsSize / MB)} MB`,
      status: answer.status,
      seconds: Math.round(seconds * 10) / 10,
      idle_rss_mb: mb(idle),
      peak_minus_idle_mb: mb(peakUntilAnswer - idle),
      peak_with_background_minus_idle_mb: mb(Math.max(peak, node.rssNow()) - idle),
      message: answer.text.replace(/\s+/g, ' ').slice(0, 160),
    })}\n`,
  );
} finally {
  await node.stop();
  rmSync(tmp, { recursive: true, force: true });
}
