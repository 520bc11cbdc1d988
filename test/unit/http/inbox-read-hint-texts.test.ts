/**
 * The inbox page's sentence on when a letter counts as read, where the letter's PDF does not
 * hold every document: the others are named, as a list in running text, and the PDF itself is
 * not named when it holds none of them (only its cover).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INBOX_TEXTS } from '../../../src/http/inbox/inbox-texts.js';

describe('the read hint', () => {
  it('is the PDF alone when it holds every document', () => {
    assert.equal(INBOX_TEXTS.nb.lestNar([]), 'Når du har lastet ned brevet, er det registrert som lest.');
  });

  it('names the documents outside the PDF, in each language', () => {
    assert.equal(
      INBOX_TEXTS.nb.lestOgIkkePapir(['a.txt', 'b.html', 'c.xml']),
      'Når du har lastet ned brevet og «a.txt», «b.html» og «c.xml», er det registrert som lest, og da sender vi det ' +
        'ikke på papir i tillegg. De dokumentene er ikke med i PDF-en.',
    );
    assert.equal(
      INBOX_TEXTS.nn.lestNar(['a.txt']),
      'Når du har lasta ned brevet og «a.txt», er det registrert som lese. Det dokumentet er ikkje med i PDF-en.',
    );
    assert.equal(
      INBOX_TEXTS.en.lestNar(['a.txt', 'b.html']),
      'Once you have downloaded the letter and «a.txt» and «b.html», it is registered as read. Those documents are not in the PDF.',
    );
  });

  it('does not name the PDF when it holds none of the documents', () => {
    assert.equal(
      INBOX_TEXTS.nb.lestNar(['side.html'], false),
      'Når du har lastet ned «side.html», er det registrert som lest. Det dokumentet er ikke med i PDF-en.',
    );
    assert.equal(
      INBOX_TEXTS.en.lestNar(['side.html', 'skript.txt'], false),
      'Once you have downloaded «side.html» and «skript.txt», it is registered as read. Those documents are not in the PDF.',
    );
  });
});
