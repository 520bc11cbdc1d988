/**
 * The KRR file is re-read without a restart: a node started without KRR_FILE and without
 * DATA_DIR/krr.json sends a person to print; once an operator puts krr.json in place
 * (written beside it and renamed over, as deploy tools do), the next letter to a registered
 * person is notified digitally; and an edit that reserves the person sends the next to print.
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FNR, sendToPerson, startTestNode, waitForStatus, type Creds, type TestNode } from '../factories.js';

describe('KRR file: re-read on change, no restart', () => {
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    t = await startTestNode();
    creds = await t.sender('Krrkommune');
  });
  after(() => t.stop());

  function send(fnr: string): Promise<string> {
    return sendToPerson(t.url, creds, fnr, { navn: 'Kari', adresse1: 'Gata 1', postNummer: '0155', postSted: 'Oslo' });
  }

  /** Puts DATA_DIR/krr.json in place atomically. */
  async function putKrr(reservasjon: 'JA' | 'NEI'): Promise<void> {
    const krr = {
      personer: [
        {
          personidentifikator: FNR[1],
          reservasjon,
          status: 'AKTIV',
          kontaktinformasjon: { epostadresse: 'kari@example.no' },
        },
      ],
    };
    const staged = join(t.dataDir, 'krr.json.new');
    await writeFile(staged, JSON.stringify(krr));
    await rename(staged, join(t.dataDir, 'krr.json'));
  }

  it('no file: print; the file put in place: digital; the person reserved in an edit: print again', async () => {
    await waitForStatus(t.url, creds, await send(FNR[1]), 'SENDT_PRINT');
    await putKrr('NEI');
    await waitForStatus(t.url, creds, await send(FNR[1]), 'VARSLET');
    await putKrr('JA');
    await waitForStatus(t.url, creds, await send(FNR[1]), 'SENDT_PRINT');
  });
});
