/**
 * Memory of a large inline-base64 SOAP letter (issue #17: "a 300 MB inline letter taken with
 * RSS within +64 MB of idle"). The Node client and SOAP::Lite send documents only inline, so
 * the SOAP door decodes `<data>` while it streams, straight into the blob store
 * (src/http/soap/envelope-reader.ts). Not part of `npm test`: it sends gigabytes and measures,
 * it asserts nothing.
 *
 *   npx tsx bench/soap-inline-memory.ts [--pages 100] [--image-mb 3]
 *
 * The node is a child process (bench/lib/node-child.ts) with the default limits (the
 * forsendelse limit 350 MiB, inline documents up to it). A valid PDF of pages × image-mb is
 * written to disk and sent from there as base64, generated as it is sent: once on one line
 * (the Node client) and once in 76-column lines (SOAP::Lite, MIME::Base64). Before each case
 * a fresh node takes a small letter (its PDF threads start), waits, and runs two full GCs: its
 * VmRSS then is idle; during the case it is read every 10 ms until the answer. One JSON line
 * per case: the answer, the time, idle RSS and peak RSS minus idle (MB). The node is stopped
 * after the answers, before composing the letter (a separate cost: docs/limits.md "Memory").
 */
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAvsender } from '../src/app/accounts.js';
import { openSqlite, SqliteConfigStore } from '../src/storage/sqlite/index.js';
import { letterPdf } from '../test/factories.js';
import { writeLargePdf } from '../test/fixtures/large-pdf.js';
import { streamPost, type StreamedAnswer } from '../test/security/hostile-http.js';
import { startNode } from './lib/node-child.js';

const MB = 1_000_000;
const V9 = 'http://www.ks.no/svarut/servicesV9';
const SOAP = '/tjenester/forsendelseservice/ForsendelsesServiceV9';
/** Bytes read from the file per base64 slice: a multiple of 3 and of 57 (one 76-column line). */
const SLICE = 57 * 3 * 6000;

const { values: args } = parseArgs({
  options: { pages: { type: 'string', default: '100' }, 'image-mb': { type: 'string', default: '3' } },
});

const tmp = mkdtempSync(join(tmpdir(), 'budbringer-inline-'));
const avsender = 'Inlinekommune';

/** A fresh DATA_DIR with the avsender; its Authorization header. */
async function freshDataDir(name: string): Promise<{ dataDir: string; auth: string }> {
  const dataDir = join(tmp, name);
  mkdirSync(dataDir, { recursive: true });
  const db = openSqlite(join(dataDir, 'budbringer.sqlite'));
  const { servicePassword } = await createAvsender(new SqliteConfigStore(db), {
    navn: avsender,
    orgnr: '974760673',
    now: Date.now(),
  });
  db.close();
  return { dataDir, auth: `Basic ${Buffer.from(`${avsender}:${servicePassword}`).toString('base64')}` };
}

const pdfPath = join(tmp, 'stor.pdf');
process.stderr.write('writing the letter PDF …\n');
await writeLargePdf(pdfPath, { pages: Number(args.pages), imageBytesPerPage: Number(args['image-mb']) * MB });
const size = statSync(pdfPath).size;
// A small letter first, so the node's PDF threads are up before idle is measured (as in production).
const warmPath = join(tmp, 'liten.pdf');
writeFileSync(warmPath, await letterPdf());

/** The Node client's envelope around the document's base64 (`lines`: 76-column lines, CRLF, as MIME::Base64). */
function envelope(path: string, tittel: string, lines: boolean): { length: number; body: AsyncIterable<Uint8Array> } {
  const size = statSync(path).size;
  const head = Buffer.from(
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns2:sendForsendelse xmlns:ns2="${V9}"><forsendelse><dokumenter><data>`,
  );
  const tail = Buffer.from(
    `</data><filnavn>stor.pdf</filnavn><mimetype>application/pdf</mimetype><skalSigneres>false</skalSigneres><ekskluderesFraPrint>false</ekskluderesFraPrint></dokumenter>` +
      `<tittel>${tittel}</tittel><avgivendeSystem>bench</avgivendeSystem><krevNiva4Innlogging>false</krevNiva4Innlogging><kryptert>false</kryptert><kunDigitalLevering>false</kunDigitalLevering>` +
      `<mottaker><digitalAdresse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ns2:personDigitalAdresse"><fnr>01019000083</fnr></digitalAdresse>` +
      `<postAdresse><navn>Kari Nordmann</navn><adresse1>Storgata 1</adresse1><postnr>0155</postnr><poststed>Oslo</poststed></postAdresse></mottaker></forsendelse></ns2:sendForsendelse></soap:Body></soap:Envelope>`,
  );
  const base64Length = Math.ceil(size / 3) * 4;
  const lineBreaks = lines ? Math.ceil(base64Length / 76) * 2 : 0;
  async function* body(): AsyncGenerator<Uint8Array> {
    yield head;
    let carry = Buffer.alloc(0);
    for await (const chunk of createReadStream(path, { highWaterMark: SLICE })) {
      const bytes = Buffer.concat([carry, chunk as Buffer]);
      // Whole 57-byte groups: their base64 is whole 76-column lines, and joins up exactly.
      const usable = bytes.length - (bytes.length % 57);
      carry = bytes.subarray(usable);
      yield encode(bytes.subarray(0, usable), lines);
    }
    if (carry.length > 0) yield encode(carry, lines);
    yield tail;
  }
  return { length: head.length + base64Length + lineBreaks + tail.length, body: body() };
}

/** Base64 of `bytes`, in 76-column CRLF lines when `lines`. */
function encode(bytes: Buffer, lines: boolean): Buffer {
  const text = bytes.toString('base64');
  return Buffer.from(lines ? `${text.replace(/.{1,76}/g, '$&\r\n')}` : text, 'latin1');
}

// Each case on a fresh node: composing a 300 MB letter afterwards costs far more than taking
// it (docs/limits.md "Memory") and would run into the next case's figure.
for (const [index, [name, lines]] of [
  ['node client: base64 on one line', false],
  ['SOAP::Lite: base64 in 76-column lines', true],
].entries() as IterableIterator<[number, [string, boolean]]>) {
  const { dataDir, auth } = await freshDataDir(`data-${index}`);
  const node = await startNode({ DATA_DIR: dataDir });
  try {
    const warm = envelope(warmPath, 'Oppvarming', false);
    const warmed = await streamPost(
      `${node.url}${SOAP}`,
      { authorization: auth, 'content-type': 'application/soap+xml', 'content-length': String(warm.length) },
      warm.body,
    );
    if (warmed.status !== 200) throw new Error(`warm-up letter: ${warmed.status} ${warmed.text}`);
    await new Promise((r) => setTimeout(r, 3000)); // its compose and delivery
    const idle = await node.rssAfterGc();
    process.stderr.write(`${name}: idle RSS ${(idle / MB).toFixed(1)} MB; document ${(size / MB).toFixed(1)} MB\n`);
    let peak = node.rssNow();
    const sampler = setInterval(() => {
      peak = Math.max(peak, node.rssNow());
    }, 10);
    const { length, body } = envelope(pdfPath, `Stort innebygd brev (${name})`, lines);
    const t0 = performance.now();
    let answer: StreamedAnswer | { status: number; text: string };
    try {
      answer = await streamPost(
        `${node.url}${SOAP}`,
        { authorization: auth, 'content-type': 'application/soap+xml', 'content-length': String(length) },
        body,
        15 * 60_000,
      );
    } catch (error) {
      answer = { status: 0, text: (error as Error).message };
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, node.rssNow());
    const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
    process.stdout.write(
      `${JSON.stringify({
        case: name,
        document_mb: mb(size),
        body_mb: mb(length),
        status: answer.status,
        id: /<return>([0-9a-f-]{36})<\/return>/.exec(answer.text)?.[1],
        seconds: Math.round(seconds * 10) / 10,
        idle_rss_mb: mb(idle),
        peak_minus_idle_mb: mb(peak - idle),
        ...(answer.status === 200 ? {} : { message: answer.text.replace(/\s+/g, ' ').slice(0, 300) }),
      })}\n`,
    );
  } finally {
    await node.stop();
  }
}
rmSync(tmp, { recursive: true, force: true });
