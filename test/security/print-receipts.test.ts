/**
 * Hostile print receipts (issue 13, item 7): a receipt list is all or nothing, every entry
 * bounded and checked before any is applied, and the print provider confirms only letters
 * sent to its channel — never one waiting in the admin web's manual print queue, nor one
 * not sent to print at all. Each case asserts the refusal, that no letter changed, and
 * that the node stayed sound.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_RECEIPTS } from '../../src/app/print-receipts.js';
import { PAPIRMOTTAKER, sendLetter, useManualPrint, waitForRecord } from '../browser/support.js';
import { basic, FNR, type Creds } from '../factories.js';
import { assertRefusal, assertStillSound, startHostileNode, type HostileNode } from './support.js';

const PASSWORD = 'hemmelig-passord';

describe('security: print receipts', () => {
  let h: HostileNode;
  let root: string;
  let manual: Creds;
  /** Letters sent to the filedrop provider, waiting for a receipt. */
  const filedrop: string[] = [];
  let manualLetter: string;
  let digitalLetter: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'budbringer-receipts-'));
    const krr = join(root, 'krr.json');
    await writeFile(
      krr,
      JSON.stringify({
        personer: [
          {
            personidentifikator: FNR[1],
            reservasjon: 'NEI',
            status: 'AKTIV',
            kontaktinformasjon: { epostadresse: 'digital@example.no' },
          },
        ],
      }),
    );
    h = await startHostileNode({ KRR_FILE: krr, PRINT_RECEIPT_PASSWORD: PASSWORD });
    manual = await h.t.sender('Manuell kommune');
    await useManualPrint(h.t, 'Manuell kommune');
    for (let i = 0; i < 5; i++)
      filedrop.push(await sendLetter(h.t, h.creds, { tittel: `Papir ${i}`, mottaker: PAPIRMOTTAKER }));
    manualLetter = await sendLetter(h.t, manual, { tittel: 'Manuelt', mottaker: PAPIRMOTTAKER });
    digitalLetter = await sendLetter(h.t, h.creds, {
      tittel: 'Digitalt',
      mottaker: { ...PAPIRMOTTAKER, digitalAdresse: { fodselsNummer: FNR[1] } },
    });
    for (const id of [...filedrop, manualLetter]) await waitForRecord(h.t, id, 'SENDT_PRINT');
    await waitForRecord(h.t, digitalLetter, 'VARSLET');
  });
  after(async () => {
    await h.t.stop();
    await rm(root, { recursive: true, force: true });
  });

  const receipt = (forsendelseId: string, extra: Record<string, unknown> = {}) => ({
    forsendelseId,
    sider: 3,
    fargesider: 0,
    konvolutter: 1,
    ark: 2,
    vekt: 20,
    porto: 2300,
    produksjonskostnad: 450,
    ...extra,
  });
  const post = async (body: unknown): Promise<{ status: number; text: string }> => {
    const res = await fetch(`${h.t.url}/tjenester/api/print/v1/kvitteringer`, {
      method: 'POST',
      headers: {
        authorization: basic({ user: 'printleverandor', password: PASSWORD }),
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  /** The letter's status in the read model and whether it has a receipt. */
  const stateOf = async (id: string): Promise<{ status: string | undefined; kvittering: boolean }> => {
    const s = await h.t.node.actors.state(id);
    return { status: s?.status, kvittering: s?.kvittering !== undefined };
  };
  const assertUnchanged = async (ids: readonly string[], status = 'SENDT_PRINT'): Promise<void> => {
    for (const id of ids) assert.deepEqual(await stateOf(id), { status, kvittering: false }, `${id} must be unchanged`);
  };

  it('refuses a list with one unknown id and applies none of the valid ones', async () => {
    const res = await post([receipt(filedrop[0]!), receipt(randomUUID()), receipt(filedrop[1]!)]);
    assertRefusal(
      res,
      404,
      /Ingen av printkvitteringene er registrert.*Printkvittering 1 \([0-9a-f-]{36}\): forsendelsen finnes ikke/,
    );
    await assertUnchanged([filedrop[0]!, filedrop[1]!]);
    await assertStillSound(h);
  });

  it("refuses a provider's receipt for a letter waiting in the manual print queue", async () => {
    const res = await post(receipt(manualLetter));
    assertRefusal(
      res,
      409,
      /Printkvittering 0 .*venter på manuell print og kan bare bekreftes av en bruker i forvaltningsweben/,
    );
    await assertUnchanged([manualLetter]);
    await assertStillSound(h);
  });

  it('refuses a whole list when one entry is a letter of another print channel', async () => {
    const res = await post([receipt(filedrop[0]!), receipt(manualLetter)]);
    assertRefusal(res, 409, /Ingen av printkvitteringene er registrert.*Printkvittering 1 .*manuell print/);
    await assertUnchanged([filedrop[0]!, manualLetter]);
    await assertStillSound(h);
  });

  it('refuses a receipt for a letter that was never sent to print', async () => {
    const res = await post([receipt(filedrop[0]!), receipt(digitalLetter)]);
    assertRefusal(res, 409, /Printkvittering 1 .*har status VARSLET og er ikke sendt til print/);
    await assertUnchanged([filedrop[0]!]);
    await assertUnchanged([digitalLetter], 'VARSLET');
    await assertStillSound(h);
  });

  it('refuses a list longer than the bound before looking at any entry', async () => {
    const res = await post(Array.from({ length: MAX_RECEIPTS + 1 }, () => receipt(filedrop[0]!)));
    assertRefusal(
      res,
      400,
      new RegExp(`har ${MAX_RECEIPTS + 1} kvitteringer; høyst ${MAX_RECEIPTS} i én liste`),
      'kvitteringer',
    );
    await assertUnchanged([filedrop[0]!]);
    await assertStillSound(h);
  });

  it('refuses negative figures, naming the entry and the field', async () => {
    const res = await post([receipt(filedrop[0]!), receipt(filedrop[1]!, { sider: -3 })]);
    assertRefusal(res, 400, /Printkvittering 1 \(kvitteringer\[1\]\.sider\): «sider» kan ikke være negativ/);
    await assertUnchanged([filedrop[0]!, filedrop[1]!]);
    await assertStillSound(h);
  });

  it('refuses absurd figures (1e308 øre, a fraction) instead of storing them', async () => {
    const res = await post([receipt(filedrop[0]!, { porto: 1e308 }), receipt(filedrop[1]!, { ark: 1.5 })]);
    assertRefusal(res, 400, /Printkvittering 0 \(kvitteringer\[0\]\.porto\): «porto» kan være høyst 100000000/);
    assert.match(res.text, /Printkvittering 1 \(kvitteringer\[1\]\.ark\): «ark» må være et heltall/);
    await assertUnchanged([filedrop[0]!, filedrop[1]!]);
    await assertStillSound(h);
  });

  it('refuses an oversized konteringskode, and one with control, direction or invisible characters', async () => {
    const long = await post(receipt(filedrop[0]!, { konteringskode: 'K'.repeat(10_000) }));
    assertRefusal(long, 400, /«konteringskode» kan være høyst 20 tegn/, 'kvitteringer[0].konteringskode');
    const only = /«konteringskode» kan bare inneholde bokstaver \(a–å\), tall, punktum, bindestrek og understrek/;
    // CR LF; a right-to-left override that shows "KOST-123" reversed; a zero-width space.
    for (const konteringskode of ['A\r\nB', 'KOST-\u202e321', 'KOST\u200b123']) {
      assertRefusal(await post(receipt(filedrop[0]!, { konteringskode })), 400, only, 'kvitteringer[0].konteringskode');
    }
    await assertUnchanged([filedrop[0]!]);
    // What a letter's konteringskode may hold (REST v2/v3 allow the underscore) is taken.
    const taken = await post(receipt(filedrop[4]!, { konteringskode: 'Kost_sted-1.Æ' }));
    assert.equal(taken.status, 200, taken.text);
    assert.equal((await h.t.node.actors.state(filedrop[4]!))?.kvittering?.konteringskode, 'Kost_sted-1.Æ');
    await assertStillSound(h);
  });

  it('refuses a print time far in the future, and more colour pages than pages', async () => {
    const res = await post([
      receipt(filedrop[0]!, { printetTidspunkt: '9999-12-31T00:00:00Z' }),
      receipt(filedrop[1]!, { fargesider: 4 }),
    ]);
    assertRefusal(res, 400, /Printkvittering 0: «printetTidspunkt» ligger fram i tid/);
    assert.match(res.text, /Printkvittering 1: «fargesider» \(4\) kan ikke være flere enn «sider» \(3\)/);
    await assertUnchanged([filedrop[0]!, filedrop[1]!]);
    await assertStillSound(h);
  });

  it('refuses a print time before the letter was handed to print (year 0001), applying none', async () => {
    const res = await post([
      receipt(filedrop[1]!),
      receipt(filedrop[0]!, { printetTidspunkt: '0001-01-01T00:00:00Z' }),
    ]);
    assertRefusal(
      res,
      409,
      /Printkvittering 1 \([0-9a-f-]{36}\): «printetTidspunkt» 0001-01-01T00:00:00Z ligger før forsendelsen ble sendt til print/,
    );
    await assertUnchanged([filedrop[0]!, filedrop[1]!]);
    await assertStillSound(h);
  });

  it('refuses two receipts for the same letter in one list', async () => {
    const res = await post([receipt(filedrop[0]!), receipt(filedrop[0]!, { porto: 1 })]);
    assertRefusal(res, 400, /Printkvittering 1: forsendelsen [0-9a-f-]{36} har allerede kvittering 0 i samme liste/);
    await assertUnchanged([filedrop[0]!]);
    await assertStillSound(h);
  });

  it('refuses entries that are not receipts (a string, an empty list)', async () => {
    const res = await post([receipt(filedrop[0]!), 'kvittering']);
    assertRefusal(res, 400, /Printkvittering 1 \(kvitteringer\[1\]\): må være et JSON-objekt/);
    assertRefusal(await post([]), 400, /Printkvitteringslisten er tom/);
    await assertUnchanged([filedrop[0]!]);
    await assertStillSound(h);
  });

  it('applies a valid list whole; a repeated receipt changes nothing, not even the figures', async () => {
    const first = await post([receipt(filedrop[2]!), receipt(filedrop[3]!)]);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(JSON.parse(first.text), {
      kvitteringer: [
        { forsendelseId: filedrop[2], registrert: true },
        { forsendelseId: filedrop[3], registrert: true },
      ],
    });
    const again = await post(receipt(filedrop[2]!, { porto: 9_999_999 }));
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(JSON.parse(again.text), { kvitteringer: [{ forsendelseId: filedrop[2], registrert: false }] });
    assert.equal((await h.t.node.actors.state(filedrop[2]!))?.kvittering?.porto, 2300, 'the first receipt stays');
    // The manual letter is still confirmable by a person in the admin web: nothing was taken from it.
    await assertUnchanged([manualLetter]);
    await assertStillSound(h);
  });

  it('a provider that sends its password only after the challenge is never locked out, however often it posts', async () => {
    const url = `${h.t.url}/tjenester/api/print/v1/kvitteringer`;
    for (let i = 0; i < 12; i++) {
      const challenge = await fetch(url, {
        method: 'POST',
        body: '[]',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(challenge.status, 401);
      assert.match(challenge.headers.get('www-authenticate') ?? '', /^Basic/);
      assert.equal((await post([])).status === 429, false, `round ${i}`);
    }
    // Many at once with the right password: none waits for the others.
    const burst = await Promise.all(Array.from({ length: 30 }, () => post([])));
    assert.deepEqual(
      burst.filter((r) => r.status === 429),
      [],
    );
  });

  // Last: it locks this address out of the door.
  it('wrong passwords from one address lock it out: the eleventh waits with 429, even with the right password', async () => {
    const guess = (password: string) =>
      fetch(`${h.t.url}/tjenester/api/print/v1/kvitteringer`, {
        method: 'POST',
        headers: { authorization: basic({ user: 'printleverandor', password }), 'content-type': 'application/json' },
        body: JSON.stringify(receipt(filedrop[4]!)),
      });
    const before_ = await stateOf(filedrop[4]!);
    for (let i = 0; i < 10; i++) assert.equal((await guess(`gjetning-${i}`)).status, 401);
    const locked = await guess(PASSWORD);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.equal(((await locked.json()) as { errorcode: string }).errorcode, 'FOR_MANGE_FORSOK');
    assert.deepEqual(await stateOf(filedrop[4]!), before_);
  });
});
