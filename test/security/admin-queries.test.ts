/**
 * Hostile admin queries (issue 13, item 5): every query parameter of the admin web is
 * bounded — dates within 2000-01-01..today+1y, periods ordered and limited, paging offsets
 * plain integers within the result, search texts at most 200 characters — and a bad one
 * answers 400 with a Norwegian message on the page, never a 500 or a held event loop.
 * Statistics are one aggregate the store computes: /healthz answers while the longest
 * allowed period over thousands of letters is counted.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decide } from '../../src/domain/decide.js';
import type { ForsendelseCommand } from '../../src/domain/commands.js';
import { evolve, type ForsendelseState } from '../../src/domain/forsendelse-state.js';
import { toRecord } from '../../src/domain/record.js';
import { addDays, formatCalendarDate, osloDate } from '../../src/domain/time/index.js';
import { forsendelseFromV1Json } from '../../src/http/rest/v1-forsendelse-json.js';
import { addUser, loggedIn, type AdminClient, type Answer } from '../browser/support.js';
import { restForsendelse, type TestNode } from '../factories.js';
import { assertHealthy, assertRefusal, assertStillSound, startHostileNode, type HostileNode } from './support.js';

const DAY = 24 * 3600_000;
const SEEDED = 3_000;
const SEED_AVSENDER = 'Seedet kommune';
/** Text without the non-breaking spaces Intl puts in numbers. */
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

/**
 * Stores `count` accepted digital letters of `avsender`, received evenly over [fra, til),
 * through the node's own read model, each a state the domain decided (no mock of the store).
 */
async function seedLetters(t: TestNode, avsender: string, count: number, fra: number, til: number): Promise<void> {
  const input = forsendelseFromV1Json(restForsendelse({ tittel: 'Seedet brev' }));
  const blob = { sha256: '0'.repeat(64), size: 1 };
  for (let i = 0; i < count; i++) {
    const at = fra + Math.floor(((til - fra) * i) / count);
    const commands: ForsendelseCommand[] = [
      {
        type: 'Motta',
        at,
        id: randomUUID(),
        avsender,
        input,
        dokumenter: [{ ...input.dokumenter[0]!, blob, sider: 1 }],
      },
      { type: 'RegistrerForsendelsesfil', at: at + 1, forsendelsesfil: { ...blob, sider: 2 } },
      { type: 'VelgKanal', at: at + 2, kanal: 'digital', grunn: 'Seedet', varsling: { epost: 'seed@example.no' } },
    ];
    let state: ForsendelseState | undefined;
    let seq = 0;
    for (const command of commands) {
      for (const event of decide(state, command)) {
        state = evolve(state, event);
        seq += 1;
      }
    }
    assert.ok(state !== undefined);
    await t.node.storage.readModel.upsert(toRecord(state, seq));
  }
}

describe('security: admin queries', () => {
  let h: HostileNode;
  let admin: AdminClient;
  const ymd = (daysFromToday: number): string => formatCalendarDate(addDays(osloDate(Date.now()), daysFromToday));

  before(async () => {
    h = await startHostileNode();
    await h.t.sender(SEED_AVSENDER);
    // Spread over the last three years (the longest period the statistics cover).
    await seedLetters(h.t, SEED_AVSENDER, SEEDED, Date.now() - 3 * 365 * DAY, Date.now() - DAY);
    await addUser(h.t, 'admin', 'admin');
    admin = await loggedIn(h.t.url, 'admin');
  });
  after(() => h.t.stop());

  /** GETs `path` while checking that /healthz answers within 2 s meanwhile. */
  const whileHealthy = async (path: string): Promise<Answer> => {
    const request = admin.get(path);
    await new Promise((r) => setTimeout(r, 20));
    await assertHealthy(h.t.url, 2_000);
    return request;
  };

  it('refuses statistics for 0001-01-01…9999-12-31 at once, /healthz answering meanwhile', async () => {
    const res = await whileHealthy('/forvaltning/statistikk?fra=0001-01-01&til=9999-12-31');
    assertRefusal(res, 400, /Ugyldig dato i «Fra og med»: må ligge mellom 2000-01-01 og \d{4}-\d{2}-\d{2}/);
    assert.match(res.text, /Ugyldig dato i «Til og med»: må ligge mellom 2000-01-01/);
    await assertStillSound(h);
  });

  it('counts the longest allowed period over thousands of letters in the store, /healthz answering meanwhile', async () => {
    const res = await whileHealthy(
      `/forvaltning/statistikk?fra=${ymd(-3 * 365)}&til=${ymd(0)}&avsender=${encodeURIComponent(SEED_AVSENDER)}`,
    );
    assert.equal(res.status, 200, res.text.slice(0, 500));
    assert.match(
      plain(res.text),
      new RegExp(
        `<strong>${SEEDED.toLocaleString('nb-NO').replace(/[\u00a0\u202f]/g, ' ')}</strong> forsendelser mottatt`,
      ),
    );
    assert.match(
      plain(res.text),
      new RegExp(`<strong>${SEEDED.toLocaleString('nb-NO').replace(/[\u00a0\u202f]/g, ' ')}</strong> levert digitalt`),
    );
    await assertStillSound(h);
  });

  it('refuses a reversed statistics period', async () => {
    const res = await admin.get(`/forvaltning/statistikk?fra=${ymd(-1)}&til=${ymd(-30)}`);
    assertRefusal(res, 400, /«Til og med» kan ikke være før «Fra og med»/);
    await assertStillSound(h);
  });

  it('refuses garbage dates and an absurd amount in the cost model', async () => {
    const res = await admin.get(
      `/forvaltning/statistikk?fra=${encodeURIComponent("i-går'; DROP TABLE forsendelser;--")}&til=2024-02-30&porto=1e308`,
    );
    assertRefusal(res, 400, /Ugyldig dato i «Fra og med»: bruk formatet åååå-mm-dd/);
    assert.match(res.text, /Ugyldig dato i «Til og med»: bruk formatet åååå-mm-dd/);
    assert.match(res.text, /Ugyldig beløp i «Porto per brev»/);
    await assertStillSound(h);
  });

  it('refuses a statistics period longer than three years', async () => {
    const res = await admin.get(`/forvaltning/statistikk?fra=${ymd(-5 * 365)}&til=${ymd(0)}`);
    assertRefusal(res, 400, /Perioden kan være høyst 3 år/);
    await assertStillSound(h);
  });

  it('refuses the CSV export over an extreme range with the page, not a file', async () => {
    const res = await whileHealthy('/forvaltning/statistikk.csv?fra=0001-01-01&til=9999-12-31');
    assertRefusal(res, 400, /Ugyldig dato i «Fra og med»: må ligge mellom 2000-01-01/);
    assert.match(res.contentType, /^text\/html/);
    assert.equal(res.headers.get('content-disposition'), null);
    await assertStillSound(h);
  });

  it('refuses ?side=1e308 in the letter list with a message, not a 500', async () => {
    const res = await admin.get('/forvaltning/forsendelser?side=1e308');
    assertRefusal(res, 400, /Ugyldig side: «side» må være et helt tall fra 0 til 10000000/);
    await assertStillSound(h);
  });

  it('refuses a negative, NaN or hexadecimal page', async () => {
    for (const side of ['-1', 'NaN', '0x10', '1.5', ' 9'.repeat(20)]) {
      const res = await admin.get(`/forvaltning/forsendelser?side=${encodeURIComponent(side)}`);
      assertRefusal(res, 400, /Ugyldig side: «side» må være et helt tall/);
    }
    await assertStillSound(h);
  });

  it('refuses a page past the last match', async () => {
    const res = await admin.get(`/forvaltning/forsendelser?avsender=${encodeURIComponent(SEED_AVSENDER)}&side=99975`);
    assertRefusal(
      res,
      400,
      new RegExp(`Siden finnes ikke: søket har ${SEEDED} treff, og «side» \\(99975\\) ligger etter det siste`),
    );
    await assertStillSound(h);
  });

  it('refuses 10 000-character search texts', async () => {
    // 10 000 characters in one field; the URL as a whole must stay below the 16 KiB header limit.
    const res = await admin.get(
      `/forvaltning/forsendelser?tittel=${'a'.repeat(10_000)}&mottaker=${'b'.repeat(2_000)}&eksternref=${'c'.repeat(201)}`,
    );
    assertRefusal(res, 400, /«Tittel» kan være høyst 200 tegn \(var 10000\)/);
    assert.match(res.text, /«Mottaker» kan være høyst 200 tegn/);
    assert.match(res.text, /«Ekstern referanse» kan være høyst 200 tegn/);
    await assertStillSound(h);
  });

  it('refuses control characters in search texts: U+0000 once cut the LIKE pattern and matched every title', async () => {
    const res = await admin.get('/forvaltning/forsendelser?tittel=zz%00&mottaker=a%1Bb&eksternref=r%0Ar');
    assertRefusal(res, 400, /«Tittel» kan ikke inneholde kontrolltegn \(U\+0000\)/);
    assert.match(res.text, /«Mottaker» kan ikke inneholde kontrolltegn \(U\+001B\)/);
    assert.match(res.text, /«Ekstern referanse» kan ikke inneholde kontrolltegn \(U\+000A\)/);
    const audit = await admin.get('/forvaltning/revisjonslogg?bruker=a%00');
    assertRefusal(audit, 400, /«Bruker» kan ikke inneholde kontrolltegn \(U\+0000\)/);
    await assertStillSound(h);
  });

  it('refuses a search over year 0001…9999 and one longer than ten years', async () => {
    const extreme = await admin.get('/forvaltning/forsendelser?fra=0001-01-01&til=9999-12-31');
    assertRefusal(extreme, 400, /Ugyldig dato i «Mottatt fra og med»: må ligge mellom 2000-01-01/);
    const long = await admin.get('/forvaltning/forsendelser?fra=2000-01-01&til=2015-01-01');
    assertRefusal(long, 400, /Perioden kan være høyst 10 år/);
    await assertStillSound(h);
  });

  it('refuses an unknown status instead of silently ignoring it', async () => {
    const res = await admin.get('/forvaltning/forsendelser?status=SLETTET%27%20OR%201%3D1');
    assertRefusal(res, 400, /Ukjent status: velg en av MOTTATT/);
    await assertStillSound(h);
  });

  it('refuses bad paging and oversized filters in the audit log', async () => {
    const side = await admin.get('/forvaltning/revisjonslogg?side=1e308');
    assertRefusal(side, 400, /Ugyldig side: «side» må være et helt tall/);
    const objekt = await admin.get(`/forvaltning/revisjonslogg?objekt=${'x'.repeat(10_000)}`);
    assertRefusal(objekt, 400, /«Objekt» kan være høyst 200 tegn/);
    const past = await admin.get('/forvaltning/revisjonslogg?side=5000');
    assertRefusal(past, 400, /Siden finnes ikke: søket har \d+ treff/);
    await assertStillSound(h);
  });

  it('ignores redirect message keys that are no message (?ok=constructor, ?bekreftet=1e308) instead of rendering them', async () => {
    const detail = await admin.get(`/forvaltning/forsendelser/${h.baseline.id}?ok=constructor`);
    assert.equal(detail.status, 200, detail.text.slice(0, 300));
    assert.doesNotMatch(detail.text, /function Object|native code/);
    const config = await admin.get(`/forvaltning/konfigurasjon/${encodeURIComponent(SEED_AVSENDER)}?ok=__proto__`);
    assert.equal(config.status, 200, config.text.slice(0, 300));
    assert.doesNotMatch(config.text, /\[object Object\]/);
    const print = await admin.get('/forvaltning/manuell-print?bekreftet=1e308');
    assert.equal(print.status, 200);
    assert.doesNotMatch(print.text, /brev er bekreftet printet/);
    await assertStillSound(h);
  });
});
