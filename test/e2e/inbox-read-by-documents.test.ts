/**
 * Downloading every document of a letter counts as reading it (issue #18), as the whole
 * forsendelsesfil does: a citizen who read it that way is not sent paper. One document is
 * not enough, and a partial (range) download of the last one is not either.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FNR,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { makeLetterPdf } from '../fixtures/index.js';
import { startAdminTestNode } from '../browser/support.js';
import { inboxLink, outboxMails } from '../support/outbox.js';

describe('reading a letter by downloading each document', () => {
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    t = await startAdminTestNode([{ fnr: FNR[0], epost: 'kari@example.no' }]);
    creds = await t.sender('Lesekommune');
  });
  after(() => t.stop());

  it('marks the letter LEST once the last document has been downloaded whole', async () => {
    const tittel = `To vedlegg ${Date.now()}`;
    const earlier = await outboxMails(t.dataDir);
    const pdf = await letterPdf();
    const sent = await restSend(
      t.url,
      creds,
      restForsendelse({
        tittel,
        dokumenter: [
          { filnavn: 'vedtak.pdf', mimeType: 'application/pdf' },
          { filnavn: 'vedlegg.pdf', mimeType: 'application/pdf' },
        ],
      }),
      [
        { filename: 'vedtak.pdf', bytes: pdf },
        { filename: 'vedlegg.pdf', bytes: pdf },
      ],
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const id = sent.body.id as string;
    await waitForStatus(t.url, creds, id, ['VARSLET']);
    const link = await inboxLink(t.dataDir, `the e-mail about ${tittel}`, earlier);

    const first = await fetch(`${t.url}${link}/dokumenter/0`);
    assert.equal(first.status, 200);
    await first.arrayBuffer();
    // Twice the same document is still one of two.
    await (await fetch(`${t.url}${link}/dokumenter/0`)).arrayBuffer();
    const partial = await fetch(`${t.url}${link}/dokumenter/1`, { headers: { range: 'bytes=0-99' } });
    assert.equal(partial.status, 206);
    await partial.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'VARSLET', 'not read yet');

    const last = await fetch(`${t.url}${link}/dokumenter/1`);
    assert.equal(last.status, 200);
    await last.arrayBuffer();
    await waitForStatus(t.url, creds, id, ['LEST']);
    const historikk = (await restCall(t.url, creds, `/${id}/historikk`)).body.hendelsesLogger as { hendelse: string }[];
    assert.ok(
      historikk.some((h) => /^Lest av mottaker .* \(alle dokumentene lastet ned\)$/.test(h.hendelse)),
      JSON.stringify(historikk),
    );
    // Read, so no print deadline is left: the state has no pending print.
    const state = await t.node.actors.state(id);
    assert.equal(state?.printBestiltAt, undefined);
    assert.deepEqual(state?.nedlastet, [0, 1]);
  });

  it('names a document the PDF does not hold on the page, and the letter is read once that one is downloaded too', async () => {
    const tittel = `Med tekstvedlegg ${Date.now()}`;
    const earlier = await outboxMails(t.dataDir);
    const sent = await restSend(
      t.url,
      creds,
      restForsendelse({
        tittel,
        dokumenter: [
          { filnavn: 'vedtak.pdf', mimeType: 'application/pdf' },
          { filnavn: 'vedlegg.txt', mimeType: 'text/plain', ekskluderesFraPrint: true },
        ],
      }),
      [
        { filename: 'vedtak.pdf', bytes: await letterPdf() },
        { filename: 'vedlegg.txt', bytes: new TextEncoder().encode('Vedlegg i ren tekst.\n') },
      ],
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const id = sent.body.id as string;
    await waitForStatus(t.url, creds, id, ['VARSLET']);
    const link = await inboxLink(t.dataDir, `the e-mail about ${tittel}`, earlier);
    const hint = async (): Promise<string> => {
      const page = await (await fetch(`${t.url}${link}`)).text();
      return /<p class="hint">\s*([^<]*)/.exec(page)?.[1]?.trim() ?? page;
    };
    assert.equal(
      await hint(),
      'Når du har lastet ned brevet og «vedlegg.txt», er det registrert som lest, og da sender vi det ikke på papir ' +
        'i tillegg. Det dokumentet er ikke med i PDF-en.',
    );
    await (await fetch(`${t.url}${link}/forsendelsesfil`)).arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'VARSLET', 'the PDF alone is not all');
    assert.match(await hint(), /«vedlegg\.txt»/, 'still named: it is what is left');
    await (await fetch(`${t.url}${link}/dokumenter/1`)).arrayBuffer();
    await waitForStatus(t.url, creds, id, ['LEST']);
  });

  it('a document whose file is gone when the download opens it gets the page, not a bare 500 (found in review)', async () => {
    // As when the sender's slettFiler or retention deletes it between reading the letter and
    // opening the file: the file is taken away under a letter that still lists it.
    const tittel = `Borte ${Date.now()}`;
    const earlier = await outboxMails(t.dataDir);
    const pdf = await makeLetterPdf({ seed: 9_001 });
    const sent = await restSend(
      t.url,
      creds,
      restForsendelse({ tittel, dokumenter: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf' }] }),
      [{ filename: 'vedtak.pdf', bytes: pdf }],
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await waitForStatus(t.url, creds, sent.body.id as string, ['VARSLET']);
    const link = await inboxLink(t.dataDir, `the e-mail about ${tittel}`, earlier);
    const sha = createHash('sha256').update(pdf).digest('hex');
    await rm(join(t.dataDir, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha));
    const r = await fetch(`${t.url}${link}/dokumenter/0?sprak=nn`);
    assert.equal(r.status, 404);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await r.text(), /<html lang="nn">[\s\S]*Dokumentet finst ikkje\./);
  });
});
