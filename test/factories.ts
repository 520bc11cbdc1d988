/**
 * Test factories (docs/architecture.md, conventions): valid forsendelser with overrides, a real node on a free
 * port with a temp DATA_DIR, and REST v1 calls as SvarUt clients make them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createAvsender } from '../src/app/accounts.js';
import { loadSettings } from '../src/config/load-settings.js';
import { startNode, type BudbringerNode } from '../src/composition/node.js';
import { makeLetterPdf } from './fixtures/letter-pdf.js';

/** Valid fødselsnumre (mod-11 checked) for tests. */
export const FNR = ['01019000083', '01019000164', '01019000245'] as const;
/** A valid organisasjonsnummer. */
export const ORGNR = '974760673';

/** A valid REST v1 forsendelse JSON with one PDF document `brev.pdf`; `overrides` are merged shallowly. */
export function restForsendelse(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tittel: 'Vedtak om byggesøknad',
    mottaker: {
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postNummer: '0155', postSted: 'Oslo' },
      digitalAdresse: { fodselsNummer: FNR[0] },
    },
    avgivendeSystem: 'Testsystem',
    dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf' }],
    ...overrides,
  };
}

/** A file part of a send. */
export interface TestFile {
  readonly filename: string;
  readonly bytes: Uint8Array;
  readonly partName?: string;
  readonly contentType?: string;
}

let letter: Uint8Array | undefined;
/** A realistic 2-page letter PDF (cached). */
export async function letterPdf(): Promise<Uint8Array> {
  letter ??= await makeLetterPdf({ seed: 7 });
  return letter;
}

/** Credentials of an avsender. */
export interface Creds {
  readonly user: string;
  readonly password: string;
}

/** The Authorization header for `creds`. */
export function basic(creds: Creds): string {
  return `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`;
}

/** POSTs a REST v1 send (multipart: `forsendelse` JSON, then the files); returns status and JSON. */
export async function restSend(
  baseUrl: string,
  creds: Creds,
  json: unknown,
  files: readonly TestFile[],
  path = '/tjenester/api/forsendelse/v1/sendForsendelse',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('forsendelse', new Blob([JSON.stringify(json)], { type: 'application/json' }));
  for (const f of files) {
    form.append(
      f.partName ?? 'filer',
      new Blob([new Uint8Array(f.bytes)], { type: f.contentType ?? 'application/octet-stream' }),
      f.filename,
    );
  }
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: basic(creds) },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** A postal address as REST v1's `mottaker.postAdresse` takes it. */
export interface RestPostAdresse {
  readonly navn: string;
  readonly adresse1: string;
  readonly postNummer: string;
  readonly postSted: string;
}

/**
 * Sends one letter with the test PDF (REST v1) as `creds` to the person `fnr` at `postAdresse`,
 * with `extra` fields of the forsendelse; fails unless it is accepted, and returns its id.
 */
export async function sendToPerson(
  baseUrl: string,
  creds: Creds,
  fnr: string,
  postAdresse: RestPostAdresse,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const json = restForsendelse({ mottaker: { postAdresse, digitalAdresse: { fodselsNummer: fnr } }, ...extra });
  const r = await restSend(baseUrl, creds, json, [{ filename: 'brev.pdf', bytes: await letterPdf() }]);
  if (r.status !== 200) throw new Error(`sendForsendelse answered ${r.status}: ${JSON.stringify(r.body)}`);
  return String(r.body.id);
}

/**
 * A REST v1 sendForsendelse with a multipart body of our own: the `forsendelse` part with
 * `partHeaders` and the raw `json` bytes (any encoding, a byte order mark), then `pdf` as
 * brev.pdf, so a test controls every byte the door reads.
 */
export async function restSendRaw(
  baseUrl: string,
  creds: Creds,
  partHeaders: string,
  json: Buffer,
  pdf: Uint8Array,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const boundary = 'raagrense7q';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\n${partHeaders}\r\n\r\n`),
    json,
    Buffer.from(
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="filer"; filename="brev.pdf"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(pdf),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(`${baseUrl}/tjenester/api/forsendelse/v1/sendForsendelse`, {
    method: 'POST',
    headers: { authorization: basic(creds), 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** GET/POST a REST v1 path as `creds`; returns status and parsed JSON (or {}). */
export async function restCall(
  baseUrl: string,
  creds: Creds,
  path: string,
  init: { method?: string; json?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/tjenester/api/forsendelse/v1${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: basic(creds),
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : JSON.parse(text) };
}

/** A node started for a test, with its temp DATA_DIR; `stop()` closes and deletes it. */
export interface TestNode {
  readonly node: BudbringerNode;
  readonly url: string;
  readonly dataDir: string;
  /** Creates an avsender and returns its credentials. */
  sender(name: string, orgnr?: string): Promise<Creds>;
  stop(): Promise<void>;
}

/** Starts a real node on 127.0.0.1:0 with a fresh DATA_DIR and `env` overrides; `logger` to read its log lines. */
export async function startTestNode(
  env: Record<string, string> = {},
  dataDir?: string,
  logger?: Logger,
): Promise<TestNode> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'budbringer-test-')));
  const settings = loadSettings([join(import.meta.dirname, '..', 'config', 'default.json')], {
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    JOB_POLL_MS: '50',
    ...env,
  });
  const node = await startNode(settings, logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  return {
    node,
    url: node.url,
    dataDir: dir,
    async sender(name, orgnr) {
      const { servicePassword } = await createAvsender(node.storage.config, { navn: name, orgnr, now: Date.now() });
      return { user: name, password: servicePassword };
    },
    async stop() {
      await node.close();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every status a forsendelse can have once it is AKSEPTERT (delivery moves on at once). */
export const ACCEPTED_OR_LATER = [
  'AKSEPTERT',
  'VARSLET',
  'LEST',
  'SENDT_PRINT',
  'PRINTET',
  'MANUELT_HANDTERT',
  'SENDT_DIGITALT',
  'KLAR_FOR_MOTTAK',
  'IKKE_LEVERT',
] as const;

/** Waits until forsendelse `id` has `status` (or one of them) via REST v1 and returns the status body. */
export async function waitForStatus(
  baseUrl: string,
  creds: Creds,
  id: string,
  status: string | readonly string[],
  timeoutMs = 15_000,
): Promise<unknown> {
  const wanted: readonly string[] = typeof status === 'string' ? [status] : status;
  return eventually(
    async () => {
      const r = await restCall(baseUrl, creds, `/${id}/status`);
      return r.status === 200 && wanted.includes(r.body.status) ? r.body : undefined;
    },
    timeoutMs,
    `${id} to reach ${status}`,
  );
}
