/** The content hash, the duplicate fingerprint and the answer to a taken id (src/app/send-rules.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, duplikatFingerprint, innholdSha256 } from '../../../src/app/letter-fingerprint.js';
import { retryAnswer } from '../../../src/app/send-rules.js';
import { ConflictError } from '../../../src/domain/errors.js';
import { AVSENDER, existing, ev, input, stored } from '../domain/given.js';

const blob = (n: number) => stored('brev.pdf', n).blob;

describe('letter fingerprints', () => {
  it('canonical JSON sorts keys and leaves absent fields out, at every depth', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: undefined, c: [2, { f: 1, e: 0 }] } }),
      '{"a":{"c":[2,{"e":0,"f":1}]},"b":1}',
    );
  });

  it('the content hash follows every field and each document’s bytes; key order and absent fields do not count', () => {
    const base = input();
    const h = innholdSha256(base, [blob(1)]);
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as typeof base;
    assert.equal(innholdSha256({ ...reordered, eksternref: undefined }, [blob(1)]), h);
    assert.notEqual(innholdSha256({ ...base, konteringskode: 'K1' }, [blob(1)]), h);
    assert.notEqual(innholdSha256(base, [blob(2)]), h, 'other bytes');
  });

  it('an encrypted letter’s documents count by their decrypted bytes (CMS is re-encrypted with a fresh key on every try)', () => {
    const kryptert = input({ kryptert: true });
    const plain = (p: string, size = 1000) => ({ plaintextSize: size, plaintextSha256: p.repeat(64) });
    const a = { sha256: 'a'.repeat(64), size: 1000, cms: plain('c') };
    const b = { sha256: 'b'.repeat(64), size: 1000, cms: plain('c') };
    assert.equal(innholdSha256(kryptert, [a]), innholdSha256(kryptert, [b]), 'another envelope of the same document');
    // A correction of the same length (a review found it taken as a retry and lost).
    assert.notEqual(innholdSha256(kryptert, [a]), innholdSha256(kryptert, [{ ...b, cms: plain('d') }]));
    // A letter stored before decrypted hashes were kept is compared by its envelopes' sizes.
    const old = { sha256: 'e'.repeat(64), size: 1000 };
    assert.equal(innholdSha256(kryptert, [old]), innholdSha256(kryptert, [a], [old]));
    assert.notEqual(innholdSha256(kryptert, [old]), innholdSha256(kryptert, [{ ...a, size: 1001 }], [old]));
  });

  it('the duplicate fingerprint is avsender, tittel and every field of the mottaker — nothing else', () => {
    const f = duplikatFingerprint(AVSENDER, input());
    assert.equal(duplikatFingerprint(AVSENDER, input({ konteringskode: 'K1', lenker: [] })), f);
    assert.notEqual(duplikatFingerprint('Annen', input()), f);
    assert.notEqual(duplikatFingerprint(AVSENDER, input({ tittel: 'Annet' })), f);
    const mottaker = input().mottaker;
    const flyttet = {
      ...mottaker,
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 2', postnr: '0155', poststed: 'Oslo' },
    };
    assert.notEqual(duplikatFingerprint(AVSENDER, input({ mottaker: flyttet })), f);
  });
});

describe('retryAnswer', () => {
  const letter = existing([ev.mottatt()]);
  const same = { input: letter.input, documents: letter.dokumenter.map((d) => d.blob) };
  const innhold = innholdSha256(same.input, same.documents);

  it('the same avsender and content: the id (also for a letter stored before hashes were)', () => {
    assert.equal(retryAnswer(letter, AVSENDER, same), letter.id);
    assert.equal(retryAnswer({ ...letter, innholdSha256: innhold }, AVSENDER, same), letter.id);
  });

  it('other content: a 409 that says so', () => {
    assert.throws(
      () => retryAnswer(letter, AVSENDER, { ...same, documents: [blob(9)] }),
      (e: unknown) => e instanceof ConflictError && /allerede mottatt med annet innhold/.test(e.message),
    );
  });

  it('another avsender: a 409 that names nothing of the letter', () => {
    assert.throws(
      () => retryAnswer(letter, 'Annen kommune', same),
      (e: unknown) =>
        e instanceof ConflictError &&
        e.message === `Forsendelses-id ${letter.id} er allerede i bruk; bruk en ny forsendelses-id` &&
        !e.message.includes(AVSENDER),
    );
  });
});
