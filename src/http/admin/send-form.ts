/**
 * The manual send form ("Send forsendelse") as a ForsendelseInput, so a letter sent by
 * hand takes exactly the path of one sent over SOAP or REST (service.send validates it).
 */
import type { FieldProblem } from '../../domain/errors.js';
import type { DigitalAdresse, ForsendelseInput, PostAdresse } from '../../domain/model.js';

/** The text fields of the form, by input name. */
export const SEND_FIELDS = [
  'avsender',
  'mottakerId',
  'navn',
  'adresse1',
  'adresse2',
  'adresse3',
  'postnr',
  'poststed',
  'land',
  'tittel',
  'eksternref',
  'konteringskode',
  'brevtype',
  'tosidig',
  'fargePrint',
  'kunDigitalLevering',
  'taushetsbelagtPost',
] as const;

/** Values typed into the form (to show them again after an error). */
export type SendValues = Partial<Record<(typeof SEND_FIELDS)[number], string>>;

/** Which form field a model field path belongs to (for the error summary's links). */
export function sendFieldIdOf(path: string): string | undefined {
  if (path === 'tittel' || path === 'konteringskode' || path === 'eksternref') return path;
  if (path.startsWith('mottaker.digitalAdresse')) return 'mottakerId';
  const post = /^mottaker\.postAdresse\.(navn|adresse1|adresse2|adresse3|postnr|poststed|land)$/.exec(path);
  if (post?.[1] !== undefined) return post[1];
  if (path === 'mottaker' || path === 'mottaker.postAdresse') return 'navn';
  if (path.startsWith('dokumenter')) return 'filer';
  if (path === 'avsender') return 'avsender';
  return undefined;
}

/** The form's labels of its fields (views/send-page.tsx), by field id. */
const LABELS: Readonly<Record<string, string>> = {
  tittel: 'Tittel',
  mottakerId: 'Fødselsnummer eller organisasjonsnummer',
  navn: 'Navn',
  adresse1: 'Adresselinje 1',
  adresse2: 'Adresselinje 2',
  adresse3: 'Adresselinje 3',
  postnr: 'Postnummer',
  poststed: 'Poststed',
  land: 'Land',
  eksternref: 'Ekstern referanse',
  konteringskode: 'Konteringskode',
  avsender: 'Avsender',
};

/** Paths that name a group of the form's fields, not one. */
const WHOLE: Readonly<Record<string, string>> = {
  mottaker: 'mottakeren',
  'mottaker.postAdresse': 'postadressen',
  'mottaker.digitalAdresse': '«Fødselsnummer eller organisasjonsnummer»',
};

/**
 * A problem in the form's words: the domain names a field by its model path ("Ugyldig
 * postnummer: mottaker.postAdresse.postnr må være …"), which a clerk does not see anywhere;
 * the message names the field's label instead, as the other doors use their own names.
 */
export function inSendFormTerms(problem: FieldProblem): FieldProblem {
  const id = sendFieldIdOf(problem.field);
  const document = /^dokumenter\[(\d+)\]/.exec(problem.field);
  const whole = WHOLE[problem.field];
  const label = whole
    ? whole
    : id !== undefined && LABELS[id] !== undefined
      ? `«${LABELS[id]}»`
      : document?.[1] !== undefined
        ? `dokument ${Number(document[1]) + 1}`
        : undefined;
  // The form has no «ekskluderesFraPrint»: a file that is no PDF needs «Kun digital levering» here.
  const message = problem.message.replace(
    'sett ekskluderesFraPrint eller kunDigitalLevering for andre filtyper',
    'kryss av for «Kun digital levering» for andre filtyper',
  );
  if (label === undefined || !message.includes(`: ${problem.field}`)) return { field: problem.field, message };
  return { field: problem.field, message: message.replace(`: ${problem.field}`, `: ${label}`) };
}

/** One uploaded file of the form. */
export interface SendFile {
  readonly filename: string;
  readonly contentType: string;
}

const text = (v: string | undefined): string | undefined => {
  const t = v?.trim() ?? '';
  return t === '' ? undefined : t;
};

/** The input for `values` and `files`; form-level problems (not the domain's) go to `problems`. */
export function sendInputOf(
  values: SendValues,
  files: readonly SendFile[],
  problems: FieldProblem[],
): ForsendelseInput {
  const id = (values.mottakerId ?? '').replace(/\s+/g, '');
  let digitalAdresse: DigitalAdresse | undefined;
  if (/^\d{11}$/.test(id)) digitalAdresse = { type: 'person', fnr: id };
  else if (/^\d{9}$/.test(id)) digitalAdresse = { type: 'organisasjon', orgnr: id };
  else if (id !== '') {
    problems.push({
      field: 'mottaker.digitalAdresse',
      message: 'Ugyldig mottaker-id: må være 11 siffer (fødselsnummer) eller 9 siffer (organisasjonsnummer)',
    });
  }
  const post: PostAdresse = {
    navn: text(values.navn) ?? '',
    adresse1: text(values.adresse1),
    adresse2: text(values.adresse2),
    adresse3: text(values.adresse3),
    postnr: text(values.postnr),
    poststed: text(values.poststed),
    land: text(values.land),
  };
  const hasPost = Object.values(post).some((v) => v !== undefined && v !== '');
  if (files.length === 0) problems.push({ field: 'dokumenter', message: 'Mangler dokument: velg minst én PDF-fil' });
  const brevtype = values.brevtype === 'APOST' ? 'APOST' : 'BPOST';
  return {
    tittel: values.tittel?.trim() ?? '',
    mottaker: { digitalAdresse, postAdresse: hasPost ? post : undefined },
    avgivendeSystem: 'Budbringer forvaltning (manuell sending)',
    eksternref: text(values.eksternref),
    konteringskode: text(values.konteringskode),
    krevNiva4Innlogging: false,
    kryptert: false,
    kunDigitalLevering: values.kunDigitalLevering !== undefined,
    taushetsbelagtPost: values.taushetsbelagtPost !== undefined,
    printkonfigurasjon: {
      tosidig: values.tosidig !== undefined,
      fargePrint: values.fargePrint !== undefined,
      brevtype,
    },
    lenker: [],
    svarPaForsendelseLink: false,
    eksponertFor: [],
    dokumenter: files.map((f) => ({
      filnavn: f.filename,
      mimetype:
        /\.pdf$/i.test(f.filename) || /pdf/i.test(f.contentType)
          ? 'application/pdf'
          : f.contentType || 'application/octet-stream',
      ekskluderesFraPrint: false,
      skalSigneres: false,
      inneholderPersonsensitivInformasjon: false,
      giroarkSider: [],
      ekstraMetadata: [],
    })),
  };
}
