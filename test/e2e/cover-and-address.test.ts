/**
 * The recipient's copies (issue #18): the printed copy's cover says why it came on paper,
 * the digital copy's cover does not; and an address line too long for the window envelope
 * is flagged to the sender at intake, as a warning in the letter's history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  letterPdf,
  ORGNR,
  restCall,
  restForsendelse,
  restSend,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { startAdminTestNode } from '../browser/support.js';
import { firstPageText } from '../unit/pdf/pdf-text.js';

describe('cover page variants and address warnings', () => {
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    t = await startAdminTestNode();
    creds = await t.sender('Konvoluttkommune');
  });
  after(() => t.stop());

  const send = async (adresse1: string, digitalAdresse?: { organisasjonsNummer: string }) => {
    const r = await restSend(
      t.url,
      creds,
      restForsendelse({
        mottaker: {
          postAdresse: { navn: 'Per Papir', adresse1, postNummer: '9008', postSted: 'Tromsø' },
          ...(digitalAdresse === undefined ? {} : { digitalAdresse }),
        },
      }),
      [{ filename: 'brev.pdf', bytes: await letterPdf() }],
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const historikk = async (id: string): Promise<string[]> => {
    const r = await restCall(t.url, creds, `/${id}/historikk`);
    assert.equal(r.status, 200);
    return (r.body.hendelsesLogger as { hendelse: string }[]).map((h) => h.hendelse);
  };

  it('flags an address line too long for the window, and only that one', async () => {
    const long = 'Kommunaltekniske avdelings bakgårdsbygning, inngang fra Storgata 12';
    const id = await send(long);
    await waitForStatus(t.url, creds, id, ['SENDT_PRINT']);
    const lines = await historikk(id);
    const warnings = lines.filter((l) => l.startsWith('Advarsel:'));
    assert.deepEqual(warnings, [
      `Advarsel: Adresselinjen «${long}» er for lang for vinduet i konvolutten og blir forkortet på papir; kort den inn`,
    ]);
    // Right after the intake lines, before the file is generated.
    assert.equal(lines.indexOf(warnings[0] ?? ''), lines.indexOf('Orginaldokumenter er lagret (1 dokument)') + 1);

    const ok = await send('Postveien 3');
    await waitForStatus(t.url, creds, ok, ['SENDT_PRINT']);
    assert.deepEqual(
      (await historikk(ok)).filter((l) => l.startsWith('Advarsel')),
      [],
    );
  });

  it('puts the paper explanation on the printed copy only', async () => {
    const id = await send('Postveien 5');
    await waitForStatus(t.url, creds, id, ['SENDT_PRINT']);
    const onPaper = await t.node.actors.state(id);
    // It went on paper at once, so it was composed once, as its print copy (docs/architecture.md step 4).
    assert.equal(onPaper?.forsendelsesfil, undefined, 'no inbox copy for a letter that went on paper at once');
    // The inbox copy of the same letter to an organisation, which goes digital.
    const digitalId = await send('Postveien 5', { organisasjonsNummer: ORGNR });
    const inInbox = await eventually(async () => (await t.node.actors.state(digitalId))?.forsendelsesfil, 15_000);
    const state = { forsendelsesfil: inInbox, printfil: onPaper?.printfil };
    assert.ok(state?.forsendelsesfil && state.printfil, 'both copies exist');
    const digital = await firstPageText(await t.node.storage.blobs.get(state.forsendelsesfil.sha256));
    const paper = await firstPageText(await t.node.storage.blobs.get(state.printfil.sha256));
    // It went on paper at once (no digital address): the cover says so, not that it was left unread.
    const explanation = /Brevet kunne ikke leveres digitalt til deg/;
    assert.match(paper.replace(/\s+/g, ' '), explanation);
    assert.doesNotMatch(digital.replace(/\s+/g, ' '), explanation);
    assert.doesNotMatch(digital, /på papir/);
    // Both carry the avsender's own cover text.
    assert.match(digital, /offentlig virksomhet/);
    assert.match(paper, /offentlig virksomhet/);
  });
});
