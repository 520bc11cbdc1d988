/**
 * The door on a plain web Request (no Node IncomingMessage underneath, as when the app
 * runs on another adapter or is called with app.request): the body is read from the web
 * ReadableStream instead, chunk by chunk.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSoapApp } from '../../../src/http/soap/index.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import { cxfMtomSendForsendelse, nodeSendForsendelse } from '../../fixtures/soap/index.js';
import { AUTH, nodeClientReturns } from './support/post.js';
import { RecordingService } from './support/recording-service.js';

describe('SOAP door on a web Request', () => {
  let dir: string;
  let blobs: FileBlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-soap-web-'));
    blobs = new FileBlobStore(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));

  function streamOf(body: Buffer, size: number): ReadableStream<Uint8Array> {
    let pos = 0;
    return new ReadableStream({
      pull(controller) {
        if (pos >= body.length) controller.close();
        else controller.enqueue(body.subarray(pos, (pos += size)));
      },
    });
  }

  it('reads inline and MTOM bodies from a web stream and faults on a missing login', async () => {
    const service = new RecordingService();
    service.blobs = blobs;
    const app = createSoapApp({ service, blobs, publicUrl: 'https://budbringer.example.no' });
    const pdf = Buffer.from('%PDF-1.4 web stream\n%%EOF\n');
    for (const fixture of [
      nodeSendForsendelse({ dokumenter: [{ data: pdf, filnavn: 'a.pdf' }] }),
      cxfMtomSendForsendelse([{ data: pdf, filnavn: 'b.pdf' }]),
    ]) {
      const res = await app.request('/ForsendelsesServiceV9', {
        method: 'POST',
        headers: { 'content-type': fixture.contentType, authorization: AUTH },
        body: streamOf(fixture.body, 7),
        duplex: 'half',
      } as RequestInit);
      const text = await res.text();
      assert.equal(res.status, 200, text);
      assert.equal(nodeClientReturns(text)[0], service.sends.at(-1)?.id);
      assert.deepEqual(Buffer.from(await blobs.get(service.sends.at(-1)?.documents[0]?.sha256 ?? '')), pdf);
    }
    const denied = await app.request('/ForsendelsesServiceV9', {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<x/>',
    });
    assert.equal(denied.status, 401);
    const wsdl = await (await app.request('/ForsendelsesServiceV9?wsdl')).text();
    assert.ok(
      wsdl.includes('location="https://budbringer.example.no/tjenester/forsendelseservice/ForsendelsesServiceV9"'),
    );
  });
});
