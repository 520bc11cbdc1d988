/**
 * The intake check of encrypted documents on a real file blob store and key store: a PDF
 * over 16 MB is inspected by range reads through the stored CMS message (CBC random access),
 * a small one whole; what decrypts to something else is refused naming the document.
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { InstallationKeys } from '../../../src/app/installation-keys.js';
import { encryptedDocumentInspector } from '../../../src/composition/encrypted-document-inspector.js';
import { generateSelfSignedKey } from '../../../src/crypto/self-signed-key.js';
import { ValidationError } from '../../../src/domain/errors.js';
import type { DokumentSpec } from '../../../src/domain/model.js';
import { inspectPdf } from '../../../src/pdf/index.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import { openSqlite, SqliteInstallationKeyStore, type SqliteDatabase } from '../../../src/storage/sqlite/index.js';
import { letterPdf } from '../../factories.js';
import { writeLargePdf } from '../../fixtures/index.js';
import { opensslBuffer, opensslStream } from '../../support/openssl.js';

const SENDER = { avsender: 'Testkommune' };

describe('encrypted document inspector (intake of kryptert=true)', () => {
  let dir: string;
  let db: SqliteDatabase;
  let blobs: FileBlobStore;
  let keys: InstallationKeys;
  let certPath: string;
  let inspect: ReturnType<typeof encryptedDocumentInspector>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-kryptert-inspect-'));
    db = openSqlite(join(dir, 'budbringer.sqlite'));
    blobs = new FileBlobStore(join(dir, 'blobs'), db, { writerThreads: 0 });
    keys = new InstallationKeys({
      store: new SqliteInstallationKeyStore(db),
      generate: generateSelfSignedKey,
      commonName: 'Budbringer test',
      now: Date.now,
    });
    certPath = join(dir, 'cert.pem');
    await writeFile(certPath, (await keys.current()).certificatePem);
    inspect = encryptedDocumentInspector(blobs, { inspect: inspectPdf }, keys);
  });
  after(async () => {
    await blobs.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const document = (filnavn: string, mimetype: string): DokumentSpec => ({
    filnavn,
    mimetype,
    ekskluderesFraPrint: false,
    skalSigneres: false,
    inneholderPersonsensitivInformasjon: false,
    giroarkSider: [],
    ekstraMetadata: [],
  });
  const spec = document('stor.pdf', 'application/pdf');
  const encryptFile = (path: string) =>
    opensslStream(
      ['cms', '-encrypt', '-binary', '-stream', '-aes256', '-outform', 'DER', '-recip', certPath],
      createReadStream(path),
    );

  const fileSha256 = async (path: string): Promise<string> => {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  };

  it('a 19 MB PDF: decrypted once, inspected by range, its pages counted', async () => {
    const pdfPath = join(dir, 'stor.pdf');
    const { size, pages } = await writeLargePdf(pdfPath, { pages: 12, imageBytesPerPage: 1_600_000 });
    assert.ok(size > 16 * 1024 * 1024);
    const encrypted = encryptFile(pdfPath);
    const blob = await blobs.put(encrypted.stdout);
    await encrypted.exited;
    assert.deepEqual(await inspect(blob, spec, 0, true, SENDER), {
      sider: pages,
      plaintextSize: (await stat(pdfPath)).size,
      plaintextSha256: await fileSha256(pdfPath),
    });
  });

  it('a small PDF is parsed whole; a file not declared PDF is only decrypted', async () => {
    const pdf = await letterPdf();
    const blob = await blobs.put(
      await opensslBuffer(
        ['cms', '-encrypt', '-binary', '-aes256', '-outform', 'DER', '-recip', certPath],
        Buffer.from(pdf),
      ),
    );
    const plaintextSha256 = createHash('sha256').update(pdf).digest('hex');
    // Parsed whole and found without script or actions: it may open inline in the inbox.
    assert.deepEqual(await inspect(blob, spec, 0, true, SENDER), {
      sider: 2,
      utenAktivtInnhold: true,
      plaintextSize: pdf.length,
      plaintextSha256,
    });
    assert.deepEqual(await inspect(blob, document('vedlegg.xml', 'application/xml'), 1, false, SENDER), {
      plaintextSize: pdf.length,
      plaintextSha256,
    });
  });

  it('17 MB that decrypt to something other than a PDF: refused naming the document', async () => {
    const path = join(dir, 'tull.bin');
    await writeFile(path, randomBytes(17 * 1024 * 1024));
    const encrypted = encryptFile(path);
    const blob = await blobs.put(encrypted.stdout);
    await encrypted.exited;
    await assert.rejects(inspect(blob, spec, 3, true, SENDER), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.problems[0]?.field, 'dokumenter[3]');
      assert.match(error.problems[0]?.message ?? '', /^Ugyldig innhold i stor\.pdf: ikke en lesbar PDF/);
      return true;
    });
  });
});
