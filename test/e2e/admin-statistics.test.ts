/**
 * Statistics and manual print through the admin web, on letters driven through the real
 * pipeline (KRR file, notification to the outbox, print queue): the counts, read rate and
 * time to read, receipt costs, savings with edited cost figures, the CSV export, and the
 * print-ready batch with duplex padding.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { addDays, formatCalendarDate, osloDate } from '../../src/domain/time/index.js';
import { FNR, ORGNR, type Creds, type TestNode } from '../factories.js';
import {
  addUser,
  loggedIn,
  PAPIRMOTTAKER,
  sendLetter,
  startAdminTestNode,
  useManualPrint,
  waitForRecord,
  type AdminClient,
} from '../browser/support.js';

const DIGITAL = {
  postAdresse: { navn: 'Dina Digital', adresse1: 'Nettveien 1', postNummer: '0150', postSted: 'Oslo' },
  digitalAdresse: { fodselsNummer: FNR[0] },
};
const HOUR = 3600_000;

/** Text without the non-breaking spaces Intl puts in numbers. */
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

describe('admin web: manual print and statistics', () => {
  let t: TestNode;
  let creds: Creds;
  let admin: AdminClient;
  let lest: string;
  let ulest: string;
  let papir1: string;
  let papir2: string;
  let tosidig: string;
  const today = (): string => formatCalendarDate(osloDate(Date.now()));
  const period = (): string =>
    `fra=${formatCalendarDate(addDays(osloDate(Date.now()), -1))}&til=${formatCalendarDate(addDays(osloDate(Date.now()), 1))}`;

  before(async () => {
    t = await startAdminTestNode([{ fnr: FNR[0], epost: 'dina@example.no' }]);
    creds = await t.sender('Statistikkommune', ORGNR);
    const annen = await t.sender('Annen kommune');
    await useManualPrint(t, 'Statistikkommune');
    await addUser(t, 'admin', 'admin');
    lest = await sendLetter(t, creds, { tittel: 'Digitalt og lest', mottaker: DIGITAL });
    ulest = await sendLetter(t, creds, { tittel: 'Digitalt og ulest', mottaker: DIGITAL });
    papir1 = await sendLetter(t, creds, { tittel: 'Papir en', mottaker: PAPIRMOTTAKER, konteringskode: 'BYGG-1' });
    papir2 = await sendLetter(t, creds, { tittel: 'Papir to', mottaker: PAPIRMOTTAKER });
    tosidig = await sendLetter(t, creds, {
      tittel: 'Papir tosidig',
      mottaker: PAPIRMOTTAKER,
      utskriftsKonfigurasjon: { tosidig: true, utskriftMedFarger: false },
    });
    await sendLetter(t, annen, { tittel: 'Fra en annen kommune', mottaker: PAPIRMOTTAKER });
    for (const id of [lest, ulest]) await waitForRecord(t, id, 'VARSLET');
    for (const id of [papir1, papir2, tosidig]) await waitForRecord(t, id, 'SENDT_PRINT');
    const varslet = (await t.node.actors.state(lest))?.varsletAt;
    assert.ok(varslet !== undefined);
    await t.node.actors.execute(lest, { type: 'MarkerLest', at: varslet + 2 * HOUR });
    admin = await loggedIn(t.url, 'admin');
  });
  after(() => t.stop());

  it('lists the letters waiting for manual print and builds print-ready batches', async () => {
    const page = await admin.get('/forvaltning/manuell-print');
    assert.equal(page.status, 200);
    for (const title of ['Papir en', 'Papir to', 'Papir tosidig']) assert.match(page.text, new RegExp(title));
    assert.doesNotMatch(page.text, /Fra en annen kommune/, 'a filedrop avsender is not in the manual queue');
    assert.match(page.text, /3 brev venter: 2 ensidige og 1 tosidige/);

    const ensidig = await admin.post('/forvaltning/manuell-print/bunke.pdf', {
      utskrift: 'ensidig',
      id: [papir1, papir2],
    });
    assert.equal(ensidig.status, 200);
    assert.equal(ensidig.contentType, 'application/pdf');
    const pagesOf = async (id: string): Promise<number> => {
      const s = await t.node.actors.state(id);
      return (s?.printfil ?? s?.forsendelsesfil)?.sider ?? -1;
    };
    const doc = await PDFDocument.load(ensidig.bytes);
    assert.equal(doc.getPageCount(), (await pagesOf(papir1)) + (await pagesOf(papir2)));

    const duplex = await admin.post('/forvaltning/manuell-print/bunke.pdf', { utskrift: 'tosidig' });
    const duplexPages = (await PDFDocument.load(duplex.bytes)).getPageCount();
    const own = await pagesOf(tosidig);
    assert.equal(duplexPages, own + (own % 2), 'a duplex letter fills whole sheets');
  });

  it('confirms manual print: the letter becomes PRINTET with a receipt from its print file', async () => {
    const r = await admin.post('/forvaltning/manuell-print/bekreft', { id: papir1 });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/forvaltning/manuell-print?bekreftet=1');
    await waitForRecord(t, papir1, 'PRINTET');
    const s = await t.node.actors.state(papir1);
    const sider = s?.printfil?.sider ?? 0;
    assert.deepEqual(
      { ...s?.kvittering, printetAt: 0 },
      {
        sider,
        fargesider: 0,
        konvolutter: 1,
        ark: sider,
        vekt: sider * 5 + 5,
        porto: 2300,
        produksjonskostnad: 300,
        konteringskode: 'BYGG-1',
        printetAt: 0,
      },
    );
    assert.ok(s?.historikk.some((h) => h.hendelse.includes('bekreftet av admin')));
    const after = await admin.get('/forvaltning/manuell-print');
    assert.doesNotMatch(after.text, /Papir en/);
  });

  it('counts delivery, read rate, time to read, receipt costs and savings for the avsender and period', async () => {
    const r = await admin.get(`/forvaltning/statistikk?${period()}&avsender=Statistikkommune`);
    assert.equal(r.status, 200);
    const text = plain(r.text);
    assert.match(text, /<strong>5<\/strong> forsendelser mottatt/);
    assert.match(text, /<strong>2<\/strong> levert digitalt \(40 %\)/);
    assert.match(text, /<strong>3<\/strong> sendt på papir \(60 %\)/);
    assert.match(text, /<strong>50 %<\/strong> lesegrad \(1 av 2 varslede\)/);
    assert.match(text, /<strong>2 timer<\/strong> median tid fra varsel til lest/);
    assert.match(text, /<strong>26,00 kr<\/strong> printkostnad fra kvitteringer/);
    assert.match(text, /<svg[^>]+id="diagram-levering"[^>]+role="img"/);
    assert.match(text, /<svg[^>]+id="diagram-lesetid"/);
    assert.match(text, /1–24 timer: 1/);
    // Savings: 5 letters × (23 + 3 + 3 min × 550 kr/h) = 267,50 kr without the service;
    // with it: the receipt 26,00 + 2 unreceipted × 26,00 + 3 manual × 2 min × 550 kr/h = 133,00.
    assert.match(text, /<strong>134,50 kr<\/strong> beregnet besparelse/);
    assert.match(text, /BYGG-1/);

    // Edited figures change the model, not the receipts: porto 10 kr, no staff time.
    const edited = plain(
      (await admin.get(`/forvaltning/statistikk?${period()}&avsender=Statistikkommune&porto=10&timekost=0`)).text,
    );
    // 5 × 13,00 = 65,00 without; 26,00 + 2 × 13,00 = 52,00 with.
    assert.match(edited, /<strong>13,00 kr<\/strong> beregnet besparelse/);
    assert.match(edited, /<strong>26,00 kr<\/strong> printkostnad fra kvitteringer/);

    const all = plain((await admin.get(`/forvaltning/statistikk?${period()}`)).text);
    assert.match(all, /<strong>6<\/strong> forsendelser mottatt/);
    const bad = await admin.get('/forvaltning/statistikk?fra=i-går&porto=mye');
    assert.match(bad.text, /Ugyldig dato i «Fra og med»/);
    assert.match(bad.text, /Ugyldig beløp i «Porto per brev»/);
  });

  it('exports the numbers as CSV, one row per day and avsender', async () => {
    const r = await admin.get(`/forvaltning/statistikk.csv?${period()}`);
    assert.equal(r.status, 200);
    assert.match(r.contentType, /^text\/csv/);
    const lines = r.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(lines[0], 'periode;avsender;antall;digitalt;papir;annet;varslet;lest;printkostnad_kr');
    const rows = lines.slice(1).map((l) => l.split(';'));
    const sum = (navn: string, col: number): number =>
      rows.filter((c) => c[1] === navn).reduce((s, c) => s + Number((c[col] ?? '0').replace(',', '.')), 0);
    assert.deepEqual(
      [2, 3, 4, 5, 6, 7, 8].map((col) => sum('Statistikkommune', col)),
      [5, 2, 3, 0, 2, 1, 26],
    );
    assert.equal(sum('Annen kommune', 2), 1);
    assert.ok(rows.every((c) => /^\d{4}-\d{2}-\d{2}$/.test(c[0] ?? '')));
    assert.ok(rows.some((c) => c[0] === today()));
    const log = await admin.get('/forvaltning/revisjonslogg');
    assert.match(log.text, /Eksporterte statistikk/);
    assert.match(log.text, /Bekreftet manuell print/);
    assert.match(log.text, /Lastet ned bunke for manuell print/);
  });

  it('refuses an avsender the user does not manage, naming it, instead of showing another set of letters', async () => {
    await t.sender('Lokal kommune', '923456783');
    await addUser(t, 'lokal', 'local-admin', 'Lokal kommune');
    const lokal = await loggedIn(t.url, 'lokal');
    for (const [client, path] of [
      [lokal, `/forvaltning/statistikk.csv?${period()}&avsender=Statistikkommune`],
      [lokal, `/forvaltning/forsendelser?avsender=Statistikkommune`],
      [admin, `/forvaltning/forsendelser?avsender=statistikkommune`],
      [admin, `/forvaltning/statistikk?${period()}&avsender=Finnes%20ikke`],
    ] as const) {
      const r = await client.get(path);
      assert.equal(r.status, 400, path);
      assert.match(r.text, /Ukjent avsender «[^»]+»: velg en av avsenderne du forvalter/, path);
      assert.doesNotMatch(r.text, /Papir en|Digitalt og lest/, `${path}: no letters shown`);
    }
    const log = await admin.get('/forvaltning/revisjonslogg');
    assert.doesNotMatch(log.text, /lokal[^<]*Eksporterte statistikk/, 'a refused export is not audited');
  });

  it('two clerks confirm the same letters at the same moment: each letter is confirmed and audited once, and the later clerk is told so', async () => {
    const other = await loggedIn(t.url, 'admin');
    const both = [papir2, tosidig];
    const answers = await Promise.all(
      [admin, other].map((c) => c.post('/forvaltning/manuell-print/bekreft', { id: both })),
    );
    const counts = answers.map((r) => Number(/bekreftet=(\d+)$/.exec(r.location ?? '')?.[1] ?? -1));
    assert.equal(counts[0]! + counts[1]!, 2, `each letter counted once between the two: ${counts.join(' + ')}`);
    for (const id of both) await waitForRecord(t, id, 'PRINTET');
    const audited = await t.node.storage.audit.list({ handling: 'print.bekreftet-printet', limit: 100, offset: 0 });
    for (const id of both) {
      assert.equal(audited.items.filter((e) => e.objekt === id).length, 1, `${id} audited once`);
    }
    // The clerk whose confirmation did nothing is not told it confirmed anything.
    const none = await other.get('/forvaltning/manuell-print?bekreftet=0');
    assert.match(none.text, /Ingen brev ble bekreftet nå: de valgte var allerede bekreftet printet\./);
  });
});
