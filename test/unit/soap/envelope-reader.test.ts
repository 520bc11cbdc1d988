/** The streaming envelope reader on saxes: structure, namespaces, documents, limits. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EnvelopeReader, type ParsedEnvelope } from '../../../src/http/soap/envelope-reader.js';
import { DEFAULT_SOAP_LIMITS, type SoapLimits } from '../../../src/http/soap/limits.js';
import { child, type XmlElement } from '../../../src/http/soap/xml-element.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import { nodeSendForsendelse, SOAP11, SOAP12, V9, WSSE, XOP, XSI } from '../../fixtures/soap/index.js';

async function* sliced(text: string | Buffer, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  return names.reduce<XmlElement | undefined>((e, n) => child(e, n), el);
}

describe('EnvelopeReader', () => {
  let dir: string;
  let blobs: FileBlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-envelope-'));
    blobs = new FileBlobStore(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));

  function read(text: string | Buffer, size = 65536, limits: Partial<SoapLimits> = {}): Promise<ParsedEnvelope> {
    return new EnvelopeReader(blobs, { ...DEFAULT_SOAP_LIMITS, ...limits }).read(sliced(text, size));
  }

  async function dataOf(env: ParsedEnvelope, slot: number): Promise<Buffer> {
    const s = env.dataSlots[slot];
    assert.equal(s?.kind, 'inline');
    return Buffer.from(await blobs.get((await (s as { blob: Promise<{ sha256: string }> }).blob).sha256));
  }

  it('reads the same tree and bytes from a Node-client body at every chunk size (UTF-8 split too)', async () => {
    const pdf = randomBytes(3000);
    const fixture = nodeSendForsendelse({ dokumenter: [{ data: pdf, filnavn: 'æøå.pdf' }], tittel: 'Vedtak – søknad' });
    for (const size of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const env = await read(fixture.body, size);
      assert.equal(env.version, '1.1');
      assert.equal(env.operation.local, 'sendForsendelse');
      assert.equal(env.operation.uri, V9);
      const f = child(env.operation, 'forsendelse');
      assert.equal(child(f, 'tittel')?.text, 'Vedtak – søknad', `size ${size}`);
      assert.equal(path(f, 'dokumenter', 'filnavn')?.text, 'æøå.pdf');
      assert.equal(path(f, 'dokumenter', 'data')?.dataSlot, 0);
      assert.deepEqual(await dataOf(env, 0), pdf, `size ${size}`);
    }
  });

  it('reads a message declared ISO-8859-1 at every chunk size, a letter that starts like a UTF-8 sequence split from the next byte too (it was refused when so split; found in review)', async () => {
    const fixture = nodeSendForsendelse({
      dokumenter: [{ data: randomBytes(300), filnavn: 'Åsane.pdf' }],
      tittel: 'Vedtak for Åse Ærlig – søknad',
    });
    const latin1 = Buffer.from(
      `<?xml version="1.0" encoding="ISO-8859-1"?>${fixture.body.toString('utf8').replace('–', '-')}`,
      'latin1',
    );
    for (const size of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const env = await read(latin1, size);
      const f = child(env.operation, 'forsendelse');
      assert.equal(child(f, 'tittel')?.text, 'Vedtak for Åse Ærlig - søknad', `size ${size}`);
      assert.equal(path(f, 'dokumenter', 'filnavn')?.text, 'Åsane.pdf', `size ${size}`);
    }
    // UTF-8 before the first Latin-1 byte: refused at every chunk size, not only some.
    const mixed = Buffer.concat([
      Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?><s:Envelope xmlns:s="${SOAP11}"><!-- ø -->`, 'utf8'),
      Buffer.from('<s:Body><x>Å</x></s:Body></s:Envelope>', 'latin1'),
    ]);
    for (const size of [1, 3, 7, 1 << 20]) await assert.rejects(read(mixed, size), /ikke gyldig UTF-8/, `size ${size}`);
  });

  it('streams inline base64 past the parser: a 12 MB document within a 64 KB XML limit', async () => {
    const pdf = randomBytes(9 * 1024 * 1024);
    const b64 = pdf.toString('base64').replace(/(.{76})/g, '$1\r\n');
    const xml = `<s:Envelope xmlns:s="${SOAP12}"><s:Body><v:sendForsendelse xmlns:v="${V9}"><forsendelse><dokumenter><data>${b64}</data></dokumenter></forsendelse></v:sendForsendelse></s:Body></s:Envelope>`;
    const env = await read(xml, 65536, { maxXmlChars: 64 * 1024, maxTextChars: 4096 });
    assert.deepEqual(await dataOf(env, 0), pdf);
  });

  it('still reads data the parser sees itself: a prefixed <data>, CDATA, comments, character references', async () => {
    const pdf = randomBytes(100);
    const b64 = pdf.toString('base64');
    const half = b64.length / 2;
    const xml =
      `<s:Envelope xmlns:s="${SOAP11}"><s:Body><v:sendForsendelse xmlns:v="${V9}"><forsendelse>` +
      `<dokumenter><v:data>${b64}</v:data></dokumenter>` +
      `<dokumenter><data><![CDATA[${b64.slice(0, half)}]]><!-- c -->${b64.slice(half)}</data></dokumenter>` +
      `<dokumenter><data>${b64.slice(0, 8)}&#xD;&#10;${b64.slice(8)}</data></dokumenter>` +
      `</forsendelse></v:sendForsendelse></s:Body></s:Envelope>`;
    for (const size of [1, 3, 1000]) {
      const env = await read(xml, size);
      assert.equal(env.dataSlots.length, 3);
      for (const i of [0, 1, 2]) assert.deepEqual(await dataOf(env, i), pdf, `slot ${i} size ${size}`);
    }
  });

  it('CDATA-wrapped data over the envelope limit is refused as such, not as an envelope too large "utenom dokumentdata"', async () => {
    const b64 = randomBytes(96 * 1024).toString('base64');
    const xml =
      `<s:Envelope xmlns:s="${SOAP12}"><s:Body><v:sendForsendelse xmlns:v="${V9}"><forsendelse>` +
      `<dokumenter><data><![CDATA[${b64}]]></data></dokumenter>` +
      `</forsendelse></v:sendForsendelse></s:Body></s:Envelope>`;
    await assert.rejects(read(xml, 65536, { maxXmlChars: 64 * 1024, maxTextChars: 4096 }), (error: Error) => {
      assert.match(error.message, /^Dokumentdata i en CDATA-seksjon leses som en del av SOAP-konvolutten/);
      assert.doesNotMatch(error.message, /utenom dokumentdata/);
      return true;
    });
  });

  it('names where a text or attribute list over its limit stands (the refusal did not say; review)', async () => {
    const xml =
      `<s:Envelope xmlns:s="${SOAP12}"><s:Body><v:sendForsendelse xmlns:v="${V9}"><forsendelse>` +
      `<tittel>${'x'.repeat(10_000)}</tittel></forsendelse></v:sendForsendelse></s:Body></s:Envelope>`;
    await assert.rejects(read(xml, 1024, { maxXmlChars: 64 * 1024, maxTextChars: 4096 }), (error: Error) => {
      assert.match(error.message, /på over 4096 tegn inne i <sendForsendelse\/forsendelse\/tittel>$/);
      return true;
    });
  });

  it('an envelope over its limit after plain base64 data is refused as an envelope, not as CDATA', async () => {
    const xml =
      `<s:Envelope xmlns:s="${SOAP12}"><s:Body><v:sendForsendelse xmlns:v="${V9}"><forsendelse>` +
      `<dokumenter><data>QUJDRA==</data><filnavn>a.pdf</filnavn></dokumenter><ekstra>${'<a/>'.repeat(20_000)}</ekstra>` +
      `</forsendelse></v:sendForsendelse></s:Body></s:Envelope>`;
    // One chunk: the piece after the streamed base64 starts with </data> and runs past the limit.
    await assert.rejects(read(xml, xml.length, { maxXmlChars: 64 * 1024, maxTextChars: 4096 }), (error: Error) => {
      assert.match(error.message, /SOAP-konvolutten er større enn 64 KB \(utenom dokumentdata\)/);
      return true;
    });
  });

  it('notes xop:Include references and empty data', async () => {
    const xml =
      `<s:Envelope xmlns:s="${SOAP12}"><s:Body><v:sendForsendelse xmlns:v="${V9}"><forsendelse>` +
      `<dokumenter><data>\n  <xop:Include xmlns:xop="${XOP}" href="cid:a%40b"/>\n</data></dokumenter>` +
      `<dokumenter><data/></dokumenter><dokumenter><data>   </data></dokumenter>` +
      `</forsendelse></v:sendForsendelse></s:Body></s:Envelope>`;
    const env = await read(xml, 4);
    assert.deepEqual(env.dataSlots, [
      // The href as written too, for the refusal when no part has that Content-ID.
      { kind: 'xop', label: 'dokumenter[0].data', contentId: 'a@b', href: 'cid:a%40b' },
      { kind: 'empty', label: 'dokumenter[1].data' },
      { kind: 'empty', label: 'dokumenter[2].data' },
    ]);
  });

  it('resolves xsi:type against the namespaces in scope where it is written', async () => {
    const xml =
      `<s:Envelope xmlns:s="${SOAP12}" xmlns:env="${V9}" xmlns:xsi="${XSI}"><s:Body><v:op xmlns:v="${V9}" xmlns:other="urn:other">` +
      `<a xsi:type="env:personDigitalAdresse"/><b xsi:type="v:organisasjonDigitalAdresse"/>` +
      `<c xmlns:q1="${V9}" xsi:type="q1:personDigitalAdresse"/><d xsi:type="other:personDigitalAdresse"/>` +
      `<e xsi:type="nope:personDigitalAdresse"/><f xsi:nil="true"/></v:op></s:Body></s:Envelope>`;
    const op = (await read(xml, 3)).operation;
    assert.deepEqual(
      op.children.map((c) => [c.local, c.xsiType, c.nil]),
      [
        ['a', { uri: V9, local: 'personDigitalAdresse' }, false],
        ['b', { uri: V9, local: 'organisasjonDigitalAdresse' }, false],
        ['c', { uri: V9, local: 'personDigitalAdresse' }, false],
        ['d', { uri: 'urn:other', local: 'personDigitalAdresse' }, false],
        ['e', { uri: undefined, local: 'personDigitalAdresse' }, false],
        ['f', undefined, true],
      ],
    );
  });

  // Extra Body children and mustUnderstand blocks of other namespaces are refused now: repeated-elements.test.ts, must-understand.test.ts.
  it('ignores WS-Security headers (mustUnderstand included), comments and processing instructions', async () => {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><!-- før --><s:Envelope xmlns:s="${SOAP12}"><s:Header>` +
      `<wsse:Security xmlns:wsse="${WSSE}" s:mustUnderstand="true"><x>${'y'.repeat(100)}</x></wsse:Security></s:Header>` +
      `<?pi data?><s:Body><v:startNyForsendelse xmlns:v="${V9}"/></s:Body></s:Envelope>`;
    const env = await read(xml, 5);
    assert.equal(env.operation.local, 'startNyForsendelse');
    assert.equal(env.version, '1.2');
  });

  it('refuses a DOCTYPE, other encodings, non-UTF-8 bytes and a missing Body operation', async () => {
    await assert.rejects(read(`<!DOCTYPE s:Envelope><s:Envelope xmlns:s="${SOAP11}"/>`), /DOCTYPE \(DTD\) avvises/);
    await assert.rejects(
      read(`<?xml version="1.0" encoding="Shift_JIS"?><s:Envelope xmlns:s="${SOAP11}"/>`),
      /Tegnsettet «Shift_JIS» støttes ikke/,
    );
    await assert.rejects(read(Buffer.from([0x3c, 0x61, 0xff, 0x3e])), /ikke gyldig UTF-8/);
    await assert.rejects(read(`<s:Envelope xmlns:s="${SOAP11}"><s:Body/></s:Envelope>`), /SOAP Body mangler/);
    await assert.rejects(read(''), /Tom melding/);
  });

  it('names limits on depth, elements, XML size and pending text', async () => {
    const wrap = (inner: string): string =>
      `<s:Envelope xmlns:s="${SOAP11}"><s:Body><v:op xmlns:v="${V9}">${inner}</v:op></s:Body></s:Envelope>`;
    await assert.rejects(read(wrap('<a><b><c/></b></a>'), 7, { maxDepth: 5 }), /nestet dypere enn 5 nivåer/);
    await assert.rejects(read(wrap('<a/><a/><a/>'), 7, { maxElements: 5 }), /flere enn 5 elementer/);
    await assert.rejects(read(wrap('<a/>'.repeat(100)), 64, { maxXmlChars: 200 }), /større enn 200 byte/);
    await assert.rejects(read(wrap(`<!--${'x'.repeat(5000)}-->`), 512, { maxTextChars: 1000 }), /over 1000 tegn/);
    await assert.rejects(read(wrap(`<a b="${'x'.repeat(5000)}"/>`), 512, { maxTextChars: 1000 }), /over 1000 tegn/);
  });
});
