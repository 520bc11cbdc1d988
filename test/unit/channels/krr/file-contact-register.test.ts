import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileContactRegister, KrrUnavailableError } from '../../../../src/channels/krr/index.js';

const AKTIV = '01010112345';
const RESERVERT = '02020212345';

/** A file in Digdir's answer shape, with fields we ignore and a null, as the real API sends. */
const answer = {
  personer: [
    {
      personidentifikator: AKTIV,
      reservasjon: 'NEI',
      status: 'AKTIV',
      varslingsstatus: 'KAN_VARSLES',
      kontaktinformasjon: {
        epostadresse: 'kari@example.no',
        epostadresse_oppdatert: '2023-11-20T10:14:52+02',
        mobiltelefonnummer: '+4799999999',
      },
      digital_post: null,
      spraak: 'nb',
    },
    { personidentifikator: RESERVERT, reservasjon: 'JA', status: 'AKTIV' },
  ],
};

void describe('FileContactRegister', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-krr-file-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  /** A fresh file path per test, so tests never share a file. */
  let n = 0;
  const fresh = () => join(dir, `krr-${++n}.json`);

  void it('given a KRR-shaped file, when looking up, then returns the typed entry without nulls or extra fields', async () => {
    const path = fresh();
    await writeFile(path, JSON.stringify(answer));
    const krr = new FileContactRegister(path);
    assert.deepEqual(await krr.lookup(AKTIV), {
      personidentifikator: AKTIV,
      reservasjon: 'NEI',
      status: 'AKTIV',
      varslingsstatus: 'KAN_VARSLES',
      kontaktinformasjon: { epostadresse: 'kari@example.no', mobiltelefonnummer: '+4799999999' },
    });
    assert.deepEqual(await krr.lookup(RESERVERT), { personidentifikator: RESERVERT, reservasjon: 'JA', status: 'AKTIV' });
    assert.equal(await krr.lookup('03030312345'), undefined);
  });

  void it('given an operator edits the file, when looking up again, then the new content is used without a restart', async () => {
    const path = fresh();
    await writeFile(path, JSON.stringify(answer));
    const krr = new FileContactRegister(path);
    assert.equal((await krr.lookup(AKTIV))?.reservasjon, 'NEI');

    // Same length, different content, and an explicit new mtime: only the stamp reveals the edit.
    const edited = JSON.stringify(answer).replace('"NEI"', '"JA" ');
    assert.equal(edited.length, JSON.stringify(answer).length);
    await writeFile(path, edited);
    const later = new Date(Date.now() + 60_000);
    await utimes(path, later, later);
    assert.equal((await krr.lookup(AKTIV))?.reservasjon, 'JA');
  });

  void it('given a missing file, then a retryable KrrUnavailableError, and it works once the file appears', async () => {
    const path = fresh();
    const krr = new FileContactRegister(path);
    await assert.rejects(krr.lookup(AKTIV), (err: unknown) => {
      assert.ok(err instanceof KrrUnavailableError);
      assert.equal(err.retryable, true);
      assert.equal(err.code, 'KRR_UTILGJENGELIG');
      assert.match(err.message, /Kan ikke lese KRR-filen/);
      return true;
    });
    await writeFile(path, JSON.stringify(answer));
    assert.equal((await krr.lookup(AKTIV))?.status, 'AKTIV');
  });

  void it('given a half-saved file, then an error, and the fixed file is read again', async () => {
    const path = fresh();
    await writeFile(path, '{"personer": [');
    const krr = new FileContactRegister(path);
    await assert.rejects(krr.lookup(AKTIV), /KRR-filen .* er ikke gyldig JSON/);
    await writeFile(path, JSON.stringify(answer));
    const later = new Date(Date.now() + 120_000);
    await utimes(path, later, later);
    assert.equal((await krr.lookup(RESERVERT))?.reservasjon, 'JA');
  });

  void it('given a wrong value, then the error names the field and never the fødselsnummer', async () => {
    const path = fresh();
    await writeFile(path, JSON.stringify({ personer: [{ personidentifikator: AKTIV, reservasjon: 'KANSKJE', status: 'AKTIV' }] }));
    await assert.rejects(new FileContactRegister(path).lookup(AKTIV), (err: unknown) => {
      assert.ok(err instanceof KrrUnavailableError);
      assert.match(err.message, /personer\[0\]\.reservasjon: ugyldig verdi \(tillatt: JA, NEI\)/);
      assert.doesNotMatch(err.message, new RegExp(AKTIV));
      return true;
    });
  });

  void it('given a file without "personer", then the error says what is missing', async () => {
    const path = fresh();
    await writeFile(path, JSON.stringify([{ personidentifikator: AKTIV }]));
    await assert.rejects(new FileContactRegister(path).lookup(AKTIV), /KRR-filen .* har feil format: \(rot\): mangler eller har feil type/);
  });

  void it('given the same person twice, then the file is refused as ambiguous', async () => {
    const path = fresh();
    const twice = { personer: [answer.personer[0], { personidentifikator: AKTIV, reservasjon: 'JA', status: 'AKTIV' }] };
    await writeFile(path, JSON.stringify(twice));
    await assert.rejects(new FileContactRegister(path).lookup(AKTIV), (err: unknown) => {
      assert.ok(err instanceof KrrUnavailableError);
      assert.match(err.message, /personer\[1\]\.personidentifikator finnes også tidligere i filen/);
      assert.doesNotMatch(err.message, new RegExp(AKTIV));
      return true;
    });
  });

  void it('given many concurrent lookups, then all get answers from one consistent load', async () => {
    const path = fresh();
    await writeFile(path, JSON.stringify(answer));
    const krr = new FileContactRegister(path);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => krr.lookup(i % 2 === 0 ? AKTIV : RESERVERT)));
    assert.deepEqual(
      results.map((r) => r?.reservasjon),
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'NEI' : 'JA')),
    );
  });
});
