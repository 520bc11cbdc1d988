/**
 * The memory that uploads hold (src/http/store-upload.ts) goes back to the process's pool
 * when each door has answered: a send that succeeded, one refused at its PDF check, and a
 * SOAP MTOM send. Without the release, every small document a node ever took would stay
 * counted, and after 64 MiB every upload would stream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { processUploadMemory } from '../../src/http/store-upload.js';
import { basic, letterPdf, restForsendelse, restSend, startTestNode, type Creds, type TestNode } from '../factories.js';
import { cxfMtomSendForsendelse } from '../fixtures/soap/index.js';

describe('upload memory goes back to the pool once a door has answered', () => {
  let t: TestNode;
  let creds: Creds;
  let highest = 0;
  const take = processUploadMemory.take.bind(processUploadMemory);
  before(async () => {
    t = await startTestNode();
    creds = await t.sender('Minnekommune');
    // Watched, not changed: the highest amount held while the requests ran.
    processUploadMemory.take = (bytes: number): boolean => {
      const taken = take(bytes);
      highest = Math.max(highest, processUploadMemory.held);
      return taken;
    };
  });
  after(async () => {
    processUploadMemory.take = take;
    await t.stop();
  });

  it('REST v1: a letter taken and a letter refused both leave the pool as it was', async () => {
    const pdf = await letterPdf();
    const sent = await restSend(t.url, creds, restForsendelse(), [{ filename: 'brev.pdf', bytes: pdf }]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.ok(highest >= pdf.length, `the document was held in memory (${highest} bytes at most)`);
    assert.equal(processUploadMemory.held, 0);
    const refused = await restSend(t.url, creds, restForsendelse(), [
      { filename: 'brev.pdf', bytes: Buffer.from('%PDF-1.4\nikke en pdf\n') },
    ]);
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(processUploadMemory.held, 0);
  });

  it('SOAP with MTOM: the attachment held in memory is given back once the answer is made', async () => {
    highest = 0;
    const pdf = await letterPdf();
    const fixture = cxfMtomSendForsendelse([{ data: Buffer.from(pdf), filnavn: 'brev.pdf' }]);
    const res = await fetch(`${t.url}/tjenester/forsendelseservice/ForsendelsesServiceV9`, {
      method: 'POST',
      headers: { ...fixture.headers, 'content-type': fixture.contentType, authorization: basic(creds) },
      body: new Uint8Array(fixture.body),
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.ok(highest >= pdf.length, `the attachment was held in memory (${highest} bytes at most)`);
    assert.equal(processUploadMemory.held, 0);
  });
});
