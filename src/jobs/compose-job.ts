/**
 * Job `compose` (docs/architecture.md step 4): accepts the letter (AKSEPTERT) with its channel
 * when that can be chosen now, and with the one file that channel needs: the forsendelsesfil
 * (cover page + documents) for the inbox, the print copy (its cover says why the letter came
 * on paper) for a letter that goes on paper at once, none for one a receiving system takes.
 * The print copy it hands to print at once, recorded in the same write as the acceptance
 * (handOverAtOnce). Later it builds the forsendelsesfil for a letter accepted without one
 * that came to need it. A file that cannot be built after a few attempts makes the
 * forsendelse AVVIST with the reason, and the job failed. Each attempt runs on a PDF thread
 * under a time budget and retries are delayed jobs, so a letter that fails never holds the
 * queue or the thread for the others.
 */
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { MottakersystemService } from '../app/mottakersystemer.js';
import { deletedBeforeAcceptance, needsDigitalFile, readBeforeAcceptance } from '../domain/delivery-rules.js';
import { withBlobCustody } from '../storage/blob-custody.js';
import type { ChannelChoice } from '../domain/commands.js';
import type { FilRef } from '../domain/events.js';
import type { PrintLeverandor } from '../domain/print-receipt.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { PermanentJobError, type Avsender, type ConfigStore, type JobHandler } from '../storage/ports.js';
import type { ContactRegister } from '../channels/krr/index.js';
import type { PrintProviders } from '../channels/print/index.js';
import { forsendelseIdOf } from './job-payload.js';
import { PdfWorkStopped } from '../pdf/index.js';
import { buildLetterFile, DocumentFault, type LetterFileDeps } from './letter-file.js';
import { handOverToPrint } from './print-hand-over.js';
import { chooseRoute } from './route-choice.js';

/** What the compose job needs. */
export interface ComposeJobDeps extends LetterFileDeps {
  readonly actors: ForsendelseActors;
  readonly config: ConfigStore;
  readonly krr: ContactRegister;
  /** The receiving system that takes an organisation letter, if any: such a letter needs no file. */
  readonly mottakersystemer: Pick<MottakersystemService, 'forLetter'>;
  readonly now: () => number;
  /** The print providers, for a letter that goes on paper at once. */
  readonly printProviders: PrintProviders;
}

/** Attempts before a forsendelse whose documents cannot be built into its file is rejected. */
const MAX_COMPOSE_ATTEMPTS = 3;
/**
 * Attempts before one whose build keeps going over the node's limits (its time budget, its
 * thread's memory) is rejected: such a stop may be the machine's load of the moment, so it
 * is retried with the queue's backoff for hours, but one that repeats every time would
 * otherwise keep the letter in MOTTATT for days and then for good (found in review).
 */
const MAX_OVERRUN_ATTEMPTS = 10;

/** What to do for a letter: record its channel now (when it can be chosen), and which file to build, if any. */
interface ComposePlan {
  readonly kanalvalg?: ChannelChoice;
  readonly build?: 'digital' | 'print';
}

/**
 * The plan for `state`. On acceptance the channel is chosen first, as the route job would
 * choose it, so each letter is composed once, for the file its channel needs
 * (docs/architecture.md step 4): the print copy for paper (the print job hands it over), no
 * file for a receiving system's letter (SvarInn downloads the documents themselves, so a
 * 300 MB letter is never merged in memory), the forsendelsesfil otherwise. When KRR cannot be
 * reached the forsendelsesfil is built and the route job chooses the channel later, with its
 * retries. After acceptance: the forsendelsesfil for a letter that came to need one
 * (needsDigitalFile).
 */
async function planFor(
  state: ForsendelseState,
  avsender: Avsender | undefined,
  deps: ComposeJobDeps,
): Promise<ComposePlan> {
  if (state.status !== 'MOTTATT') return needsDigitalFile(state) ? { build: 'digital' } : {};
  if (readBeforeAcceptance(state)) return {};
  const system = await deps.mottakersystemer.forLetter(state.input);
  let kanalvalg: ChannelChoice;
  try {
    kanalvalg = await chooseRoute(state, system, avsender, deps.krr);
  } catch {
    // KRR unreachable: the route job chooses later, with its retries
    // and their errors in the queue; the inbox copy is built meanwhile.
    return system === undefined ? { build: 'digital' } : {};
  }
  if (kanalvalg.kanal === 'svarinn') return { kanalvalg };
  return { kanalvalg, build: kanalvalg.kanal === 'print' ? 'print' : 'digital' };
}

/** The compose job handler. */
export function composeJob(deps: ComposeJobDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined) return;
    if (deletedBeforeAcceptance(state)) {
      // Its documents were deleted before a version that ends such a letter at once: the
      // deletion, decided again, now ends it (IKKE_LEVERT) instead of a build that cannot be.
      await deps.actors.execute(id, {
        type: 'SlettDokumenter',
        at: deps.now(),
        grunn: state.dokumenterSlettetGrunn ?? 'avsender',
      });
      return;
    }
    // Read once: the channel may need its address for organisations, the file its cover.
    const avsender = await deps.config.getAvsender(state.avsender);
    const plan = await planFor(state, avsender, deps);
    if (state.status !== 'MOTTATT' && plan.build === undefined) return;
    const build = plan.build;
    // The generated file is put under this run's custody and claimed for the forsendelse
    // with the event that registers it, so no collection can take it in between; what
    // a failed run stored and did not claim goes when the scope ends.
    await withBlobCustody(
      deps.blobs,
      async (custody) => {
        let fil: { readonly ref: FilRef; readonly bytes: Uint8Array } | undefined;
        try {
          if (build !== undefined) {
            const built = await buildLetterFile(state, build, avsender, { ...deps, blobs: custody.blobs });
            fil = { ref: built.fil, bytes: built.bytes };
          }
        } catch (error) {
          const limit =
            error instanceof DocumentFault
              ? MAX_COMPOSE_ATTEMPTS
              : error instanceof PdfWorkStopped && error.reason === 'overrun'
                ? MAX_OVERRUN_ATTEMPTS
                : undefined;
          if (limit === undefined || job.attempt < limit) throw error;
          // An accepted letter is not turned away: its job fails for an operator to see and handle.
          if (state.status !== 'MOTTATT')
            throw new PermanentJobError(`Filen kunne ikke dannes: ${(error as Error).message}`);
          const reason = `Forsendelsesfil kunne ikke dannes: ${(error as Error).message}`;
          await deps.actors.execute(id, { type: 'Avvis', at: deps.now(), grunn: reason });
          // The letter is closed (AVVIST, with the reason in its history); the job ends as
          // failed, not completed, so operators see it in the queue, the job metrics and the log.
          throw new PermanentJobError(`${reason} (forsøk ${job.attempt} av ${limit})`);
        }
        // Claimed in the same write as the event that registers it (ChangeWriter), while
        // this scope's lease still holds it; a run that decides nothing claims nothing.
        const command = { type: 'RegistrerForsendelsesfil', at: deps.now(), kanalvalg: plan.kanalvalg } as const;
        if (fil === undefined) await deps.actors.execute(id, command);
        else if (build === 'print') {
          const sendtPrint = await handOverAtOnce(deps, id, fil, avsender, command.at);
          await deps.actors.execute(id, { ...command, printfil: fil.ref, sendtPrint }, [fil.ref.sha256]);
        } else await deps.actors.execute(id, { ...command, forsendelsesfil: fil.ref }, [fil.ref.sha256]);
      },
      { name: `compose:${id}` },
    );
  };
}

/**
 * Hands the print copy of a letter that goes on paper at once to print before its acceptance
 * is written, so that one write records both (RegistrerForsendelsesfil.sendtPrint) and the
 * letter needs no print job: no job row, claim, actor wake or file read of its own. Only while
 * the letter is still MOTTATT and unread (an operator may have closed it, its sender set it
 * read or deleted its documents, which ends it, while it was composed). When the
 * hand-over fails, the acceptance is written without it, and the print job the acceptance
 * then makes due hands the copy over with the queue's retries, its errors in the queue and
 * the log (providers are idempotent per forsendelse, so a copy that did arrive is not
 * printed twice).
 */
async function handOverAtOnce(
  deps: ComposeJobDeps,
  id: string,
  fil: { readonly ref: FilRef; readonly bytes: Uint8Array },
  avsender: Avsender | undefined,
  at: number,
): Promise<{ readonly leverandor: PrintLeverandor } | undefined> {
  const current = await deps.actors.state(id);
  // Set read while it was composed: its acceptance makes it LEST, and it is not printed.
  if (current?.status !== 'MOTTATT' || readBeforeAcceptance(current)) return undefined;
  try {
    return {
      leverandor: await handOverToPrint(
        deps.printProviders,
        { ...current, printfil: fil.ref },
        avsender,
        fil.bytes,
        at,
      ),
    };
  } catch {
    return undefined; // the print job's turn, see above
  }
}
