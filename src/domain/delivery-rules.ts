/**
 * The delivery rules, each written once: the decider, the pending work, the jobs and the
 * admin web ask these instead of re-deriving them from the state's fields, so a rule
 * changed here changes everywhere at once.
 */
import { isFinal, type ForsendelseState } from './forsendelse-state.js';

/** True while a digitally routed letter still waits for its notification (and is not closed). */
export function needsNotification(state: ForsendelseState): boolean {
  return state.kanal === 'digital' && state.varsletAt === undefined && !isFinal(state);
}

/**
 * The files a letter lacks that its channel needs now: the digital file before the recipient
 * is notified (the inbox serves it), the print copy before it goes to print. A file is built
 * when first needed (docs/architecture.md step 4), so a letter read in time never gets a
 * print copy and one for a receiving system gets neither; purged documents build nothing.
 */
export function filesToBuild(state: ForsendelseState): {
  readonly forsendelsesfil: boolean;
  readonly printfil: boolean;
} {
  if (state.status === 'MOTTATT' || state.dokumenterSlettetAt !== undefined)
    return { forsendelsesfil: false, printfil: false };
  return {
    forsendelsesfil: state.forsendelsesfil === undefined && needsNotification(state),
    printfil: state.printfil === undefined && needsPrint(state),
  };
}

/** True while a letter is due for print (reserved, no digital address, deadline) and not yet sent there. */
export function needsPrint(state: ForsendelseState): boolean {
  return state.printBestiltAt !== undefined && state.sendtPrintAt === undefined && !isFinal(state);
}

/** True when the letter was notified digitally, so there is a notification a person may send again. */
export function mayResendNotification(state: ForsendelseState): boolean {
  return state.kanal === 'digital' && state.varsletAt !== undefined;
}

/** True while the letter waits in SvarInn for its receiving system (listed, downloadable). */
export function awaitsSvarInn(state: ForsendelseState): boolean {
  return state.status === 'KLAR_FOR_MOTTAK' && state.kanal === 'svarinn' && state.mottakersystem !== undefined;
}
