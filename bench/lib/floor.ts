/**
 * `floor_per_s`: the work no implementation of intake can skip, with none of ours around
 * it (no HTTP, no multipart, no actors, no job queue): store the PDF durably (the blob
 * store: hash, write, fsync, rename, directory fsync), parse and validate it (inspectPdf),
 * build the cover page and compose the file the node composes for such a letter
 * (composeForsendelsesfil), store that durably too, and one SQLite insert (a journal
 * event, in its own transaction, WAL, synchronous=NORMAL as the node).
 *
 * The bench's recipients are in no KRR, so the node sends every letter on paper at once
 * and composes its print copy: the cover with the recipient's address in the envelope
 * window and the note on why the letter came on paper (forsideFor(…, 'print')), variant
 * 'print'. Until 5 December 2026 the floor composed the inbox copy (variant 'digital',
 * no note), which since 4 December the node no longer makes for these letters; that
 * compose costs ~10 % less (bench/compose.ts: 5.2 against 5.7 ms), so the floor was
 * ~10 % higher than the work the node has to do (bench/README.md, `sustained_ratio`).
 *
 * Threads: the same as the node's. The node parses and composes with pdf-lib on its PDF
 * worker threads (PDF_WORKERS, default one fewer than the CPUs) and does the rest, SQLite
 * (better-sqlite3 is synchronous) and the request handling, on its main thread; file I/O
 * and fsyncs go to libuv's thread pool. The floor gets `pdf`, a pool started with the
 * node's number of threads (run.ts), for the parse and the compose, and does the rest on
 * the bench's main thread, `concurrency` letters at once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { forsideFor, type PdfWork } from '../../src/pdf/index.js';
import { FileBlobStore } from '../../src/storage/files/index.js';
import { openSqlite, SqliteJournal } from '../../src/storage/sqlite/index.js';
import { closedLoop, type LoadResult } from './http-load.js';
import { uniqueLetter } from './letters.js';

const FORSIDE_AVSENDER = {
  navn: 'Bench kommune',
  adresselinjer: ['Rådhuset', 'Postboks 1'],
  postnr: '0150',
  poststed: 'Oslo',
  tekst:
    'Dette brevet er sendt deg fra en offentlig virksomhet gjennom Budbringer. Brevet ble først gjort tilgjengelig digitalt. ' +
    'Fordi det ikke ble åpnet digitalt, eller fordi du har reservert deg mot digital post, får du det på papir.',
};

/**
 * Runs the floor for `durationMs` at `concurrency` in `dir`, the PDF work on `pdf`; the
 * `letters` are made unique with `runTag`.
 */
export async function measureFloor(
  dir: string,
  letters: readonly Uint8Array[],
  pdf: PdfWork,
  concurrency: number,
  durationMs: number,
  runTag: string,
): Promise<LoadResult> {
  mkdirSync(dir, { recursive: true });
  const db = openSqlite(join(dir, 'floor.sqlite'));
  const journal = new SqliteJournal(db);
  const blobs = new FileBlobStore(join(dir, 'blobs'));
  try {
    return await closedLoop(concurrency, { durationMs }, async (n) => {
      const bytes = uniqueLetter(letters, n, runTag);
      const stored = await blobs.put(bytes);
      const info = await pdf.inspect(bytes, { index: 0, filnavn: 'vedtak.pdf' });
      const at = Date.now();
      const composed = await pdf.compose({
        forside: forsideFor(
          {
            avsender: FORSIDE_AVSENDER,
            mottaker: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '0155', poststed: 'Oslo' },
            tittel: `Vedtak om barnehageplass ${n}`,
            dato: at,
          },
          'print',
        ),
        documents: [{ bytes, ekskluderesFraPrint: false }],
        variant: 'print',
        tittel: `Vedtak om barnehageplass ${n}`,
        opprettet: at,
      });
      const fil = await blobs.put(composed.bytes);
      await journal.append([
        {
          key: `floor:${runTag}:${n}`,
          seq: 1,
          data: { doc: stored.sha256, sider: info.pages, fil: fil.sha256 },
          tags: [],
          createdAt: at,
        },
      ]);
    });
  } finally {
    await blobs.close();
    db.close();
  }
}
