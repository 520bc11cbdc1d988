/** A forsendelse that passes every rule, for tests to break one rule at a time. */
import type { DokumentSpec, ForsendelseInput, PostAdresse } from '../../../src/domain/model.js';
import { findFnr, orgnrFrom } from './numbers.js';

export const NOW = Date.UTC(2027, 0, 11, 9); // Monday 11 January 2027 10:00 Oslo
export const DAY = 86_400_000;
export const FNR = findFnr('170785', 123);
export const ORGNR = '974760673';
export const OTHER_ORGNR = orgnrFrom('92345678') ?? '991825827';

export const POST_ADRESSE: PostAdresse = {
  navn: 'Kari Nordmann',
  adresse1: 'Storgata 1',
  postnr: '0155',
  poststed: 'OSLO',
};

/** A printable PDF document; override any field. */
export function dokument(overrides: Partial<DokumentSpec> = {}): DokumentSpec {
  return {
    filnavn: 'vedtak.pdf',
    mimetype: 'application/pdf',
    ekskluderesFraPrint: false,
    skalSigneres: false,
    inneholderPersonsensitivInformasjon: false,
    giroarkSider: [],
    ekstraMetadata: [],
    ...overrides,
  };
}

/** A valid printable letter to a person; override any field. */
export function validInput(overrides: Partial<ForsendelseInput> = {}): ForsendelseInput {
  return {
    tittel: 'Vedtak om byggesak',
    mottaker: { digitalAdresse: { type: 'person', fnr: FNR }, postAdresse: POST_ADRESSE },
    konteringskode: 'BYGG-2027',
    krevNiva4Innlogging: false,
    kryptert: false,
    kunDigitalLevering: false,
    taushetsbelagtPost: false,
    lenker: [],
    svarPaForsendelseLink: false,
    eksponertFor: [],
    dokumenter: [dokument()],
    ...overrides,
  };
}

/** A valid signing order (docs/interfaces.md §13); override any field. */
export function validSigningInput(overrides: Partial<ForsendelseInput> = {}): ForsendelseInput {
  return validInput({
    dokumenter: [dokument({ filnavn: 'avtale.pdf', skalSigneres: true }), dokument({ filnavn: 'vedlegg.pdf' })],
    signeringUtloper: NOW + 14 * DAY,
    signaturtype: 'AVANSERT_SIGNATUR',
    svarSendesTil: {
      digitalAdresse: { type: 'organisasjon', orgnr: ORGNR },
      postAdresse: { navn: 'Eksempel kommune', postnr: '0037', poststed: 'OSLO' },
    },
    ...overrides,
  });
}
