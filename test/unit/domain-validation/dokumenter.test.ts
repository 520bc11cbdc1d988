import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DokumentSpec } from '../../../src/domain/model.js';
import { validateForsendelse } from '../../../src/domain/validation/index.js';
import { assertNoProblemOn, assertProblem } from './assertions.js';
import { NOW, dokument, validInput } from './valid-input.js';

const checkDocs = (dokumenter: DokumentSpec[], kunDigitalLevering = false) =>
  validateForsendelse(
    validInput({ dokumenter, kunDigitalLevering, ...(kunDigitalLevering ? { mottaker: validInput().mottaker } : {}) }),
    { now: NOW },
  );

describe('dokumenter', () => {
  it('requires at least one document', () => {
    assertProblem(checkDocs([]), 'dokumenter', /^Mangler dokumenter: dokumenter må inneholde minst ett dokument$/);
    assertNoProblemOn(checkDocs([dokument()]), 'dokumenter');
  });

  it('refuses a letter that may go on paper with every document left out of print (a cover page in an envelope)', () => {
    const xml = dokument({ filnavn: 'data.xml', mimetype: 'application/xml', ekskluderesFraPrint: true });
    assertProblem(
      checkDocs([xml, dokument({ filnavn: 'b.pdf', ekskluderesFraPrint: true })]),
      'dokumenter',
      /^Ingenting å skrive ut: dokumenter har bare dokumenter med ekskluderesFraPrint, men forsendelsen kan sendes på papir/,
    );
    assertNoProblemOn(checkDocs([xml], true), 'dokumenter');
    assertNoProblemOn(checkDocs([xml, dokument()]), 'dokumenter');
  });
});

describe('filnavn', () => {
  it('is required', () => {
    assertProblem(checkDocs([dokument({ filnavn: '' })]), 'dokumenter[0].filnavn', /^Mangler filnavn/);
  });

  it('has at most 226 characters', () => {
    const name = (n: number) => `${'a'.repeat(n - 4)}.pdf`;
    assertProblem(
      checkDocs([dokument({ filnavn: name(227) })]),
      'dokumenter[0].filnavn',
      /For langt filnavn: .* høyst 226 tegn \(har 227\)/,
    );
    assert.deepEqual(checkDocs([dokument({ filnavn: name(226) })]), []);
  });

  it('contains no folder and none of " < > ? * | :', () => {
    for (const ch of ['"', '<', '>', '?', '*', '|', ':', '\\', '/']) {
      assertProblem(
        checkDocs([dokument({ filnavn: `brev${ch}1.pdf` })]),
        'dokumenter[0].filnavn',
        /^Ugyldig filnavn: .* kan ikke inneholde mappe/,
      );
    }
    assert.deepEqual(checkDocs([dokument({ filnavn: 'Vedtak – søknad (2027) #3, æøå.pdf' })]), []);
  });

  it('holds no tab, line break, C1 control or bidirectional formatting character', () => {
    for (const [ch, code] of [
      ['\t', 'U+0009'],
      ['\r', 'U+000D'],
      ['\n', 'U+000A'],
      ['\u0085', 'U+0085'],
      ['\u202E', 'U+202E'],
      ['\u2067', 'U+2067'],
      ['\u200F', 'U+200F'],
    ] as const) {
      assertProblem(
        checkDocs([dokument({ filnavn: `faktura${ch}fdp.exe.pdf` })]),
        'dokumenter[0].filnavn',
        new RegExp(
          `^Ugyldig filnavn: dokumenter\\[0\\]\\.filnavn kan ikke inneholde tegnet ${code.replace('+', '\\+')} `,
        ),
      );
    }
  });

  it('is not only dots (a folder: "." or "..")', () => {
    for (const filnavn of ['.', '..', ' ..', '. . .']) {
      assertProblem(checkDocs([dokument({ filnavn })]), 'dokumenter[0].filnavn', /^Ugyldig filnavn: .* bare punktum/);
    }
    assert.deepEqual(checkDocs([dokument({ filnavn: '.brev.pdf' })]), []);
  });

  it('is unique within the forsendelse, ignoring case', () => {
    const problems = checkDocs([
      dokument({ filnavn: 'Brev.pdf' }),
      dokument({ filnavn: 'vedlegg.pdf' }),
      dokument({ filnavn: 'brev.PDF' }),
    ]);
    assertProblem(
      problems,
      'dokumenter[2].filnavn',
      /^Filnavn ikke unikt: dokumenter\[2\]\.filnavn «brev\.PDF» er allerede brukt av dokumenter\[0\]/,
    );
    assertNoProblemOn(problems, 'dokumenter[0].filnavn');
    assert.deepEqual(checkDocs([dokument({ filnavn: 'brev.pdf' }), dokument({ filnavn: 'brev2.pdf' })]), []);
  });
});

describe('mimetype', () => {
  it('must be application/pdf for a document that goes to print', () => {
    assertProblem(
      checkDocs([dokument({ filnavn: 'data.xml', mimetype: 'application/xml' })]),
      'dokumenter[0].mimetype',
      /^Ugyldig mimetype: .* må være application\/pdf .*«application\/xml»/,
    );
    assertNoProblemOn(checkDocs([dokument({ mimetype: 'Application/PDF; charset=binary' })]), 'dokumenter[0].mimetype');
  });

  it('may be anything when the document is excluded from print or the letter is digital-only', () => {
    const xml = { filnavn: 'data.xml', mimetype: 'application/xml' };
    assert.deepEqual(checkDocs([dokument(), dokument({ ...xml, ekskluderesFraPrint: true })]), []);
    assert.deepEqual(checkDocs([dokument(xml)], true), []);
  });

  it('is required', () => {
    assertProblem(checkDocs([dokument({ mimetype: '' })], true), 'dokumenter[0].mimetype', /^Mangler mimetype/);
  });
});

describe('ekstraMetadata of a document', () => {
  it('requires unique keys', () => {
    const meta = (keys: string[]) => keys.map((key) => ({ key, value: 'v' }));
    assertProblem(
      checkDocs([dokument({ ekstraMetadata: meta(['k', 'k']) })]),
      'dokumenter[0].ekstraMetadata[1].key',
      /Metadatanøkkel ikke unik/,
    );
    assert.deepEqual(checkDocs([dokument({ ekstraMetadata: meta(['k', 'l']) })]), []);
  });
});

describe('mimetype', () => {
  it('must be a media type without control characters (it is sent back as a Content-Type header)', () => {
    for (const bad of [
      'text/plain\r\nX-Injisert: ja',
      'application/pdf\n',
      'pdf',
      'application/',
      'text/plain; charset',
      'a/b\u0000',
    ]) {
      assertProblem(
        checkDocs([dokument({ filnavn: 'a.bin', mimetype: bad })], true),
        'dokumenter[0].mimetype',
        /^Ugyldig mimetype: dokumenter\[0\]\.mimetype må være en medietype/,
      );
    }
    for (const good of [
      'application/pdf',
      'text/plain; charset="utf-8"',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ]) {
      assertNoProblemOn(checkDocs([dokument({ filnavn: 'a.bin', mimetype: good })], true), 'dokumenter[0].mimetype');
    }
  });

  it('has at most 127 characters (docs/interfaces.md §8)', () => {
    assertProblem(
      checkDocs([dokument({ mimetype: `application/${'x'.repeat(116)}` })], true),
      'dokumenter[0].mimetype',
      /^For lang tekst: dokumenter\[0\]\.mimetype kan ha høyst 127 tegn \(har 128\)$/,
    );
  });
});
