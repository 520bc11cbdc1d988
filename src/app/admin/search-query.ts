/**
 * The admin web's search of forsendelser as a read-model query: by id, period, avsender,
 * status, recipient (name, fødselsnummer or orgnr in one field), title and eksternref;
 * newest first; 25 a page. Problems name the fields that could not be read.
 */
import type { FieldProblem } from '../../domain/errors.js';
import { FORSENDELSE_STATUSES, type ForsendelseStatus } from '../../domain/model.js';
import type { ForsendelseQuery } from '../../storage/ports.js';
import { checkPeriod, parseDateField, periodBounds } from './period.js';
import { pageOffset, searchText } from './query-rules.js';

/** The search form's fields, as typed. */
export interface SearchForm {
  readonly id: string;
  readonly fra: string;
  readonly til: string;
  readonly avsender: string;
  readonly status: string;
  readonly mottaker: string;
  readonly tittel: string;
  readonly eksternref: string;
  readonly offset: string;
  /**
   * Epoch ms: only letters received up to then. The pager's links carry the moment of the
   * list's first page, so letters that arrive while a clerk pages do not push rows already
   * shown onto the next page (found in review: 12 rows twice in 60 pages).
   */
  readonly innen: string;
  /**
   * `<mottattAt>.<id>` of the last row shown: "Neste side" lists from there (a cursor), so a
   * letter that was still being taken in when the list began, and is received earlier than
   * `innen`, cannot push a shown row onto it either (found in the diff review).
   */
  readonly etter: string;
}

/** Rows per page. */
export const PAGE_SIZE = 25;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Longest period a search may span. */
export const MAX_SEARCH_YEARS = 10;

/** The query for a search form; problems name the fields that could not be read. */
export function searchQuery(
  form: SearchForm,
  scope: readonly string[] | undefined,
  problems: FieldProblem[],
  now: number,
): ForsendelseQuery {
  const id = form.id.trim().toLowerCase();
  if (id !== '' && !UUID.test(id))
    problems.push({ field: 'id', message: 'Ugyldig forsendelses-id: må være en UUID (36 tegn med bindestreker)' });
  const fra = parseDateField(form.fra, 'fra', 'Mottatt fra og med', problems, now);
  const til = parseDateField(form.til, 'til', 'Mottatt til og med', problems, now);
  checkPeriod(fra, til, MAX_SEARCH_YEARS, { fra: 'Mottatt fra og med', til: 'Mottatt til og med' }, problems);
  if (form.status !== '' && !(FORSENDELSE_STATUSES as readonly string[]).includes(form.status)) {
    problems.push({ field: 'status', message: `Ukjent status: velg en av ${FORSENDELSE_STATUSES.join(', ')}` });
  }
  const mottaker = searchText(form.mottaker, 'mottaker', 'Mottaker', problems);
  const tittel = searchText(form.tittel, 'tittel', 'Tittel', problems);
  const eksternref = searchText(form.eksternref, 'eksternref', 'Ekstern referanse', problems);
  const digits = mottaker.replace(/\s+/g, '');
  // One field for the recipient: 11 digits is a fødselsnummer, 9 an orgnr, anything else a name.
  const mottakerId = /^(\d{11}|\d{9})$/.test(digits) ? digits : undefined;
  const innen = /^\d{1,15}$/.test(form.innen) ? Number(form.innen) : undefined;
  if (form.innen !== '' && innen === undefined)
    problems.push({ field: 'innen', message: 'Ugyldig verdi: innen må være et tidspunkt i millisekunder' });
  const period = periodBounds(fra, til);
  const etter = cursorOf(form.etter, problems);
  return {
    id: id === '' ? undefined : id,
    avsendere: scope,
    status:
      form.status !== '' && (FORSENDELSE_STATUSES as readonly string[]).includes(form.status)
        ? [form.status as ForsendelseStatus]
        : undefined,
    ...period,
    ...(innen === undefined ? {} : { til: Math.min(period.til ?? Number.POSITIVE_INFINITY, innen + 1) }),
    mottakerId,
    mottakerNavn: mottakerId === undefined && mottaker !== '' ? mottaker : undefined,
    tittel: tittel === '' ? undefined : tittel,
    eksternref: eksternref === '' ? undefined : eksternref,
    limit: PAGE_SIZE,
    // From the cursor when there is one; `side` then only says which page it is.
    ...(etter === undefined ? { offset: pageOffset(form.offset, problems) } : { etter, offset: 0 }),
  };
}

/** The cursor `<mottattAt>.<id>` of a "Neste side" link; undefined when none (a problem when malformed). */
function cursorOf(value: string, problems: FieldProblem[]): { mottattAt: number; id: string } | undefined {
  if (value === '') return undefined;
  const m = /^(\d{1,15})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(value);
  if (m === null) {
    problems.push({
      field: 'etter',
      message: 'Ugyldig verdi: etter må være tidspunkt og forsendelses-id fra forrige side',
    });
    return undefined;
  }
  return { mottattAt: Number(m[1]), id: m[2] as string };
}
