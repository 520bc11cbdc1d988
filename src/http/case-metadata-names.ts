/**
 * The names of the case metadata's fields on the wire (metadataFraAvleverendeSystem,
 * metadataForImport), by the field they carry: SOAP V4–V9 and Fiks REST v2/v3 write them in
 * lower case (the field names themselves), SOAP V10/V11 and REST v1 in camelCase
 * (docs/interfaces.md §6 and §9). One table each, so every door reads the same fields.
 */

/** Wire names by field, for the fields whose name differs between the formats. */
export type CaseMetadataNames = Readonly<
  Record<
    | 'sakssekvensnummer'
    | 'saksaar'
    | 'journalaar'
    | 'journalsekvensnummer'
    | 'journalpostnummer'
    | 'journalposttype'
    | 'journalstatus'
    | 'journaldato'
    | 'saksbehandler',
    string
  >
>;

/** SOAP V4–V9, Fiks REST v2/v3. */
export const LOWER_CASE_METADATA: CaseMetadataNames = {
  sakssekvensnummer: 'sakssekvensnummer',
  saksaar: 'saksaar',
  journalaar: 'journalaar',
  journalsekvensnummer: 'journalsekvensnummer',
  journalpostnummer: 'journalpostnummer',
  journalposttype: 'journalposttype',
  journalstatus: 'journalstatus',
  journaldato: 'journaldato',
  saksbehandler: 'saksbehandler',
};

/** SOAP V10/V11, REST v1. */
export const CAMEL_CASE_METADATA: CaseMetadataNames = {
  sakssekvensnummer: 'saksSekvensNummer',
  saksaar: 'saksAar',
  journalaar: 'journalAar',
  journalsekvensnummer: 'journalSekvensNummer',
  journalpostnummer: 'journalPostNummer',
  journalposttype: 'journalPostType',
  journalstatus: 'journalStatus',
  journaldato: 'journalDato',
  saksbehandler: 'saksBehandler',
};
