/**
 * Hostile PDFs at the doors (issue #13, item 4): whatever intake accepts, compose builds
 * with every page; everything else is refused at once with a Norwegian message naming the
 * document — never acknowledged and then AVVIST, never a node whose /healthz stalls while
 * it checks a 2 KB page-tree DAG or a deflate bomb. Each case ends with assertStillSound.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ACCEPTED_OR_LATER, basic, restForsendelse, restSend, waitForStatus } from '../factories.js';
import {
  contentFreedByUpdate,
  contentSwappedBehindTable,
  decoyAfterEof,
  deepPageTree,
  objectStreamMemberOverridden,
  paddedPastWholeFileLimit,
  pageWithoutType,
  unreadableBoxes,
  deeplyNestedValue,
  deflateBomb,
  dynamicXfa,
  pageWithoutMediaBox,
  pageWithThreeNumberMediaBox,
  referenceChain,
  emptyKidsCountOne,
  hugeCount,
  kidsCycle,
  manyPages,
  objectHiddenInStreamData,
  objectStreamHiddenInStreamData,
  objectStreamWithOtherFilter,
  pageTreeDag,
  pagesIsAPage,
  parentLoop,
  parentNotPageTree,
  sharedPage,
  truncated,
  xrefOutsideFile,
} from '../fixtures/hostile-pdfs.js';
import {
  appendUnlistedObjects,
  makeEncryptedPdf,
  makeLetterPdf,
  makeNotPdf,
  makeZeroPagePdf,
  objectStreamBomb,
  writeLargePdf,
} from '../fixtures/index.js';
import { nodeSendForsendelse } from '../fixtures/soap/index.js';
import { faultstring, nodeClientReturns, post } from '../unit/soap/support/post.js';
import { assertHealthy, assertRefusal, assertStillSound, startHostileNode, type HostileNode } from './support.js';

const SIDETRE = /Ugyldig innhold i [^:]+: sidetreet i PDF-en er ugyldig/;

describe('hostile PDFs: refused at intake, or composed with every page', () => {
  let h: HostileNode;
  before(async () => {
    h = await startHostileNode();
  });
  after(() => h.t.stop());

  /** Sends `files` as one REST v1 letter (each declared a PDF); returns status and body text. */
  async function sendRest(
    files: ReadonlyArray<{ filnavn: string; bytes: Uint8Array }>,
  ): Promise<{ status: number; text: string; id?: string }> {
    const json = restForsendelse({
      dokumenter: files.map((f) => ({ filnavn: f.filnavn, mimeType: 'application/pdf' })),
    });
    const res = await restSend(
      h.t.url,
      h.creds,
      json,
      files.map((f) => ({ filename: f.filnavn, bytes: f.bytes })),
    );
    return {
      status: res.status,
      text: JSON.stringify(res.body),
      id: typeof res.body.id === 'string' ? res.body.id : undefined,
    };
  }

  /** The document is refused over REST v1: 400, VALIDERINGSFEIL, the file named with `reason`; the node sound. */
  async function refusedOverRest(filnavn: string, bytes: Uint8Array, reason: RegExp): Promise<void> {
    const res = await sendRest([{ filnavn, bytes }]);
    assertRefusal(res, 400, reason, filnavn);
    assert.match(res.text, /VALIDERINGSFEIL/);
    assert.equal(res.id, undefined, 'no id for a refused letter');
    await assertStillSound(h);
  }

  /** As refusedOverRest, while /healthz is polled during the check and must answer within 2 s each time. */
  async function refusedWhileHealthy(filnavn: string, bytes: Uint8Array, reason: RegExp): Promise<void> {
    let done = false;
    const sending = sendRest([{ filnavn, bytes }]).finally(() => {
      done = true;
    });
    let polls = 0;
    while (!done) {
      await assertHealthy(h.t.url, 2_000);
      polls += 1;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(polls >= 1, '/healthz was asked while the upload was checked');
    const res = await sending;
    assertRefusal(res, 400, reason, filnavn);
    await assertStillSound(h);
  }

  it('refuses a page tree whose /Count says 1 over empty /Kids (not a cover page alone)', async () => {
    await refusedOverRest(
      'tom-kids.pdf',
      emptyKidsCountOne(),
      /sidetreet i PDF-en er ugyldig \(\/Count sier 1, men sidetreet har 0 sider\)/,
    );
  });

  it('refuses a page whose /Parent chain loops (was 200, then AVVIST with a stack overflow)', async () => {
    await refusedOverRest(
      'parent-loop.pdf',
      parentLoop(),
      /sidetreet i PDF-en er ugyldig \(\/Parent-kjeden i sidetreet går i løkke\)/,
    );
  });

  it('refuses a page whose /Parent is not a page-tree node (compose could not climb it)', async () => {
    await refusedOverRest('parent-katalog.pdf', parentNotPageTree(), /\/Parent peker ikke på en node i sidetreet/);
  });

  it('refuses /Kids that lead back to the root', async () => {
    await refusedOverRest('kids-lokke.pdf', kidsCycle(), /samme side eller node forekommer flere ganger/);
  });

  it('refuses the same page listed twice in /Kids', async () => {
    await refusedOverRest('delt-side.pdf', sharedPage(), /samme side eller node forekommer flere ganger/);
  });

  it('refuses a 2 KB page-tree DAG of 2^24 paths at once, /healthz answering all the while', async () => {
    const dag = pageTreeDag(24);
    assert.ok(dag.length < 4_000, `${dag.length} bytes`);
    await refusedWhileHealthy('dag.pdf', dag, SIDETRE);
  });

  it('refuses a page tree 10 000 levels deep', async () => {
    await refusedOverRest('dyp.pdf', deepPageTree(10_000), /sidetreet er dypere enn 256 nivåer/);
  });

  it('refuses a page carrying a value nested 50 000 arrays deep', async () => {
    await refusedOverRest(
      'nestet.pdf',
      deeplyNestedValue(50_000),
      /Ugyldig innhold i nestet\.pdf: (sidetreet i PDF-en er ugyldig|ikke en lesbar PDF)/,
    );
  });

  it('refuses a 200 KB object stream that inflates to 200 MB, /healthz answering all the while', async () => {
    const bomb = deflateBomb();
    assert.ok(bomb.length < 400_000, `${bomb.length} bytes`);
    await refusedWhileHealthy(
      'bombe.pdf',
      bomb,
      /PDF-en er for kompleks til å kontrolleres \(objektstrømmene pakkes ut til mer enn 64 MB\)/,
    );
  });

  it('refuses the bomb disguised: its /Type a reference, or its dictionary padded past 64 KB', async () => {
    for (const disguise of ['typeRef', 'padded'] as const) {
      await refusedWhileHealthy(
        `bombe-${disguise}.pdf`,
        deflateBomb(disguise),
        /PDF-en er for kompleks til å kontrolleres \(objektstrømmene pakkes ut til mer enn 64 MB\)/,
      );
    }
  });

  it('refuses an 18 MB PDF whose bomb no cross-reference table names (only pdf-lib, at compose, would find it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-stor-bombe-'));
    try {
      const path = join(dir, 'stor-bombe.pdf');
      await writeLargePdf(path, { pages: 36 });
      const size = await appendUnlistedObjects(path, objectStreamBomb(900, 80 * 1024 * 1024));
      assert.ok(size > 16 * 1024 * 1024, `${size} bytes: read by the streaming check`);
      await refusedOverRest(
        'stor-bombe.pdf',
        await readFile(path),
        /PDF-en er for kompleks til å kontrolleres \(objektstrømmene pakkes ut til mer enn 64 MB\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a page with no size, or a size of three numbers: compose would fail after the 200', async () => {
    await refusedOverRest(
      'uten-mediabox.pdf',
      pageWithoutMediaBox(),
      /side 1 har ingen gyldig sidestørrelse \(MediaBox\)/,
    );
    await refusedOverRest('tre-tall.pdf', pageWithThreeNumberMediaBox(), /side 1 har ingen gyldig sidestørrelse/);
  });

  it('refuses a dynamic XFA form, whose pages hold only a notice: it cannot be printed', async () => {
    await refusedOverRest('skjema.pdf', dynamicXfa(), /dynamisk XFA-skjema/);
  });

  it('refuses a page whose resources lead through 5 000 objects, each naming the next (copying them overflowed the stack)', async () => {
    await refusedOverRest('kjede.pdf', referenceChain(5_000), /side 1 har objekter nøstet i mer enn 500 nivåer/);
  });

  it('refuses a /Count of two billion over one page', async () => {
    await refusedOverRest('stor-count.pdf', hugeCount(), /\/Count sier 2000000000, men sidetreet har 1 sider/);
  });

  it('refuses a document of 10 001 pages', async () => {
    await refusedOverRest(
      'mange-sider.pdf',
      manyPages(10_001),
      /PDF-en har for mange sider \(høyst 10000 sider er tillatt\)/,
    );
  });

  it('refuses a letter of more than 10 000 pages in all, though each document is within the limit', async () => {
    const res = await sendRest([
      { filnavn: 'del1.pdf', bytes: manyPages(5_001) },
      { filnavn: 'del2.pdf', bytes: manyPages(5_000) },
    ]);
    assertRefusal(
      res,
      400,
      /For mange sider: dokumenter har til sammen 10001 sider; høyst 10000 er tillatt i én forsendelse/,
      'dokumenter',
    );
    await assertStillSound(h);
  });

  it('refuses an object stream with a filter the check does not inflate (LZW)', async () => {
    await refusedOverRest('lzw.pdf', objectStreamWithOtherFilter(), /ukjent komprimering i en objektstrøm/);
  });

  it('refuses a catalog whose /Pages is a page', async () => {
    await refusedOverRest('pages-side.pdf', pagesIsAPage(), /katalogen peker ikke på et sidetre/);
  });

  it('refuses a truncated upload (no %%EOF)', async () => {
    await refusedOverRest(
      'avkortet.pdf',
      truncated(await makeLetterPdf({ seed: 21 })),
      /Ugyldig innhold i avkortet\.pdf: ikke en lesbar PDF/,
    );
  });

  it('refuses a text file named .pdf', async () => {
    await refusedOverRest('tekst.pdf', makeNotPdf(), /Ugyldig innhold i tekst\.pdf: ikke en lesbar PDF/);
  });

  it('refuses an encrypted PDF', async () => {
    await refusedOverRest('kryptert.pdf', makeEncryptedPdf(), /dokumentet er kryptert\/passordbeskyttet/);
  });

  it('refuses a PDF with no pages', async () => {
    await refusedOverRest('tom.pdf', makeZeroPagePdf(), /PDF-en har ingen sider/);
  });

  it('refuses a letter whose objects written after %%EOF would replace its three pages by one (readers show three)', async () => {
    await refusedOverRest(
      'lokkeside.pdf',
      decoyAfterEof(),
      /kryssreferansetabellen gir 3 sider, men objektene slik de sist er definert i filen gir 1/,
    );
  });

  it('refuses a letter whose page content is written again behind its table: viewers show one text, paper another (was 200)', async () => {
    await refusedOverRest('byttet.pdf', contentSwappedBehindTable(), /PDF-en kan leses på to måter.*objekt 4 0/);
  });

  it("refuses a catalog whose open action the table places inside a stream's data: readers ran its script from the original, which opens inline (found in review)", async () => {
    await refusedOverRest(
      'skjult.pdf',
      objectHiddenInStreamData(),
      /PDF-en kan leses på to måter.*objekt 5 0, som filen viser til, ligger inne i dataene til et annet objekt/,
    );
    // The same object in an object stream that a cross-reference stream places there.
    await refusedOverRest(
      'skjult-strom.pdf',
      objectStreamHiddenInStreamData(),
      /PDF-en kan leses på to måter.*objekt 5 0, som filen viser til, ligger inne i dataene til et annet objekt/,
    );
  });

  it('refuses a page whose content an update marked free: viewers show it blank, paper would print it', async () => {
    await refusedOverRest(
      'slettet.pdf',
      contentFreedByUpdate(),
      /PDF-en kan leses på to måter.*objekt 4 0 er merket som slettet/,
    );
  });

  it('refuses a page tree object in an object stream that a later top-level definition replaces for compose', async () => {
    await refusedOverRest('objektstrom.pdf', objectStreamMemberOverridden(), /objekt 3 0 er definert flere ganger/);
  });

  it('refuses a page without /Type, which viewers show and compose would leave out', async () => {
    await refusedOverRest('uten-type.pdf', pageWithoutType(), /verken side \(\/Type \/Page\) eller node/);
  });

  it('holds a file over 16 MB, checked by range, to what compose needs of every page (each was 200, then AVVIST or cut)', async () => {
    for (const [filnavn, { bytes, reason }] of Object.entries(paddedPastWholeFileLimit())) {
      assert.ok(bytes.length > 16 * 1024 * 1024, `${filnavn}: read by the streaming check`);
      await refusedOverRest(filnavn, bytes, reason);
    }
  });

  it('prints a page whose /CropBox or /Rotate is unreadable as viewers show it (was 200, then AVVIST)', async () => {
    for (const [name, bytes] of Object.entries(unreadableBoxes())) {
      const res = await sendRest([{ filnavn: `${name}.pdf`, bytes }]);
      assert.equal(res.status, 200, res.text);
      await waitForStatus(h.t.url, h.creds, res.id!, ACCEPTED_OR_LATER);
      const state = await h.t.node.actors.state(res.id!);
      assert.equal(state?.printfil?.sider, 2, `${name}: the cover page and the letter's page`);
    }
    await assertStillSound(h);
  });

  it('accepts a PDF whose startxref points outside the file only because compose reads it the same way: every page in the file', async () => {
    const res = await sendRest([{ filnavn: 'xref-utenfor.pdf', bytes: xrefOutsideFile() }]);
    assert.equal(res.status, 200, res.text);
    const id = res.id!;
    await waitForStatus(h.t.url, h.creds, id, ACCEPTED_OR_LATER);
    const state = await h.t.node.actors.state(id);
    assert.equal(state?.dokumenter[0]?.sider, 1, 'intake counted one page');
    // It goes on paper at once, so the file composed on acceptance is its print copy.
    assert.equal(state?.printfil?.sider, 2, 'the composed file: the cover page and that page');
    await assertStillSound(h);
  });

  describe('over SOAP V9', () => {
    async function refusedOverSoap(filnavn: string, bytes: Uint8Array, reason: RegExp): Promise<void> {
      const endpoint = `${h.t.url}/tjenester/forsendelseservice/ForsendelsesServiceV9`;
      const res = await post(endpoint, nodeSendForsendelse({ dokumenter: [{ data: bytes, filnavn }] }), basic(h.creds));
      assert.equal(res.status, 500, res.text.slice(0, 500));
      assert.deepEqual(nodeClientReturns(res.text), [], 'no id on a fault');
      const message = faultstring(res.text) ?? '';
      assert.match(message, reason);
      assert.ok(message.includes(filnavn), message);
      await assertStillSound(h);
    }

    it('refuses a /Parent loop with a fault naming the document', async () => {
      await refusedOverSoap('parent-loop.pdf', parentLoop(), /Parent-kjeden i sidetreet går i løkke/);
    });

    it('refuses a page-tree DAG with a fault naming the document', async () => {
      await refusedOverSoap('dag.pdf', pageTreeDag(24), SIDETRE);
    });

    it('refuses a deflate bomb with a fault naming the document', async () => {
      await refusedOverSoap('bombe.pdf', deflateBomb(), /for kompleks til å kontrolleres/);
    });
  });
});
