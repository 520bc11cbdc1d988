/**
 * Which of a letter's stored files staff may open in the admin web. An encrypted letter's
 * files are decrypted only for the recipient and for print (docs/interfaces.md §12: stored
 * encrypted; the originals of level-4 letters are the recipient's alone). Once it has gone
 * to print, its merged and print files open, as manual print and reprints need them; its
 * original documents never do.
 */
import type { ForsendelseState } from '../../domain/forsendelse-state.js';

/** A stored file of a letter, as the admin web offers it. */
export type LetterFileKind = 'dokument' | 'forsendelsesfil' | 'printfil';

/**
 * Whether staff may open the file: AdminService.assertMayOpen refuses the others (403), and
 * the detail page shows them without a link, instead of a link that answers 403.
 */
export function mayOpenFile(state: ForsendelseState, which: LetterFileKind): boolean {
  if (!state.input.kryptert) return true;
  const printed = state.status === 'SENDT_PRINT' || state.status === 'PRINTET';
  return which !== 'dokument' && printed;
}
