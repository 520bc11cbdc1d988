/**
 * A PDF over 16 MB is inspected at intake by following its cross-reference table, while
 * compose loads it with pdf-lib, which reads every object front to back. What only that
 * reading finds (an object stream no table names that inflates to 80 MB, a stray trailer
 * with /Encrypt) must be refused at intake, not taken and then failed at compose.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDFDocument } from 'pdf-lib';
import { ValidationError } from '../../../src/domain/errors.js';
import { inspectPdfStream, WHOLE_PDF_LIMIT, type RangeOpener } from '../../../src/pdf/index.js';
import { byteSourceFromBytes } from '../../../src/pdf/byte-source.js';
import { prescanPdf } from '../../../src/pdf/pdf-prescan.js';
import { prescanPdfSource } from '../../../src/pdf/pdf-prescan-stream.js';
import {
  appendUnlistedObjects,
  buildRawPdf,
  objectStream,
  objectStreamBomb,
  writeLargePdf,
} from '../../fixtures/index.js';

const ref = { index: 1, filnavn: 'stor.pdf' };

function opener(path: string): RangeOpener {
  return (range) =>
    Promise.resolve(createReadStream(path, range === undefined ? {} : { start: range.start, end: range.end }));
}

async function refusal(path: string, size: number): Promise<string> {
  const error = await inspectPdfStream(opener(path), size, ref).then(
    () => assert.fail('taken'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ValidationError, String(error));
  assert.equal(error.problems[0]?.field, 'dokumenter[1]');
  return error.problems[0]?.message ?? '';
}

describe('inspectPdfStream: what pdf-lib reads front to back, in a file over 16 MB', () => {
  let dir: string;
  let size: number;
  const base = (): string => join(dir, 'grunn.pdf');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-prescan-'));
    ({ size } = await writeLargePdf(base(), { pages: 36 }));
    assert.ok(size > WHOLE_PDF_LIMIT, `the fixture is ${size} bytes`);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the file as it is, reading each byte twice: the prescan, then the pages in file order', async () => {
    let read = 0;
    const counting: RangeOpener = async (range) => {
      const stream = await opener(base())(range);
      stream.on('data', (chunk) => (read += (chunk as Buffer).length));
      return stream;
    };
    assert.deepEqual(await inspectPdfStream(counting, size, ref), { pages: 36 });
    assert.ok(read >= 2 * size && read < 2 * size + 2_000_000, `read ${read} bytes of ${size}`);
  });

  it('refuses an object stream no table names that inflates past the limit', async () => {
    const path = join(dir, 'bombe.pdf');
    await appendFile(path, await readFile(base()));
    const bombed = await appendUnlistedObjects(path, objectStreamBomb(900, 80 * 1024 * 1024));
    assert.match(
      await refusal(path, bombed),
      /^Ugyldig innhold i stor\.pdf: PDF-en er for kompleks til å kontrolleres \(objektstrømmene pakkes ut til mer enn 64 MB\)$/,
    );
    // What compose does with these bytes: its own prescan refuses them before pdf-lib loads.
    assert.match(prescanPdf(await readFile(path)) ?? '', /pakkes ut til mer enn 64 MB/);
  });

  it('refuses a stray trailer with /Encrypt that pdf-lib would read as an encrypted file', async () => {
    const path = join(dir, 'kryptert.pdf');
    await appendFile(path, await readFile(base()));
    const handler = Buffer.from(
      `901 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <${'6f'.repeat(32)}> /U <${'75'.repeat(32)}> /P -3904 >>\nendobj\n`,
    );
    const withStray = await appendUnlistedObjects(path, handler, 'trailer\n<< /Size 902 /Encrypt 901 0 R >>\n');
    assert.equal(await refusal(path, withStray), 'Ugyldig innhold i stor.pdf: dokumentet er kryptert/passordbeskyttet');
    // pdf-lib, as compose loads the file, takes it for encrypted too.
    await assert.rejects(PDFDocument.load(await readFile(path)), /encrypted/i);
  });
});

/** A one-page PDF whose uncompressed page text says "mainstream" `times` times, 100 KB apart. */
function pdfSayingMainstream(times: number): Buffer {
  const filler = `${'0 0 m '.repeat(100_000 / 6)}\n`;
  const content = Array.from({ length: times }, () => `${filler}BT /F1 12 Tf 72 700 Td (mainstream) Tj ET\n`).join('');
  return Buffer.from(
    buildRawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    ]),
  );
}

describe('inspectPdfStream: pages as pdf-lib counts them, in a file over 16 MB', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-redefined-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a page tree redefined after the table that names the old one', async () => {
    const path = join(dir, 'omdefinert.pdf');
    await writeLargePdf(path, { pages: 36 });
    // The table still names the tree of 36 pages; the file's last word on object 2 is one page.
    const size = await appendUnlistedObjects(
      path,
      Buffer.from('2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n'),
    );
    assert.equal((await PDFDocument.load(await readFile(path))).getPageCount(), 1, 'pdf-lib, as compose loads it');
    assert.equal(
      await refusal(path, size),
      'Ugyldig innhold i stor.pdf: sidetreet i PDF-en er ugyldig (kryssreferansetabellen gir 36 sider, men objektene slik de sist er definert i filen gir 1)',
    );
  });

  it('refuses a page tree redefined in an object stream after the table, which pdf-lib reads last', async () => {
    const path = join(dir, 'objektstrom.pdf');
    await writeLargePdf(path, { pages: 36 });
    // Object 2 stays a plain object earlier in the file; pdf-lib reads the object stream's
    // member where the stream stands, after it, and keeps that one.
    const size = await appendUnlistedObjects(
      path,
      objectStream(900, [[2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>']]),
    );
    assert.equal((await PDFDocument.load(await readFile(path))).getPageCount(), 1, 'pdf-lib, as compose loads it');
    assert.equal(
      await refusal(path, size),
      'Ugyldig innhold i stor.pdf: sidetreet i PDF-en er ugyldig (kryssreferansetabellen gir 36 sider, men objektene slik de sist er definert i filen gir 1)',
    );
  });

  it('refuses a cross-reference stream naming another catalog than the trailers readers rebuild from', async () => {
    const path = join(dir, 'xrefstrom.pdf');
    const { size } = await writeLargePdf(path, { pages: 36 });
    const end = (await readFile(path, { encoding: 'latin1' })).slice(-200);
    const prev = /startxref\s+(\d+)/.exec(end)?.[1];
    // A cross-reference stream naming another catalog (one page), then a last section whose
    // trailer names no /Root: pdf-lib keeps the stream's catalog, while readers, which cannot
    // walk the pages from a trailer without /Root, rebuild the table and take the classic
    // trailer's (pdf.js: 36 pages). Until 7 December 2026 this file was accepted with one page.
    const objects =
      '950 0 obj\n<< /Type /Catalog /Pages 951 0 R >>\nendobj\n' +
      '951 0 obj\n<< /Type /Pages /Kids [953 0 R] /Count 1 >>\nendobj\n' +
      '953 0 obj\n<< /Type /Page /Parent 951 0 R /MediaBox [0 0 595 842] >>\nendobj\n' +
      '952 0 obj\n<< /Type /XRef /Size 1 /Index [0 1] /W [1 1 1] /Root 950 0 R /Length 3 >>\nstream\n\x00\x00\x00\nendstream\nendobj\n';
    const xref = size + objects.length;
    await appendFile(
      path,
      `${objects}xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 1000 /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`,
      'latin1',
    );
    assert.equal((await PDFDocument.load(await readFile(path))).getPageCount(), 1, 'pdf-lib, as compose loads it');
    const shown = await getDocument({ data: new Uint8Array(await readFile(path)), verbosity: 0 }).promise;
    assert.equal(shown.numPages, 36, 'pdf.js');
    await shown.destroy();
    assert.equal(
      await refusal(path, (await stat(path)).size),
      'Ugyldig innhold i stor.pdf: PDF-en kan leses på to måter, og utskriften ville vist noe annet enn skjermen (filen har trailere som peker på ulike dokumentkataloger (objekt 1 0, 950 0) og ingen kryssreferansetabell PDF-lesere kan bruke, så ulike PDF-lesere kan vise ulike sider)',
    );
  });

  it('takes an incremental update that names its redefinition, as a table should', async () => {
    const path = join(dir, 'oppdatert.pdf');
    const { size } = await writeLargePdf(path, { pages: 36 });
    const end = (await readFile(path, { encoding: 'latin1' })).slice(-200);
    const prev = /startxref\s+(\d+)/.exec(end)?.[1];
    const object = '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n';
    const xref = size + object.length;
    await appendFile(
      path,
      `${object}xref\n0 1\n0000000000 65535 f\r\n2 1\n${String(size).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size 1000 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`,
      'latin1',
    );
    const updated = (await stat(path)).size;
    assert.deepEqual(await inspectPdfStream(opener(path), updated, ref), { pages: 1 });
    assert.equal((await PDFDocument.load(await readFile(path))).getPageCount(), 1);
  });
});

describe('the prescan and the word "stream" in a page', () => {
  it('does not take "mainstream" in a page\'s text for a stream keyword, however often it comes', async () => {
    const bytes = pdfSayingMainstream(40);
    assert.equal(prescanPdf(bytes), undefined);
    const finding = await prescanPdfSource(byteSourceFromBytes(bytes));
    assert.equal(finding, undefined);
    assert.equal((await PDFDocument.load(bytes)).getPageCount(), 1, 'pdf-lib reads it as one page');
  });
});

describe('prescanPdfSource: object streams larger than its window', () => {
  /** `%PDF` and filler, then object 7: an object stream of `data` (deflated), its /Length direct or by reference. */
  function fileWithObjectStream(data: Buffer, length: 'direct' | 'reference'): Buffer {
    const deflated = deflateSync(data);
    const lengthValue = length === 'direct' ? String(deflated.length) : '8 0 R';
    return Buffer.concat([
      Buffer.from(`%PDF-1.7\n${'% filler\n'.repeat(300_000)}7 0 obj\n`),
      Buffer.from(`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${lengthValue} >>\nstream\n`),
      deflated,
      Buffer.from(`\nendstream\nendobj\n8 0 obj\n${deflated.length}\nendobj\n${'% filler\n'.repeat(300_000)}%%EOF\n`),
    ]);
  }
  const limits = { maxObjects: 1000, maxInflatedBytes: 4 * 1024 * 1024 };

  it('inflates one that runs on past the window piece by piece, by /Length or up to endstream', async () => {
    // Incompressible, so the stream's data is ~6 MB in the file: more than a window holds.
    const data = randomBytes(6 * 1024 * 1024);
    for (const length of ['direct', 'reference'] as const) {
      const bytes = fileWithObjectStream(data, length);
      assert.deepEqual(await prescanPdfSource(byteSourceFromBytes(bytes), limits), {
        kind: 'for-kompleks',
        why: 'objektstrømmene pakkes ut til mer enn 4 MB',
      });
      assert.equal(
        prescanPdf(bytes, limits),
        'objektstrømmene pakkes ut til mer enn 4 MB',
        'as the whole-file prescan',
      );
    }
  });

  it('takes one within the limit', async () => {
    const bytes = fileWithObjectStream(randomBytes(3 * 1024 * 1024), 'reference');
    assert.equal(await prescanPdfSource(byteSourceFromBytes(bytes), limits), undefined);
    assert.equal(prescanPdf(bytes, limits), undefined);
  });
});
