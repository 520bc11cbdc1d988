/**
 * The bench's letters: deterministic 2-page A4 PDFs (test/fixtures/letter-pdf.ts: 40–80 KB,
 * an embedded DejaVu subset and a PNG image), made unique per send by a PDF comment after
 * %%EOF (the blob store is content-addressed: equal bytes would be stored once and skip
 * the write that real traffic pays for), and the request bodies REST v1 and SOAP V9
 * clients send for them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeLetterPdf } from '../../test/fixtures/letter-pdf.js';

/** A valid fødselsnummer (mod-11), not in KRR: the recipient of the intake letters, which go on paper. */
export const BENCH_FNR = '01019000083';
/**
 * A valid fødselsnummer active in the bench node's KRR file (benchKrrFile) with an e-mail
 * address: letters to them go digital, are notified (an .eml in the node's outbox) and
 * are what the download phase opens.
 */
export const BENCH_DIGITAL_FNR = '02029010075';

/** DATA_DIR/krr.json of a bench node: BENCH_DIGITAL_FNR active and not reserved, notified by e-mail. */
export function benchKrrFile(): string {
  return JSON.stringify({
    personer: [
      {
        personidentifikator: BENCH_DIGITAL_FNR,
        reservasjon: 'NEI',
        status: 'AKTIV',
        kontaktinformasjon: { epostadresse: 'kari.nordmann@example.no' },
      },
    ],
  });
}
export const REST_SEND_PATH = '/tjenester/api/forsendelse/v1/sendForsendelse';
export const SOAP_PATH = '/tjenester/forsendelseservice/ForsendelsesServiceV9';

/**
 * `count` letter PDFs (seeds 1..count). Generating one takes ~0.5 s of CPU (font
 * subsetting), so they are cached in `cacheDir`: same seed, same bytes, so the cache
 * cannot go stale.
 */
export async function letterPool(count: number, cacheDir: string): Promise<Uint8Array[]> {
  mkdirSync(cacheDir, { recursive: true });
  const pool: Uint8Array[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const path = join(cacheDir, `letter-${seed}.pdf`);
    if (existsSync(path)) {
      pool.push(new Uint8Array(readFileSync(path)));
      continue;
    }
    const bytes = await makeLetterPdf({ seed });
    writeFileSync(path, bytes);
    pool.push(bytes);
  }
  return pool;
}

/** A request body ready to send. */
export interface RequestBody {
  readonly contentType: string;
  readonly body: Buffer;
}

/** Makes letter number `n` unique: a comment line after %%EOF, which PDF readers ignore. */
export function uniqueLetter(pool: readonly Uint8Array[], n: number, runTag: string): Buffer {
  const base = pool[n % pool.length] as Uint8Array;
  return Buffer.concat([base, Buffer.from(`%bench ${runTag} ${n}\n`)]);
}

/** The REST v1 forsendelse JSON for one bench letter, to `fnr`. */
export function benchForsendelseJson(n: number, fnr = BENCH_FNR): Record<string, unknown> {
  return {
    tittel: `Vedtak om barnehageplass ${n}`,
    mottaker: {
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postNummer: '0155', postSted: 'Oslo' },
      digitalAdresse: { fodselsNummer: fnr },
    },
    avgivendeSystem: 'Budbringer bench',
    eksternReferanse: `bench-${n}`,
    dokumenter: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf' }],
  };
}

/** REST v1 multipart/form-data as SvarUt's Java client sends it: the JSON part, then the file. */
export function restBody(pdf: Buffer, n: number, fnr = BENCH_FNR): RequestBody {
  const boundary = `JettyHttpClientBoundary${n.toString(36)}x7q`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="forsendelse"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(benchForsendelseJson(n, fnr))}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="filer"; filename="vedtak.pdf"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head), pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}

const V9 = 'http://www.ks.no/svarut/servicesV9';

/** SOAP 1.2 MTOM as CXF-based SvarUt clients send it: the envelope, then the PDF as a binary XOP part. */
export function soapMtomBody(pdf: Buffer, n: number): RequestBody {
  const boundary = `uuid:bench-${n.toString(36)}`;
  const envelope =
    `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:sendForsendelse xmlns:ns2="${V9}"><forsendelse>` +
    `<avgivendeSystem>Budbringer bench</avgivendeSystem>` +
    `<dokumenter><data><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc-1@cxf.apache.org"/></data>` +
    `<filnavn>vedtak.pdf</filnavn><mimetype>application/pdf</mimetype></dokumenter>` +
    `<eksternref>bench-${n}</eksternref>` +
    `<mottaker><digitalAdresse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ns2:personDigitalAdresse"><fnr>${BENCH_FNR}</fnr></digitalAdresse>` +
    `<postAdresse><adresse1>Storgata 1</adresse1><navn>Kari Nordmann</navn><postnr>0155</postnr><poststed>Oslo</poststed></postAdresse></mottaker>` +
    `<tittel>Vedtak om barnehageplass ${n}</tittel></forsendelse></ns2:sendForsendelse></soap:Body></soap:Envelope>`;
  const head =
    `--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-ID: <root.message@cxf.apache.org>\r\n\r\n${envelope}` +
    `\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc-1@cxf.apache.org>\r\n\r\n`;
  return {
    contentType: `multipart/related; type="application/xop+xml"; boundary="${boundary}"; start="<root.message@cxf.apache.org>"; start-info="application/soap+xml"`,
    body: Buffer.concat([Buffer.from(head), pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}
