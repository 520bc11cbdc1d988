/**
 * Inline base64 documents count toward the forsendelse limit with the MTOM parts
 * (docs/limits.md): by default one inline document may be as large as the whole limit, and
 * the request's documents together are refused while they stream once they pass it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SOAP_LIMITS } from '../../../src/http/soap/index.js';
import { nodeSendForsendelse } from '../../fixtures/soap/index.js';
import { RecordingService } from './support/recording-service.js';
import { startSoapServer } from './support/soap-server.js';
import { faultstring, nodeClientReturns, post } from './support/post.js';

const KIB = 1024;

describe('SOAP door: inline documents and the forsendelse limit', () => {
  it('by default takes an inline document as large as the forsendelse limit (350 MiB)', () => {
    assert.equal(DEFAULT_SOAP_LIMITS.maxInlineBase64Bytes, 350 * 1024 * KIB);
    assert.equal(DEFAULT_SOAP_LIMITS.maxInlineBase64Bytes, DEFAULT_SOAP_LIMITS.maxAttachmentBytes);
  });

  it('counts inline documents together: two of 600 KiB under a 1 MiB limit are refused, naming the second', async () => {
    const service = new RecordingService();
    const server = await startSoapServer(service, { maxAttachmentBytes: 1024 * KIB });
    try {
      const doc = (name: string) => ({ data: Buffer.alloc(600 * KIB, 0x25), filnavn: name });
      const one = await post(server.endpoint, nodeSendForsendelse({ dokumenter: [doc('a.pdf')] }));
      assert.equal(one.status, 200, one.text);
      assert.equal(nodeClientReturns(one.text).length, 1);
      const two = await post(server.endpoint, nodeSendForsendelse({ dokumenter: [doc('a.pdf'), doc('b.pdf')] }));
      assert.equal(two.status, 500, two.text);
      assert.match(
        faultstring(two.text) ?? '',
        /Dokumentene er til sammen for store \(ved dokumenter\[1\]\.data\): grensen er 1 MiB/,
      );
      assert.equal(service.sends.length, 1, 'the refused request sent nothing');
      assert.deepEqual(server.unexpected, []);
    } finally {
      await server.close();
    }
  });
});
