/**
 * The one-time-code routes of the inbox act only for a letter that needs a code, and the
 * proof they set is Secure wherever the service is reached over https (an outside review of
 * the web UIs, 6 December 2026):
 * - a link to an ordinary letter sent no code SMS before, at the holder's request, costing
 *   money and surprising the recipient; now /kode and /bekreft lead to the letter itself;
 * - behind a TLS proxy that does not say so (no X-Forwarded-Proto), a PUBLIC_URL of https
 *   made the admin session cookie Secure but not the level-4 proof;
 * - a link with a slash added after it answered the API's JSON 404 instead of the letter.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  FNR,
  letterPdf,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { encryptForNode } from '../support/openssl.js';

const MOTTAKER = FNR[0];
const PUBLIC = 'https://post.kommune.test';

describe('inbox: the code routes only for a level-4 letter, their proof Secure behind https', () => {
  let dir: string;
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-kode-'));
    const krr = {
      personer: [
        {
          personidentifikator: MOTTAKER,
          reservasjon: 'NEI',
          status: 'AKTIV',
          kontaktinformasjon: { epostadresse: 'kari@example.no', mobiltelefonnummer: '+4799887766' },
        },
      ],
    };
    await writeFile(join(dir, 'krr.json'), JSON.stringify(krr));
    t = await startTestNode({ KRR_FILE: join(dir, 'krr.json'), PUBLIC_URL: PUBLIC }, join(dir, 'data'));
    creds = await t.sender('Kodekommune');
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const outbox = (): string => join(dir, 'data', 'outbox');
  const files = async (suffix: string): Promise<string[]> =>
    (await readdir(outbox()).catch(() => [] as string[])).filter((n) => n.endsWith(suffix)).sort();
  const post = (url: string, form?: Record<string, string>): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      redirect: 'manual',
      ...(form === undefined ? {} : { body: new URLSearchParams(form) }),
    });

  /** Sends a letter to Kari, waits for VARSLET, and returns its inbox link from the e-mail. */
  async function send(tittel: string, level4: boolean): Promise<string> {
    const seen = new Set(await files('.eml'));
    const pdf = await letterPdf();
    const r = await restSend(
      t.url,
      creds,
      restForsendelse({
        tittel,
        ...(level4 ? { krevNiva4Innlogging: true, kryptert: true } : {}),
        mottaker: {
          postAdresse: { navn: 'Kari', adresse1: 'Gata 1', postNummer: '0155', postSted: 'Oslo' },
          digitalAdresse: { fodselsNummer: MOTTAKER },
        },
      }),
      [{ filename: 'brev.pdf', bytes: level4 ? await encryptForNode(t.url, pdf) : pdf }],
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await waitForStatus(t.url, creds, r.body.id as string, 'VARSLET');
    const link = await eventually(async () => {
      for (const f of (await files('.eml')).filter((n) => !seen.has(n))) {
        const raw = (await readFile(join(outbox(), f), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        // With PORT=0 (tests) links name the listener; the cookies follow the https PUBLIC_URL.
        const m = /http:\/\/127\.0\.0\.1:\d+(\/innboks\/[A-Za-z0-9_.-]+)/.exec(raw);
        if (m?.[1] !== undefined) return m[1];
      }
      return undefined;
    }, 15_000);
    return `${t.url}${link}`;
  }

  it('an ordinary letter: /kode sends no SMS and /bekreft sets no proof; both lead to the letter', async () => {
    const link = await send('Vanlig brev', false);
    const before = await files('.sms.txt');
    for (let i = 0; i < 3; i++) {
      const r = await post(`${link}/kode`);
      assert.equal(r.status, 303);
      assert.match(r.headers.get('location') ?? '', /^\.\.\/[A-Za-z0-9_.-]+$/);
    }
    const bekreft = await post(`${link}/bekreft`, { kode: '123456' });
    assert.equal(bekreft.status, 303);
    assert.equal(bekreft.headers.get('set-cookie'), null, 'no proof cookie for a letter that needs none');
    assert.deepEqual(await files('.sms.txt'), before, 'no code SMS for a letter that needs no code');
    assert.match(await (await fetch(link)).text(), /Vanlig brev/, 'the letter opens with its link alone');
  });

  it('a level-4 letter: the proof cookie is Secure, as the service is reached over https (PUBLIC_URL)', async () => {
    const link = await send('Sikkert brev', true);
    const before = new Set(await files('.sms.txt'));
    assert.equal((await post(`${link}/kode`)).status, 303);
    const sms = (await files('.sms.txt')).filter((n) => !before.has(n));
    assert.equal(sms.length, 1, 'one code SMS');
    const code = /: (\d{6})/.exec(await readFile(join(outbox(), sms[0] as string), 'utf8'))?.[1] ?? '';
    const ok = await post(`${link}/bekreft`, { kode: code });
    assert.equal(ok.status, 303);
    const cookie = ok.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^bb_niva4=/);
    assert.match(cookie, /;\s*Secure/i, `Secure over plain http behind an https PUBLIC_URL: ${cookie}`);
    // Lax: the link is opened from a webmail; with Strict each opening asked for a new SMS code.
    assert.match(cookie, /;\s*SameSite=Lax/i, cookie);
  });

  it('a link with a slash after it leads to the letter; an unknown address under it is a page, not JSON', async () => {
    const link = await send('Lenke med skråstrek', false);
    const path = new URL(link).pathname;
    for (const [extra, target] of [
      ['/', path],
      ['//?sprak=en', `${path}?sprak=en`],
      ['/forsendelsesfil/', `${path}/forsendelsesfil`],
    ] as const) {
      const r = await fetch(`${link}${extra}`, { redirect: 'manual' });
      assert.equal(r.status, 301, extra);
      assert.equal(r.headers.get('location'), target, extra);
    }
    assert.match(await (await fetch(`${link}/`)).text(), /Lenke med skråstrek/, 'followed: the letter');
    // A reload or bookmark of a code form's address (POST only): the letter, not "Ugyldig lenke".
    for (const form of ['kode', 'bekreft']) {
      const r = await fetch(`${link}/${form}?sprak=en`, { redirect: 'manual' });
      assert.equal(r.status, 303, form);
      assert.match(r.headers.get('location') ?? '', /^\.\.\/[A-Za-z0-9_.-]+\?sprak=en$/, form);
    }
    // Location keeps the path's encoding (a decoded å would go out as a raw Latin-1 byte).
    const encoded = await fetch(`${t.url}/innboks/%C3%A5/`, { redirect: 'manual' });
    assert.equal(encoded.status, 301);
    assert.equal(encoded.headers.get('location'), '/innboks/%C3%A5');
    const unknown = await fetch(`${link}/ukjent/sti`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await unknown.text(), /Ugyldig lenke/);
  });
});
