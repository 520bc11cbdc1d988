/**
 * SOAP intake benchmark (issue: "SOAP intake ≥ 0.8× REST intake; a 200 MB MTOM
 * forsendelse accepted with peak RSS below 300 MB"). Each run starts a fresh server child
 * (bench/soap-intake-server.ts) and streams request bodies generated on the fly, so
 * neither side holds a whole body. Prints one JSON line.
 *
 *   npx tsx bench/soap-intake.ts [--mb 40] [--rounds 5] [--big-mb 200]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '5' },
    'big-mb': { type: 'string', default: '200' },
  },
});
const DOC_MB = Number(values.mb);
const ROUNDS = Number(values.rounds);
const BIG_MB = Number(values['big-mb']);
const AUTH = `Basic ${Buffer.from('bench:bench').toString('base64')}`;
const V9 = 'http://www.ks.no/svarut/servicesV9';
// A block whose length is a multiple of 3, so the base64 of repeated blocks is the repeated base64.
const BLOCK = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1_048_575 - 9)]);
const BLOCK_B64 = BLOCK.toString('base64');

interface Body {
  readonly contentType: string;
  readonly length: number;
  readonly parts: () => AsyncGenerator<Uint8Array>;
}

function docBlocks(mb: number): { count: number; bytes: number } {
  return { count: mb, bytes: mb * BLOCK.length };
}

const MOTTAKER_XML =
  '<mottaker><digitalAdresse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ns2:personDigitalAdresse"><fnr>01029400475</fnr></digitalAdresse>' +
  '<postAdresse><navn>Ola</navn><adresse1>Vei 1</adresse1><postnr>3710</postnr><poststed>Skien</poststed></postAdresse></mottaker>';

/** CXF-style SOAP 1.2 MTOM: root part first, the document as one binary XOP part. */
function soapMtom(mb: number): Body {
  const boundary = 'uuid:bench-boundary';
  const root =
    `--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-ID: <root.message@cxf.apache.org>\r\n\r\n` +
    `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:sendForsendelse xmlns:ns2="${V9}"><forsendelse>` +
    `<dokumenter><data><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc-1@cxf.apache.org"/></data>` +
    `<filnavn>stor.pdf</filnavn><mimetype>application/pdf</mimetype></dokumenter>${MOTTAKER_XML}<tittel>Bench</tittel></forsendelse></ns2:sendForsendelse></soap:Body></soap:Envelope>` +
    `\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc-1@cxf.apache.org>\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const { count, bytes } = docBlocks(mb);
  return {
    contentType: `multipart/related; type="application/xop+xml"; boundary="${boundary}"; start="<root.message@cxf.apache.org>"; start-info="application/soap+xml"`,
    length: Buffer.byteLength(root) + bytes + Buffer.byteLength(tail),
    parts: async function* () {
      yield Buffer.from(root);
      for (let i = 0; i < count; i++) yield BLOCK;
      yield Buffer.from(tail);
    },
  };
}

/** Node-client-style SOAP: one XML document, the document inline as base64. */
function soapInline(mb: number): Body {
  const head = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns2:sendForsendelse xmlns:ns2="${V9}"><forsendelse><dokumenter><data>`;
  const tail = `</data><filnavn>stor.pdf</filnavn><mimetype>application/pdf</mimetype></dokumenter><tittel>Bench</tittel>${MOTTAKER_XML}</forsendelse></ns2:sendForsendelse></soap:Body></soap:Envelope>`;
  const chunk = Buffer.from(BLOCK_B64);
  return {
    contentType: 'application/soap+xml',
    length: Buffer.byteLength(head) + mb * chunk.length + Buffer.byteLength(tail),
    parts: async function* () {
      yield Buffer.from(head);
      for (let i = 0; i < mb; i++) yield chunk;
      yield Buffer.from(tail);
    },
  };
}

/** REST v1 multipart/form-data: the JSON part, then the file. */
function rest(mb: number): Body {
  const boundary = 'JettyHttpClient-bench';
  const json = JSON.stringify({
    tittel: 'Bench',
    mottaker: {
      digitalAdresse: { fodselsNummer: '01029400475' },
      postAdresse: { navn: 'Ola', adresse1: 'Vei 1', postNummer: '3710', postSted: 'Skien' },
    },
    dokumenter: [{ filnavn: 'stor.pdf', mimeType: 'application/pdf' }],
  });
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="forsendelse"\r\nContent-Type: application/json\r\n\r\n${json}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="filer"; filename="stor.pdf"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const { count, bytes } = docBlocks(mb);
  return {
    contentType: `multipart/form-data; boundary="${boundary}"`,
    length: Buffer.byteLength(head) + bytes + Buffer.byteLength(tail),
    parts: async function* () {
      yield Buffer.from(head);
      for (let i = 0; i < count; i++) yield BLOCK;
      yield Buffer.from(tail);
    },
  };
}

async function startServer(): Promise<{
  child: ChildProcess;
  port: number;
  ask: () => Promise<{ peakRssMb: number; rssMb: number }>;
  stop: () => Promise<void>;
}> {
  const child = fork(new URL('./soap-intake-server.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const ask = (): Promise<{ peakRssMb: number; rssMb: number }> =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve((m as { memory: { peakRssMb: number; rssMb: number } }).memory));
      child.send('memory');
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.send('stop');
    });
  return { child, port, ask, stop };
}

async function send(port: number, path: string, body: Body): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': body.contentType, 'content-length': body.length, authorization: AUTH },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    void (async () => {
      for await (const part of body.parts()) {
        if (!req.write(part)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(reject);
  });
}

const SOAP_PATH = '/tjenester/forsendelseservice/ForsendelsesServiceV9';
const REST_PATH = '/tjenester/api/forsendelse/v1/sendForsendelse';

/** Seconds for one send of `DOC_MB`; throws unless accepted. */
async function timed(port: number, path: string, make: (mb: number) => Body, mb = DOC_MB): Promise<number> {
  const t0 = performance.now();
  const r = await send(port, path, make(mb));
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text.slice(0, 500)}`);
  return (performance.now() - t0) / 1000;
}

/** MB/s of the median round. */
function rate(seconds: number[]): number {
  const sorted = [...seconds].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return (DOC_MB * BLOCK.length) / 1048576 / median;
}

// The doors take turns round by round, so load from elsewhere on the machine hits all alike.
const a = await startServer();
const kinds = {
  rest: [REST_PATH, rest],
  soapMtom: [SOAP_PATH, soapMtom],
  soapInline: [SOAP_PATH, soapInline],
} as const;
const seconds: Record<keyof typeof kinds, number[]> = { rest: [], soapMtom: [], soapInline: [] };
for (const [path, make] of Object.values(kinds)) await timed(a.port, path, make, 2);
for (let i = 0; i < ROUNDS; i++) {
  for (const [name, [path, make]] of Object.entries(kinds) as [
    keyof typeof kinds,
    (typeof kinds)[keyof typeof kinds],
  ][]) {
    seconds[name].push(await timed(a.port, path, make));
  }
}
const restMBps = rate(seconds.rest);
const soapMtomMBps = rate(seconds.soapMtom);
const soapInlineMBps = rate(seconds.soapInline);
await a.stop();

// The memory run gets a fresh process, so its peak is the big forsendelse's and nothing else's.
const b = await startServer();
const idle = await b.ask();
const big = await send(b.port, SOAP_PATH, soapMtom(BIG_MB));
const afterBig = await b.ask();
const bigInline = await send(b.port, SOAP_PATH, soapInline(BIG_MB));
const afterInline = await b.ask();
await b.stop();

const result = {
  bench: 'soap-intake',
  docMb: DOC_MB,
  rounds: ROUNDS,
  restMBps: round(restMBps),
  soapMtomMBps: round(soapMtomMBps),
  soapInlineMBps: round(soapInlineMBps),
  soapMtomVsRest: round(soapMtomMBps / restMBps),
  soapInlineVsRest: round(soapInlineMBps / restMBps),
  bigMb: BIG_MB,
  bigMtomStatus: big.status,
  idlePeakRssMb: round(idle.peakRssMb),
  bigMtomPeakRssMb: round(afterBig.peakRssMb),
  bigInlineStatus: bigInline.status,
  bigInlinePeakRssMb: round(afterInline.peakRssMb),
  pass: soapMtomMBps >= 0.8 * restMBps && big.status === 200 && afterBig.peakRssMb < 300,
};
console.log(JSON.stringify(result));

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
