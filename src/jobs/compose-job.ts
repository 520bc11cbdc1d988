/**
 * Job `compose` (docs/architecture.md step 4): builds the forsendelsesfil (cover page + documents)
 * and records AKSEPTERT; later builds it for a letter accepted without one that came to need
 * it. The print copy (its own cover) is built by the print job, for letters that go on paper. A file that
 * cannot be built after a few attempts makes the forsendelse AVVIST with the reason, and
 * the job failed. Each attempt runs on a PDF thread under a time budget and retries are
 * delayed jobs, so a letter that fails never holds the queue or the thread for the others.
 */
import { coverTextWithLenker } from '../domain/lenker-text.js';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { LetterFiles } from '../app/letter-files.js';
import type { MottakersystemService } from '../app/mottakersystemer.js';
import { needsDigitalFile } from '../domain/delivery-rules.js';
import { withBlobCustody } from '../storage/blob-custody.js';
import type { FilRef } from '../domain/events.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { StoredDokument } from '../domain/model.js';
import { isPdfMimetype } from '../domain/validation/index.js';
import { forsideFor, type PdfWork } from '../pdf/index.js';
import { PermanentJobError, type BlobStore, type ConfigStore, type JobHandler } from '../storage/ports.js';
import { forsendelseIdOf } from './job-payload.js';

/** What the compose job needs. */
export interface ComposeJobDeps {
  readonly actors: ForsendelseActors;
  readonly blobs: BlobStore;
  /** Reads encrypted letters' documents and stores their files encrypted (docs/interfaces.md §12: encrypted at rest). */
  readonly files: LetterFiles;
  readonly config: ConfigStore;
  /** Builds the files (on a PDF worker thread in a node). */
  readonly pdf: Pick<PdfWork, 'compose'>;
  /** The receiving system that takes an organisation letter, if any: such a letter needs no file. */
  readonly mottakersystemer: Pick<MottakersystemService, 'forLetter'>;
  readonly now: () => number;
}

/** Attempts before a forsendelse whose documents cannot be built into its file is rejected. */
const MAX_COMPOSE_ATTEMPTS = 3;

/**
 * A fault of the letter's own documents: building its file failed in the PDF work itself
 * (a document pdf-lib cannot read, a page tree that breaks a rule, a task over its time
 * budget). Only such a fault rejects an acknowledged letter; storage, actor or thread
 * trouble is retried with the queue's backoff instead, never turned into AVVIST.
 */
export class DocumentFault extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'DocumentFault';
  }
}

/** Runs one PDF task; its failure is the documents' fault. */
async function composeVariant(
  pdf: Pick<PdfWork, 'compose'>,
  task: Parameters<PdfWork['compose']>[0],
): ReturnType<PdfWork['compose']> {
  try {
    return await pdf.compose(task);
  } catch (error) {
    throw new DocumentFault(error);
  }
}

/**
 * True for documents that go into the merged PDF: PDFs, encrypted ones too once intake has
 * checked them (BlobRef.cms; a letter taken before intake decrypted has unchecked CMS blobs).
 */
function isMergeable(state: ForsendelseState, d: StoredDokument): boolean {
  return isPdfMimetype(d.mimetype) && (!state.input.kryptert || d.blob.cms !== undefined);
}

/** Which of a letter's two files to build in one run. */
export interface FilesWanted {
  readonly forsendelsesfil: boolean;
  readonly printfil: boolean;
}

/** Builds and stores the files `wanted` asks for: the digital file, the print copy (its cover says why it came on paper). */
export async function buildForsendelsesfiler(
  state: ForsendelseState,
  wanted: FilesWanted,
  deps: Pick<ComposeJobDeps, 'blobs' | 'files' | 'config' | 'pdf'>,
): Promise<{ forsendelsesfil?: FilRef; printfil?: FilRef; printBytes?: Uint8Array }> {
  if (!wanted.forsendelsesfil && !wanted.printfil) return {};
  const avsender = await deps.config.getAvsender(state.avsender);
  if (avsender === undefined) throw new Error(`Avsender ${state.avsender} finnes ikke`);
  const docs = state.dokumenter.filter((d) => isMergeable(state, d));
  const documents = await Promise.all(
    docs.map(async (d) => ({ bytes: await deps.files.read(d.blob), ekskluderesFraPrint: d.ekskluderesFraPrint })),
  );
  const forside = {
    // The letter's links on the cover, so paper carries them too.
    avsender: { ...avsender.forside, tekst: coverTextWithLenker(avsender.forside.tekst, state.input.lenker ?? []) },
    mottaker: state.input.mottaker?.postAdresse ?? { navn: '' },
    tittel: state.input.tittel,
    dato: state.mottattAt,
  };
  const common = { documents, tittel: state.input.tittel, opprettet: state.mottattAt };
  // An encrypted letter's files hold its documents, so they are kept encrypted like them.
  const store = async (composed: { bytes: Uint8Array; pages: number }): Promise<FilRef> => ({
    ...(await (state.input.kryptert
      ? deps.files.putEncrypted(deps.blobs, composed.bytes)
      : deps.blobs.put(composed.bytes))),
    sider: composed.pages,
  });
  const files: { forsendelsesfil?: FilRef; printfil?: FilRef; printBytes?: Uint8Array } = {};
  if (wanted.forsendelsesfil) {
    files.forsendelsesfil = await store(
      await composeVariant(deps.pdf, { ...common, forside: forsideFor(forside, 'digital'), variant: 'digital' }),
    );
  }
  if (wanted.printfil) {
    const tosidig = state.input.printkonfigurasjon?.tosidig === true;
    const print = await composeVariant(deps.pdf, {
      ...common,
      forside: forsideFor(forside, 'print'),
      variant: 'print',
      tosidig,
    });
    files.printfil = await store(print);
    files.printBytes = print.bytes;
  }
  return files;
}

/**
 * The files to build for `state` now. On acceptance the digital file, except for a letter its
 * organisation's receiving system will take (SvarInn downloads the documents themselves, so
 * a 300 MB letter is never merged in memory); later, the digital file of such a letter that
 * came to need one (needsDigitalFile). The print copy is the print job's.
 */
async function digitalFileWanted(
  state: ForsendelseState,
  deps: Pick<ComposeJobDeps, 'mottakersystemer'>,
): Promise<boolean> {
  if (state.status !== 'MOTTATT') return needsDigitalFile(state);
  return (await deps.mottakersystemer.forLetter(state.input)) === undefined;
}

/** The compose job handler. */
export function composeJob(deps: ComposeJobDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined) return;
    const wanted = { forsendelsesfil: await digitalFileWanted(state, deps), printfil: false };
    if (state.status !== 'MOTTATT' && !wanted.forsendelsesfil) return;
    // The generated files are put under this run's custody and claimed for the forsendelse
    // with the event that registers them, so no collection can take them in between; what
    // a failed run stored and did not claim goes when the scope ends.
    await withBlobCustody(
      deps.blobs,
      async (custody) => {
        let forsendelsesfil: FilRef | undefined;
        try {
          ({ forsendelsesfil } = await buildForsendelsesfiler(state, wanted, { ...deps, blobs: custody.blobs }));
        } catch (error) {
          if (!(error instanceof DocumentFault) || job.attempt < MAX_COMPOSE_ATTEMPTS) throw error;
          // An accepted letter is not turned away: its job fails for an operator to see and handle.
          if (state.status !== 'MOTTATT') throw new PermanentJobError(`Filen kunne ikke dannes: ${error.message}`);
          const reason = `Forsendelsesfil kunne ikke dannes: ${(error as Error).message}`;
          await deps.actors.execute(id, { type: 'Avvis', at: deps.now(), grunn: reason });
          // The letter is closed (AVVIST, with the reason in its history); the job ends as
          // failed, not completed, so operators see it in the queue, the job metrics and the log.
          throw new PermanentJobError(`${reason} (forsøk ${job.attempt} av ${MAX_COMPOSE_ATTEMPTS})`);
        }
        // Claimed in the same write as the event that registers them (ChangeWriter), while
        // this scope's lease still holds them; a run that decides nothing claims nothing.
        const at = deps.now();
        if (forsendelsesfil === undefined) await deps.actors.execute(id, { type: 'RegistrerForsendelsesfil', at });
        else
          await deps.actors.execute(id, { type: 'RegistrerForsendelsesfil', at, forsendelsesfil }, [
            forsendelsesfil.sha256,
          ]);
      },
      { name: `compose:${id}` },
    );
  };
}
