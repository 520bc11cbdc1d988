import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileContactRegister, KrrUnavailableError, type KrrReload } from '../../../../src/channels/krr/index.js';

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
    assert.deepEqual(await krr.lookup(RESERVERT), {
      personidentifikator: RESERVERT,
      reservasjon: 'JA',
      status: 'AKTIV',
    });
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

  void it('given a broken file around a contact address, then the error says where, and never quotes it', async () => {
    const path = fresh();
    await writeFile(path, '{"personer": [{"kontaktinformasjon": {"epostadresse": ola.hemmelig@example.no}}]}');
    await assert.rejects(new FileContactRegister(path).lookup(AKTIV), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, /er ikke gyldig JSON: uventet «o»/);
      assert.doesNotMatch(err.message, /hemmel|example\.no/);
      return true;
    });
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
    await writeFile(
      path,
      JSON.stringify({ personer: [{ personidentifikator: AKTIV, reservasjon: 'KANSKJE', status: 'AKTIV' }] }),
    );
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
    await assert.rejects(
      new FileContactRegister(path).lookup(AKTIV),
      /KRR-filen .* har feil format: \(rot\): mangler eller har feil type/,
    );
  });

  void it('given the same person twice, then the file is refused as ambiguous', async () => {
    const path = fresh();
    const twice = {
      personer: [answer.personer[0], { personidentifikator: AKTIV, reservasjon: 'JA', status: 'AKTIV' }],
    };
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
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => krr.lookup(i % 2 === 0 ? AKTIV : RESERVERT)),
    );
    assert.deepEqual(
      results.map((r) => r?.reservasjon),
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'NEI' : 'JA')),
    );
  });
});

void describe('FileContactRegister: replaced files, watching, an optional file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-krr-watch-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });
  let n = 0;
  const fresh = () => join(dir, `krr-${++n}.json`);

  /** Writes `content` beside `path` and renames it over `path`, as editors and deploy tools do. */
  async function replaceAtomically(path: string, content: string, mtime?: Date): Promise<void> {
    const staged = `${path}.tmp`;
    await writeFile(staged, content);
    if (mtime !== undefined) await utimes(staged, mtime, mtime);
    await rename(staged, path);
  }

  void it('given the file is replaced by a rename with the same size and mtime, then the new content is used (new inode)', async () => {
    const path = fresh();
    const original = JSON.stringify(answer);
    const mtime = new Date(Date.now() - 60_000);
    await writeFile(path, original);
    await utimes(path, mtime, mtime);
    const krr = new FileContactRegister(path);
    assert.equal((await krr.lookup(AKTIV))?.reservasjon, 'NEI');
    const edited = original.replace('"NEI"', '"JA" ');
    assert.equal(edited.length, original.length);
    await replaceAtomically(path, edited, mtime);
    assert.equal((await krr.lookup(AKTIV))?.reservasjon, 'JA');
  });

  void it('given watch(), when the file is replaced, then it is re-read and reported without any lookup; a broken edit is reported as an error', async () => {
    const path = fresh();
    await writeFile(path, JSON.stringify(answer));
    const krr = new FileContactRegister(path);
    assert.equal((await krr.lookup(AKTIV))?.status, 'AKTIV');
    const reports: KrrReload[] = [];
    const stop = krr.watch((r) => reports.push(r));
    try {
      const three = {
        personer: [...answer.personer, { personidentifikator: '03030312345', reservasjon: 'NEI', status: 'AKTIV' }],
      };
      await replaceAtomically(path, JSON.stringify(three));
      await until(() => reports.length >= 1);
      assert.deepEqual(reports[0], { personer: 3 });
      await replaceAtomically(path, '{"personer": [');
      await until(() => reports.length >= 2);
      const broken = reports[1];
      assert.ok(broken !== undefined && 'error' in broken);
      assert.match(broken.error.message, /er ikke gyldig JSON/);
    } finally {
      stop();
    }
  });

  void it('given missingIsEmpty, then a missing file means nobody is registered, and the file is used once it appears', async () => {
    const path = fresh();
    const krr = new FileContactRegister(path, { missingIsEmpty: true });
    assert.equal(await krr.lookup(AKTIV), undefined);
    await replaceAtomically(path, JSON.stringify(answer));
    assert.equal((await krr.lookup(AKTIV))?.reservasjon, 'NEI');
  });
});

/** Waits (up to 5 s) for `check`; fs.watch events arrive asynchronously. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a watch report');
    await new Promise((r) => setTimeout(r, 20));
  }
}
