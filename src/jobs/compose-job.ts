/**
 * Job `compose` (docs/architecture.md step 4): builds the forsendelsesfil (cover page + documents)
 * and records AKSEPTERT; later builds it for a letter accepted without one that came to need
 * it. The print copy (its own cover) is built by the print job, for letters that go on paper. A file that
 * cannot be built after a few attempts makes the forsendelse AVVIST with the reason, and
 * the job failed. Each attempt runs on a PDF thread under a time budget and retries are
 * delayed jobs, so a letter that fails never holds the queue or the thread for the others.
 */
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { MottakersystemService } from '../app/mottakersystemer.js';
import { needsDigitalFile } from '../domain/delivery-rules.js';
import { withBlobCustody } from '../storage/blob-custody.js';
import type { FilRef } from '../domain/events.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import { PermanentJobError, type JobHandler } from '../storage/ports.js';
import { forsendelseIdOf } from './job-payload.js';
import { buildLetterFile, DocumentFault, type LetterFileDeps } from './letter-file.js';

/** What the compose job needs. */
export interface ComposeJobDeps extends LetterFileDeps {
  readonly actors: ForsendelseActors;
  /** The receiving system that takes an organisation letter, if any: such a letter needs no file. */
  readonly mottakersystemer: Pick<MottakersystemService, 'forLetter'>;
  readonly now: () => number;
}

/** Attempts before a forsendelse whose documents cannot be built into its file is rejected. */
const MAX_COMPOSE_ATTEMPTS = 3;

/**
 * Whether to build the digital file now: on acceptance, except for a letter its
 * organisation's receiving system will take (SvarInn downloads the documents themselves, so
 * a 300 MB letter is never merged in memory); later, for such a letter that came to need one
 * (needsDigitalFile). The print copy is the print job's.
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
    const wanted = await digitalFileWanted(state, deps);
    if (state.status !== 'MOTTATT' && !wanted) return;
    // The generated files are put under this run's custody and claimed for the forsendelse
    // with the event that registers them, so no collection can take them in between; what
    // a failed run stored and did not claim goes when the scope ends.
    await withBlobCustody(
      deps.blobs,
      async (custody) => {
        let forsendelsesfil: FilRef | undefined;
        try {
          if (wanted)
            forsendelsesfil = (await buildLetterFile(state, 'digital', { ...deps, blobs: custody.blobs })).fil;
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
