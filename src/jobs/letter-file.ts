/**
 * Building one of a letter's files (docs/architecture.md step 4): the cover page merged with
 * its documents on a PDF thread, then stored (encrypted when the letter is). The compose job
 * builds the digital file with it, the print job the print copy, whose cover also says why
 * the letter came on paper (src/pdf/forside.ts).
 */
import { DamagedBlobError, type LetterFiles } from '../app/letter-files.js';
import { coverTextWithLenker } from '../domain/lenker-text.js';
import type { FilRef } from '../domain/events.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { PostAdresse, StoredDokument } from '../domain/model.js';
import { inForsendelsesfil } from '../domain/delivery-rules.js';
import { forsideFor, PAPIR_MERKNADER, PdfWorkStopped, type PdfWork } from '../pdf/index.js';
import type { Avsender, BlobStore } from '../storage/ports.js';
import type { ByteBudget } from './byte-budget.js';

/** What building a file needs; `blobs` is the caller's custody scope. */
export interface LetterFileDeps {
  readonly blobs: BlobStore;
  /** Reads encrypted letters' documents and stores their files encrypted (docs/interfaces.md §12: encrypted at rest). */
  readonly files: LetterFiles;
  /** Builds the file (on a PDF worker thread in a node). */
  readonly pdf: Pick<PdfWork, 'compose'>;
  /** Bounds the document bytes held by builds at once (COMPOSE_MEMORY_MB); unbounded when absent. */
  readonly composeMemory?: ByteBudget;
}

/**
 * A fault of the letter's own documents: building its file failed in the PDF work itself
 * (a document pdf-lib cannot read, a page tree that breaks a rule), or a stored document is
 * damaged (DamagedBlobError: its bytes no longer match their SHA-256; the reason says so,
 * and it is found before the PDF work, which would otherwise blame the sender's file). Only
 * such a fault may close a letter or fail its job for good; a missing file, actor or thread
 * trouble, and PDF work stopped by the node's own limits (PdfWorkStopped: a time budget, a
 * lost thread, a shutdown), is retried with the queue's backoff.
 */
export class DocumentFault extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'DocumentFault';
  }
}

/**
 * Builds and stores the letter's `variant` file with `avsender`'s cover (the caller has read
 * it for its own use too); returns its ref and its (plaintext) bytes.
 */
export async function buildLetterFile(
  state: ForsendelseState,
  variant: 'digital' | 'print',
  avsender: Avsender | undefined,
  deps: LetterFileDeps,
): Promise<{ fil: FilRef; bytes: Uint8Array }> {
  if (avsender === undefined) throw new Error(`Avsender ${state.avsender} finnes ikke`);
  const merged = state.dokumenter.filter((d) => inForsendelsesfil(state, d));
  const build = () => composeAndStore(state, variant, avsender, merged, deps);
  if (deps.composeMemory === undefined) return build();
  return deps.composeMemory.hold(
    merged.reduce((sum, d) => sum + d.blob.size, 0),
    build,
  );
}

/** buildLetterFile's work: read the documents, compose on a PDF thread, store the file. */
async function composeAndStore(
  state: ForsendelseState,
  variant: 'digital' | 'print',
  avsender: Avsender,
  merged: readonly StoredDokument[],
  deps: LetterFileDeps,
): Promise<{ fil: FilRef; bytes: Uint8Array }> {
  const documents = await Promise.all(
    merged.map(async (d) => ({
      bytes: await readDocument(deps, d),
      ekskluderesFraPrint: d.ekskluderesFraPrint,
      ...(d.sider === undefined ? {} : { sider: d.sider }),
    })),
  );
  const forside = {
    // The letter's links on the cover, so paper carries them too.
    avsender: {
      ...coverSender(avsender.forside, state.input.svarSendesTil?.postAdresse),
      tekst: coverTextWithLenker(avsender.forside.tekst, state.input.lenker ?? []),
    },
    mottaker: state.input.mottaker?.postAdresse ?? { navn: '' },
    tittel: state.input.tittel,
    dato: state.mottattAt,
  };
  let composed: Awaited<ReturnType<PdfWork['compose']>>;
  try {
    composed = await deps.pdf.compose({
      documents,
      tittel: state.input.tittel,
      opprettet: state.mottattAt,
      // A digital letter left unread was available; any other went on paper at once.
      forside: forsideFor(forside, variant, PAPIR_MERKNADER[state.kanal === 'digital' ? 'ulest' : 'straks']),
      variant,
      tosidig: variant === 'print' && state.input.printkonfigurasjon?.tosidig === true,
    });
  } catch (error) {
    // The node's limits (a time budget, a thread lost, a shutdown): retried, never the letter's fault.
    if (error instanceof PdfWorkStopped) throw error;
    throw new DocumentFault(error);
  }
  // An encrypted letter's files hold its documents, so they are kept encrypted like them.
  const stored = state.input.kryptert
    ? await deps.files.putEncrypted(deps.blobs, composed.bytes)
    : await deps.blobs.put(composed.bytes);
  return { fil: { ...stored, sider: composed.pages }, bytes: composed.bytes };
}

/** A document's bytes; a damaged stored copy is a DocumentFault (it will not mend by retrying). */
async function readDocument(deps: LetterFileDeps, d: StoredDokument): Promise<Uint8Array> {
  try {
    return await deps.files.read(d.blob);
  } catch (error) {
    if (error instanceof DamagedBlobError) throw new DocumentFault(error);
    throw error;
  }
}

/**
 * The letterhead's name and address: the letter's `svarSendesTil` where it has a postal
 * address (SvarUt prints the reply address as the sender on paper: the recipient answers
 * there), else the avsender's configured cover (found in review: the reply address reached
 * SvarInn but never the paper letter).
 */
export function coverSender(
  forside: Avsender['forside'],
  svarSendesTil: PostAdresse | undefined,
): Avsender['forside'] & { readonly land?: string } {
  // A name with nowhere to write to (a digital reply address with a name only) is no address.
  const where = [svarSendesTil?.adresse1, svarSendesTil?.postnr].some((v) => v !== undefined && v.trim() !== '');
  if (svarSendesTil === undefined || svarSendesTil.navn.trim() === '' || !where) return forside;
  return {
    ...forside,
    navn: svarSendesTil.navn,
    adresselinjer: [svarSendesTil.adresse1, svarSendesTil.adresse2, svarSendesTil.adresse3].filter(
      (l): l is string => l !== undefined && l.trim() !== '',
    ),
    postnr: svarSendesTil.postnr ?? '',
    poststed: svarSendesTil.poststed ?? '',
    ...(svarSendesTil.land === undefined ? {} : { land: svarSendesTil.land }),
  };
}
