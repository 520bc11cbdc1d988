/** Giro pages in the print file (src/domain/giro-pages.ts) and their intake rule. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeGiroPages } from '../../../src/domain/giro-pages.js';
import { giroarkSiderProblems } from '../../../src/domain/validation/index.js';

describe('placeGiroPages', () => {
  it('simplex: the documents follow the cover page(s) directly', () => {
    // cover 1 + 2 + 3 pages
    const placed = placeGiroPages(
      [
        { sider: 2, giroarkSider: [] },
        { sider: 3, giroarkSider: [3, 1] },
      ],
      6,
      false,
    );
    assert.deepEqual(
      placed.dokumenter.map((d) => d.forsteSide),
      [2, 4],
    );
    assert.deepEqual(placed.giroarkSider, [4, 6]);
  });

  it('duplex: every document starts on an odd page, whatever the cover length', () => {
    // cover 1 (+ blank) + 3 (+ blank) + 2 = 8; cover 2 + 3 (+ blank) + 2 = 8 as well
    const docs = [
      { sider: 3, giroarkSider: [2] },
      { sider: 2, giroarkSider: [2] },
    ];
    const placed = placeGiroPages(docs, 8, true);
    assert.deepEqual(
      placed.dokumenter.map((d) => d.forsteSide),
      [3, 7],
    );
    assert.deepEqual(placed.giroarkSider, [4, 8]);
  });

  it('pages the document does not have and repeats are left out', () => {
    assert.deepEqual(placeGiroPages([{ sider: 2, giroarkSider: [2, 2, 9, 0] }], 3, false).giroarkSider, [3]);
  });
});

describe('giroarkSiderProblems', () => {
  it('names the document and the page that is not there', () => {
    assert.deepEqual(giroarkSiderProblems([{ giroarkSider: [1] }, { giroarkSider: [0, 3] }], [1, 2]), [
      {
        field: 'dokumenter[1].giroarkSider',
        message: 'Ugyldig giroarkside: dokumenter[1].giroarkSider må være sidenummer fra 1 og oppover (fikk 0)',
      },
      {
        field: 'dokumenter[1].giroarkSider',
        message: 'Ugyldig giroarkside: dokumenter[1].giroarkSider viser til side 3, men dokumentet har bare 2 sider',
      },
    ]);
    assert.deepEqual(giroarkSiderProblems([{ giroarkSider: [7] }]), [], 'page count unknown: only the form');
  });
});
