/** Pure validation of forsendelser (docs/interfaces.md §8): identity numbers, fields, documents. */
export { isValidFodselsnummer, mod11ControlDigit } from './fodselsnummer.js';
export { isValidOrgnr } from './orgnr.js';
export { EKSPONERT_UTEN_NUMMER, isForsendelseId, quote } from './problem.js';
export { isNorwegianAddress } from './address-rules.js';
export { isSingleMailbox } from './mailbox.js';
export { singleMobileNumber } from './mobile-number.js';
export { MAX_FILNAVN_LENGTH, goesToPrint, isPdfMimetype } from './document-rules.js';
export { giroarkSiderProblems } from './giro-rules.js';
export { readTimeProblems, systemnavnProblems, READ_TIME_SKEW_MS } from './read-report-rules.js';
export { MIN_SIGNERING_WINDOW_MS } from './signing-rules.js';
export { KONTERINGSKODE_V2_V3, MAX_TITTEL_LENGTH, mayBePrinted, validateForsendelse } from './validate-forsendelse.js';
export type { DokumentSize } from './validate-dokument-bytes.js';
export { MAX_PRINTABLE_TOTAL_BYTES, validateDokumentBytes } from './validate-dokument-bytes.js';
