/**
 * The XML parser's refusals reach end users (docs/interfaces.md §14): every saxes message is given in
 * Norwegian with its line and column, and one we do not know gets a Norwegian generic text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EnvelopeReader } from '../../../src/http/soap/envelope-reader.js';
import { DEFAULT_SOAP_LIMITS } from '../../../src/http/soap/limits.js';
import { saxesMessage } from '../../../src/http/soap/xml-errors.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import { SOAP12, V9 } from '../../fixtures/soap/index.js';

const GENERIC = 'XML-en kan ikke leses';
const ENGLISH = /\b(the|may|must|only|outside|unbound|duplicate|malformed|character|entity|attribute|tag|root)\b/i;

describe('Norwegian XML parser errors', () => {
  let dir: string;
  let blobs: FileBlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-xml-errors-'));
    blobs = new FileBlobStore(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));

  async function refusal(xml: string): Promise<string> {
    async function* one(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(xml);
    }
    try {
      await new EnvelopeReader(blobs, DEFAULT_SOAP_LIMITS).read(one());
    } catch (err) {
      return (err as Error).message;
    }
    assert.fail(`read ${xml}`);
  }

  it('names what the audit found in English, in Norwegian with the position', async () => {
    const op = `<v:startNyForsendelse xmlns:v="${V9}"/>`;
    const env = `<s:Envelope xmlns:s="${SOAP12}"><s:Body>${op}</s:Body></s:Envelope>`;
    const cases: [string, RegExp][] = [
      [env + env, /dokumentet kan bare ha ett rotelement/],
      [`${env}søppel`, /tekst utenfor rotelementet/],
      [env.replace(op, '<zz:op/>'), /prefikset «zz» er ikke bundet til noe navnerom/],
      [env.replace('<s:Envelope ', '<s:Envelope a="1" a="2" '), /attributtet «a» forekommer mer enn én gang/],
      [env.replace(op, '<v:op xmlns:v="urn:v">&#xZZ;</v:op>'), /ugyldig tegnreferanse/],
    ];
    for (const [xml, norwegian] of cases) {
      const message = await refusal(xml);
      assert.match(message, /^Ugyldig XML: .+ \(linje \d+, kolonne \d+\)$/, message);
      assert.match(message, norwegian);
      assert.doesNotMatch(message.replace(/«[^»]*»/g, ''), ENGLISH, message);
    }
  });

  it('has a Norwegian text for every fixed message in the installed saxes', () => {
    const source = readFileSync(createRequire(import.meta.url).resolve('saxes'), 'utf8');
    const messages = [...source.matchAll(/fail\("((?:[^"\\]|\\.)*)"\)/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    assert.ok(messages.length > 30, `found ${messages.length}`);
    for (const message of messages) {
      if (message.startsWith('cannot write after close')) continue; // our own misuse, never the caller's
      const norwegian = saxesMessage(new Error(`1:2: ${message}`));
      assert.ok(!norwegian.startsWith(GENERIC), message);
      assert.doesNotMatch(norwegian, ENGLISH, message);
    }
    for (const message of [
      'unclosed tag: a',
      'unmatched closing tag: b.',
      'malformed name: 1x.',
      'duplicate attribute: c.',
    ]) {
      assert.ok(!saxesMessage(new Error(`3:4: ${message}`)).startsWith(GENERIC), message);
    }
  });

  it('gives an unknown message a generic Norwegian text and keeps the position', () => {
    assert.equal(saxesMessage(new Error('7:12: something new.')), `${GENERIC} (linje 7, kolonne 12)`);
    assert.equal(saxesMessage(new Error('no position')), GENERIC);
  });
});
