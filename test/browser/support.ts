/**
 * Shared by the admin web's browser and e2e tests: a real node with avsendere and users,
 * a cookie-keeping HTTP client that logs in and posts forms with their CSRF token, and
 * letters driven to the states the admin pages show.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putUser } from '../../src/app/accounts.js';
import type { AdminUser } from '../../src/storage/ports.js';
import {
  eventually,
  letterPdf,
  restForsendelse,
  restSend,
  startTestNode,
  type Creds,
  type TestNode,
} from '../factories.js';

/** Password of every test user (putUser wants at least 10 characters). */
export const PASSORD = 'riktig-hest-batteri';

/** Creates an admin web user. */
export async function addUser(
  t: TestNode,
  brukernavn: string,
  rolle: AdminUser['rolle'],
  avsender?: string,
): Promise<void> {
  await putUser(t.node.storage.config, { brukernavn, passord: PASSORD, rolle, avsender, now: Date.now() });
}

/**
 * Starts a node whose KRR file lists `krr` (persons with e-mail get digital letters; the
 * file must exist before the node starts). Without `dataDir` everything is removed on stop.
 */
export async function startAdminTestNode(
  krr: readonly { fnr: string; epost?: string; reservert?: boolean }[] = [],
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<TestNode> {
  const root = await mkdtemp(join(tmpdir(), 'budbringer-admin-'));
  const personer = krr.map((p) => ({
    personidentifikator: p.fnr,
    reservasjon: p.reservert ? 'JA' : 'NEI',
    status: 'AKTIV',
    kontaktinformasjon: p.epost === undefined ? undefined : { epostadresse: p.epost },
  }));
  const krrEnv: Record<string, string> = {};
  if (krr.length > 0) {
    krrEnv.KRR_FILE = join(root, 'krr.json');
    await writeFile(krrEnv.KRR_FILE, JSON.stringify({ personer }));
  }
  const t = await startTestNode({ ...krrEnv, ...env }, dataDir ?? join(root, 'data'));
  return {
    ...t,
    async stop() {
      await t.stop();
      await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/** A response as the tests look at it. */
export interface Answer {
  readonly status: number;
  readonly location: string | null;
  readonly contentType: string;
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly setCookie: string[];
  readonly headers: Headers;
}

/** The value of the CSRF field in a page. */
export function csrfIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m?.[1], 'the page has a CSRF field');
  return m[1];
}

/** An HTTP client with one cookie jar (the admin session), as a browser would be. */
export class AdminClient {
  cookie = '';

  constructor(readonly base: string) {}

  /** Any request; keeps the session cookie it is given. */
  async request(path: string, init: RequestInit = {}): Promise<Answer> {
    const headers = new Headers(init.headers);
    if (this.cookie !== '') headers.set('cookie', this.cookie);
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const pair = c.split(';')[0] ?? '';
      if (pair.startsWith('budbringer_forvaltning=')) this.cookie = pair;
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    return {
      status: res.status,
      location: res.headers.get('location'),
      contentType: res.headers.get('content-type') ?? '',
      text: Buffer.from(bytes).toString('utf8'),
      bytes,
      setCookie,
      headers: res.headers,
    };
  }

  /** GET. */
  get(path: string): Promise<Answer> {
    return this.request(path);
  }

  /** The CSRF token of the page at `path` (for this client's session). */
  async csrf(path = '/forvaltning/logg-inn'): Promise<string> {
    return csrfIn((await this.get(path)).text);
  }

  /** POSTs a url-encoded form; `csrf` undefined takes a fresh token, null sends none. */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    csrf?: string | null,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const body = new URLSearchParams();
    const token = csrf === undefined ? await this.csrf('/forvaltning/hjelp').catch(() => this.csrf()) : csrf;
    if (token !== null) body.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  /** Logs in; returns the answer (303 on success). */
  async login(brukernavn: string, passord = PASSORD, headers: Record<string, string> = {}): Promise<Answer> {
    const token = await this.csrf('/forvaltning/logg-inn');
    return this.post('/forvaltning/logg-inn', { brukernavn, passord }, token, headers);
  }
}

/** A logged-in client. */
export async function loggedIn(base: string, brukernavn: string): Promise<AdminClient> {
  const client = new AdminClient(base);
  const r = await client.login(brukernavn);
  assert.equal(r.status, 303, `login of ${brukernavn}: ${r.text.slice(0, 300)}`);
  return client;
}

/** Sends a letter over REST v1 and returns its id. */
export async function sendLetter(t: TestNode, creds: Creds, overrides: Record<string, unknown> = {}): Promise<string> {
  const r = await restSend(t.url, creds, restForsendelse(overrides), [
    { filename: 'brev.pdf', bytes: await letterPdf() },
  ]);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.id as string;
}

/** A recipient with only a postal address: always printed. */
export const PAPIRMOTTAKER = {
  postAdresse: { navn: 'Per Papir', adresse1: 'Postveien 3', postNummer: '9008', postSted: 'Tromsø' },
};

/** Waits until the read model shows `id` with `status` (and, optionally, more). */
export async function waitForRecord(t: TestNode, id: string, status: string, timeoutMs = 20_000): Promise<void> {
  await eventually(
    async () => ((await t.node.storage.readModel.get(id))?.status === status ? true : undefined),
    timeoutMs,
    `${id} to reach ${status}`,
  );
}

/** Makes the avsender print manually (its letters then wait in "Manuell print"). */
export async function useManualPrint(t: TestNode, avsender: string): Promise<void> {
  const a = await t.node.storage.config.getAvsender(avsender);
  assert.ok(a);
  await t.node.storage.config.updateAvsender({ ...a, print: { leverandor: 'manual' } });
}
