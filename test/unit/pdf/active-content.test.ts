/**
 * The scan that decides whether a sender's PDF may open inline (src/pdf/active-content.ts):
 * script, additional actions, unsafe actions and XFA anywhere in the file are found; links
 * to web and e-mail addresses and places in the file are not active content.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { hasActiveContent } from '../../../src/pdf/active-content.js';
import { inspectPdf } from '../../../src/pdf/index.js';
import { buildRawPdf, makeLetterPdf } from '../../fixtures/index.js';
import { activeContent, dynamicXfa, filledForm } from '../../fixtures/hostile-pdfs.js';

const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = (extra = ''): string => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] ${extra} >>`;

/** A one-page PDF with `catalogExtra` in its catalog, `pageExtra` in its page and `more` objects from number 4. */
function pdf(catalogExtra: string, pageExtra = '', more: string[] = []): Uint8Array {
  return buildRawPdf([`<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`, PAGES, PAGE(pageExtra), ...more]);
}

async function active(bytes: Uint8Array): Promise<boolean> {
  return hasActiveContent(await PDFDocument.load(bytes, { updateMetadata: false }));
}

describe('active content in a PDF', () => {
  it('finds none in a plain letter, a filled-in form, web, e-mail and in-file links, or an open action that is a destination', async () => {
    assert.equal(await active(await makeLetterPdf()), false);
    assert.equal(await active(filledForm()), false);
    const links = [
      '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://kommune.no/) >> >>',
      '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (mailto:post@kommune.no) >> >>',
      '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoTo /D [3 0 R /Fit] >> >>',
    ];
    assert.equal(await active(pdf('/OpenAction [3 0 R /Fit]', '/Annots [4 0 R 5 0 R 6 0 R]', links)), false);
  });

  it('finds JavaScript and unsafe actions wherever they are', async () => {
    const cases: Record<string, Uint8Array> = {
      'open action script': pdf('/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>'),
      'document-level script (name tree)': pdf('/Names << /JavaScript << /Names [(a) 4 0 R] >> >>', '', [
        '<< /S /JavaScript /JS (app.alert\\(1\\)) >>',
      ]),
      "page's open action": pdf('', '/AA << /O << /S /JavaScript /JS (1) >> >>'),
      'launch link': pdf('', '/Annots [4 0 R]', [
        '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (cmd.exe) >> >>',
      ]),
      'javascript: URI': pdf('', '/Annots [4 0 R]', [
        '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI ( JavaScript:alert\\(1\\)) >> >>',
      ]),
      'script chained after a web link': pdf('', '/Annots [4 0 R]', [
        '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://a.no/) /Next << /S /JavaScript /JS (1) >> >> >>',
      ]),
      'form submission as an indirect action': pdf('/OpenAction 4 0 R', '', [
        '<< /S /SubmitForm /F (https://a.no/) >>',
      ]),
      'script in an object no page refers to': pdf('', '', ['<< /Foo << /Bar << /JS (1) >> >> >>']),
      'fixture with every kind': activeContent(),
      'XFA form': dynamicXfa(),
    };
    for (const [name, bytes] of Object.entries(cases)) assert.equal(await active(bytes), true, name);
  });

  it('is reported by the intake check, which still accepts the document', async () => {
    const ref = { index: 0, filnavn: 'a.pdf' };
    assert.deepEqual(await inspectPdf(activeContent(), ref), { pages: 1, activeContent: true });
    assert.deepEqual(await inspectPdf(await makeLetterPdf(), ref), { pages: 2 });
  });
});
