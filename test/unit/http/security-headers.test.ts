/** How a sender's file is described when served (src/http/security-headers.ts) and which link spellings count (inbox-links). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCanonicalBase64url } from '../../../src/app/inbox-links.js';
import {
  applySecurityHeaders,
  contentDisposition,
  DOCUMENT_CSP,
  browserMediaType,
  isPdfMediaType,
  servedMediaType,
} from '../../../src/http/security-headers.js';

describe('security headers', () => {
  it('serves a declared media type only when well-formed, else application/octet-stream', () => {
    assert.equal(servedMediaType('text/html'), 'text/html');
    assert.equal(servedMediaType('Application/PDF; charset=x'), 'application/pdf');
    assert.equal(servedMediaType('text/html\r\nSet-Cookie: a=1'), 'application/octet-stream');
    assert.equal(servedMediaType('text/html\n'), 'application/octet-stream');
    assert.equal(servedMediaType(''), 'application/octet-stream');
    assert.equal(servedMediaType(undefined), 'application/octet-stream');
    assert.equal(servedMediaType('html'), 'application/octet-stream');
    assert.equal(isPdfMediaType('application/pdf'), true);
    assert.equal(isPdfMediaType('application/pdf\r\n'), false);
    assert.equal(isPdfMediaType('text/html'), false);
  });

  it('spells letters with diacritics in ASCII in the fallback name, which Java SvarInn clients read', () => {
    assert.equal(
      contentDisposition('attachment', 'Vedtak – byggesøknad «Åsen» Æra Čáhppes (2).pdf'),
      `attachment; filename="Vedtak _ byggesoknad _Asen_ AEra Cahppes _2_.pdf"; filename*=UTF-8''Vedtak%20%E2%80%93%20bygges%C3%B8knad%20%C2%AB%C3%85sen%C2%BB%20%C3%86ra%20%C4%8C%C3%A1hppes%20%282%29.pdf`,
    );
  });

  it('cuts a long fallback name to 200 characters keeping its extension (a 222-character name lost its .pdf)', () => {
    const long = `${'a'.repeat(218)}.pdf`;
    const fallback = /filename="([^"]*)"/.exec(contentDisposition('attachment', long))?.[1] ?? '';
    assert.equal(fallback.length, 200);
    assert.ok(fallback.endsWith('.pdf'), fallback);
    const noExtension = /filename="([^"]*)"/.exec(contentDisposition('attachment', 'b'.repeat(300)))?.[1] ?? '';
    assert.equal(noExtension, 'b'.repeat(200));
  });

  it('serves a script, stylesheet, WebAssembly or XSLT to a browser as bytes, other types as declared', () => {
    for (const type of [
      'text/javascript',
      'Application/JavaScript; charset=utf-8',
      'application/x-javascript',
      'text/javascript1.5',
      'text/ecmascript',
      'application/x-ecmascript',
      'text/jscript',
      'text/livescript',
      'text/css',
      'application/wasm',
      'text/xsl',
      'application/xslt+xml',
    ])
      assert.equal(browserMediaType(type), 'application/octet-stream', type);
    for (const type of ['application/pdf', 'text/plain', 'image/png', 'application/json', 'text/html'])
      assert.equal(browserMediaType(type), type);
    assert.equal(servedMediaType('text/javascript'), 'text/javascript', 'SvarInn keeps the declared type');
  });

  it('writes file names as an ASCII fallback and an exact RFC 5987 name that no character can break', () => {
    assert.equal(
      contentDisposition('attachment', 'brev.pdf'),
      `attachment; filename="brev.pdf"; filename*=UTF-8''brev.pdf`,
    );
    assert.equal(
      contentDisposition('inline', 'Vedtak – søknad.pdf'),
      `inline; filename="Vedtak _ soknad.pdf"; filename*=UTF-8''Vedtak%20%E2%80%93%20s%C3%B8knad.pdf`,
    );
    for (const name of ['a"b\\c.txt', "it's (1)*!.txt", 'x\r\nSet-Cookie: y=1', 'a;b=c', '']) {
      const header = contentDisposition('attachment', name);
      assert.match(
        header,
        /^attachment; filename="[A-Za-z0-9 ._+-]*"; filename\*=UTF-8''[A-Za-z0-9%._~-]+$/,
        JSON.stringify(name),
      );
      assert.equal(decodeURIComponent(header.split("UTF-8''")[1] ?? ''), name === '' ? 'dokument' : name);
    }
  });

  it('gives pages the page policy and everything else the sandboxing one, and keeps a policy the handler set', () => {
    const options = { pageCsp: "default-src 'self'", referrerPolicy: 'no-referrer', frameOptions: 'DENY' } as const;
    const page = new Response('<p>', { headers: { 'content-type': 'text/html; charset=utf-8' } });
    applySecurityHeaders(page, options);
    assert.equal(page.headers.get('content-security-policy'), "default-src 'self'");
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    const file = new Response('{}', { headers: { 'content-type': 'application/json' } });
    applySecurityHeaders(file, options);
    assert.equal(file.headers.get('content-security-policy'), DOCUMENT_CSP);
    const senderHtml = new Response('<script>', {
      headers: { 'content-type': 'text/html', 'content-security-policy': DOCUMENT_CSP },
    });
    applySecurityHeaders(senderHtml, options);
    assert.equal(senderHtml.headers.get('content-security-policy'), DOCUMENT_CSP, "a sender's HTML keeps its sandbox");
  });

  it('takes only the canonical base64url spelling', () => {
    const mac = Buffer.alloc(32, 7).toString('base64url');
    assert.equal(isCanonicalBase64url(mac), true);
    assert.equal(isCanonicalBase64url(`${mac}=`), false);
    assert.equal(isCanonicalBase64url(`${mac}!!`), false);
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const otherPaddingBit = `${mac.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(mac.slice(-1)) ^ 1]}`;
    assert.deepEqual(
      Buffer.from(otherPaddingBit, 'base64url'),
      Buffer.from(mac, 'base64url'),
      'the same bytes to Node',
    );
    assert.equal(isCanonicalBase64url(otherPaddingBit), false);
    assert.equal(isCanonicalBase64url(mac.replace(/-/g, '+')), !mac.includes('-'));
    assert.equal(isCanonicalBase64url(''), false);
  });
});
