/**
 * The admin web's detail page says why a letter has no forsendelsesfil or print file: a letter
 * for a receiving system never gets one (the system takes the documents), a print copy is
 * built only when the letter goes to print, and a letter that goes on paper at once gets the
 * print copy alone (docs/architecture.md step 4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { DAY, FIL, MINUTE, T0, ev, upTo } from '../domain/given.js';
import { renderDetailPage } from './detail-page-render.js';

const render = (events: readonly ForsendelseEvent[]): Promise<string> => renderDetailPage(events, false);

describe('admin detail page: the letter’s files', () => {
  it('a letter for a receiving system: no file, and why', async () => {
    const accepted: ForsendelseEvent = { type: 'Akseptert', at: T0 + MINUTE };
    const routed: ForsendelseEvent = {
      type: 'KanalValgt',
      at: T0 + 2 * MINUTE,
      kanal: 'svarinn',
      grunn: 'Mottaker har eget mottakersystem',
      mottakersystem: '6f1c2a9e-4b7d-4c1a-9e2f-0a1b2c3d4e60',
    };
    const html = await render([ev.mottatt(), accepted, routed]);
    assert.match(html, /Ingen forsendelsesfil: mottakersystemet henter dokumentene/);
    assert.doesNotMatch(html, /last-ned-forsendelsesfil/);
  });

  it('a letter due for print before the hand-over: the print copy is built then', async () => {
    const html = await render([...upTo.akseptert(), ev.kanalValgt('print')]);
    assert.match(html, /id="last-ned-forsendelsesfil"/);
    assert.match(html, /Printfilen \(med egen forside\) dannes når brevet sendes til print/);
  });

  it('a letter sent to print: its print file can be downloaded', async () => {
    const printfil = { ...FIL, sha256: 'e'.repeat(64), sider: 4 };
    const html = await render([
      ...upTo.fristUtlopt(),
      { type: 'SendtPrint', at: T0 + 3 * DAY, leverandor: 'filedrop', printfil },
    ]);
    assert.match(html, /Last ned printfilen \(4 sider, PDF\)/);
    assert.doesNotMatch(html, /dannes når brevet sendes til print/);
  });

  it('a letter that went on paper at once: the print copy is its only file, and the page says so', async () => {
    const printfil = { ...FIL, sha256: 'f'.repeat(64), sider: 3 };
    const html = await render([ev.mottatt(), { type: 'Akseptert', at: T0 + MINUTE, printfil }, ev.kanalValgt('print')]);
    assert.match(html, /Ingen forsendelsesfil: brevet gikk rett på papir/);
    assert.doesNotMatch(html, /last-ned-forsendelsesfil/);
    assert.match(html, /Last ned printfilen \(3 sider, PDF\)/);
    assert.doesNotMatch(html, /dannes når brevet sendes til print/);
  });

  it('a letter whose files were deleted: no link to a file that answers 410, and why (found in a review)', async () => {
    const printfil = { ...FIL, sha256: 'e'.repeat(64), sider: 4 };
    const html = await render([
      ...upTo.fristUtlopt(),
      { type: 'SendtPrint', at: T0 + 3 * DAY, leverandor: 'filedrop', printfil },
      { type: 'DokumenterSlettet', at: T0 + 4 * DAY, grunn: 'avsender' },
    ]);
    assert.match(html, /Ingen forsendelsesfil: dokumentene er slettet/);
    assert.doesNotMatch(html, /last-ned-forsendelsesfil/);
    assert.doesNotMatch(html, /last-ned-printfil/);
  });
});
