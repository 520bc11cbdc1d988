/**
 * Who may confirm that a letter was printed (issue 13, "Print receipts"): only the channel
 * the letter was sent to. A print provider's receipt never confirms a letter waiting in the
 * admin web's manual queue (a person confirms those there), nor one not yet sent to print.
 */
import { keepsStatusOverPrint, type ForsendelseState } from './forsendelse-state.js';

/** The print channels a letter can be sent to (Avsender.print.leverandor). */
export type PrintLeverandor = 'filedrop' | 'manual';

/**
 * Why a receipt from `leverandor` cannot be applied to `state`, in Norwegian; undefined when
 * it can — also when this channel already confirmed the letter (a repeat changes nothing).
 */
export function printReceiptRefusal(
  state: ForsendelseState | undefined,
  leverandor: PrintLeverandor,
): string | undefined {
  if (state === undefined) return 'forsendelsen finnes ikke';
  if (state.sendtPrintAt === undefined || state.printLeverandor === undefined)
    return `forsendelsen har status ${state.status} og er ikke sendt til print`;
  if (state.printLeverandor !== leverandor) {
    return state.printLeverandor === 'manual'
      ? 'forsendelsen venter på manuell print og kan bare bekreftes av en bruker i forvaltningsweben'
      : 'forsendelsen er sendt til en annen printkanal';
  }
  if (state.status === 'PRINTET') return undefined;
  // Marked read (settLest) while at the printer, or closed by hand or deleted while handed
  // over: the receipt is still recorded (docs/interfaces.md §7).
  if (keepsStatusOverPrint(state)) return undefined;
  if (state.status !== 'SENDT_PRINT')
    return `forsendelsen har status ${state.status} og venter ikke på printkvittering`;
  return undefined;
}
