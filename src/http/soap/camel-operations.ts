/**
 * The 13 operations of ForsendelsesService V10 and V11 (docs/interfaces.md §6a): the same
 * ForsendelseService calls as the classic family, in V10's model — ids wrapped as
 * `ForsendelsesId{id}`, orgnr as `OrganisasjonsNummer{id}`, statuses as `ForsendelsesStatus`,
 * `LestAv` for settLest, `DokumentMetadata`. KS's own parameter element names are not
 * published (docs/interfaces.md §6a), so arguments are found by shape: a one-argument
 * operation reads its one argument whatever it is called (`forsendelsesId`, `arg0`…), the
 * forsendelse is the argument that looks like one, and LestAv's fields are also read
 * straight from the wrapper.
 */
import { ValidationError } from '../../domain/errors.js';
import { formatIsoWithOffset, formatOsloTimestamp } from '../../domain/time/index.js';
import type { StatusView } from '../../app/forsendelse-service.js';
import { Binder, checked } from './binder.js';
import { bindCamelForsendelse, wrappedId } from './camel-forsendelse-binding.js';
import {
  medIdRequired,
  sendBoundForsendelse,
  signeringsLoggXml,
  visibleSigneringshistorikk,
  type OperationCall,
  type OperationHandler,
} from './operations.js';
import type { XmlField, XmlValue } from './response-writer.js';
import { child, firstChild, type XmlElement } from './xml-element.js';

const idXml = (id: string): XmlValue => [['id', id]];

const FORSENDELSE_FIELDS = ['tittel', 'dokumenter', 'mottaker', 'avgivendeSystem'];

/** The `forsendelse` argument, else the argument that has a forsendelse's fields. */
function forsendelseArgument(request: XmlElement): XmlElement | undefined {
  return (
    child(request, 'forsendelse') ??
    firstChild(request, (c) => c.children.some((f) => FORSENDELSE_FIELDS.includes(f.local)))
  );
}

async function send(call: OperationCall, medId: boolean): Promise<XmlValue[]> {
  const forsendelse = forsendelseArgument(call.request);
  const bound = bindCamelForsendelse(forsendelse, {
    namespace: call.version.namespace,
    v11: call.version.model === 'camel-eksponert',
  });
  const idElement = medId ? firstChild(call.request, (c) => c !== forsendelse) : undefined;
  const id = medId
    ? medIdRequired(idElement === undefined ? undefined : checked((b) => wrappedId(b, idElement)), 'forsendelsesId')
    : undefined;
  return [idXml(await sendBoundForsendelse(call, bound, id))];
}

function statusXml(s: StatusView, call: OperationCall): XmlValue {
  return [
    ['forsendelsesId', idXml(s.id)],
    ['sisteStatusEndring', formatIsoWithOffset(s.sisteStatusEndring)],
    ['status', call.version.status(s.status)],
  ];
}

/** The one id argument: the first child's `id` (or text). Missing is a problem naming the argument. */
function oneId(request: XmlElement, name = 'forsendelsesId'): string {
  const id = checked((b) => wrappedId(b, firstChild(request)));
  if (id === undefined) throw new ValidationError([{ field: name, message: `Mangler id: ${name} må fylles ut` }]);
  return id;
}

/** Every child's id (a list argument), blanks skipped. */
function allIds(request: XmlElement): string[] {
  return checked((b) => request.children.flatMap((c) => (c.nil ? [] : [wrappedId(b, c)]))).filter(
    (s) => s !== undefined,
  );
}

/** The operations by wire name (with KS's typo `retreive` in retreiveForsendelsesTyper). */
export const CAMEL_OPERATIONS = {
  sendForsendelse: (call) => send(call, false),
  sendForsendelseMedId: (call) => send(call, true),
  startNyForsendelse: async ({ service }) => [idXml(service.newId())],
  retrieveForsendelsesStatus: async (call) => [
    statusXml(await call.service.status(call.avsender, oneId(call.request)), call),
  ],
  retrieveForsendelsesStatuser: async (call) =>
    (await call.service.statuses(call.avsender, allIds(call.request))).map((s) => statusXml(s, call)),
  retrieveForsendelsesHistorikk: async ({ avsender, service, request }) => [
    (await service.historikk(avsender, oneId(request))).map((e): XmlField => [
      'hendelsesLogger',
      [
        ['tidspunkt', formatOsloTimestamp(e.at)],
        ['hendelse', e.hendelse],
      ],
    ]),
  ],
  retrieveSigneringsHistorikk: async ({ avsender, service, request }) => {
    const id = oneId(request);
    const logg = await service.signeringshistorikk(avsender, id);
    return [[['forsendelsesId', idXml(id)], ...logg.map((l): XmlField => ['logg', signeringsLoggXml(l)])]];
  },
  retrieveSigneringsHistorikkForFlereForsendelser: async (call) =>
    (await visibleSigneringshistorikk(call, allIds(call.request), 'forsendelsesIder')).map(([id, logg]) => [
      ['forsendelsesId', idXml(id)],
      ...logg.map((l): XmlField => ['logg', signeringsLoggXml(l)]),
    ]),
  setForsendelseLestAvEksterntSystem: async ({ avsender, service, request }) => {
    const lestAv = child(request, 'forsendelsesId') === undefined ? firstChild(request) : request;
    const b = new Binder();
    const id = wrappedId(b, child(lestAv, 'forsendelsesId'));
    const at = b.dateTime(lestAv, 'datoLest', 'lestAv.datoLest');
    if (id === undefined) b.problem('lestAv.forsendelsesId', 'Mangler id', 'må fylles ut');
    const fnr = b.token(lestAv, 'lestAvFodselsNummer') ?? '';
    const systemnavn = b.str(lestAv, 'navnPaEksterntSystem') ?? '';
    b.check();
    await service
      .markerLestEksternt(avsender, id ?? '', { fnr, systemnavn, ...(at === undefined ? {} : { at }) })
      .catch((error: unknown) => {
        throw error instanceof ValidationError ? insideLestAv(error) : error;
      });
    return [];
  },
  retreiveForsendelsesTyper: async ({ service }) => service.forsendelseTyper(),
  retrieveMottakerSystemForOrgnr: async ({ service, request }) => {
    const orgnr = checked((b) => wrappedId(b, firstChild(request)));
    if (orgnr === undefined) return [];
    return (await service.mottakersystemer({ orgnr })).map((m) => [
      ['organisasjonsNummer', idXml(m.orgnr)],
      ['forsendelsesType', m.forsendelseType],
      ['mottakerSystem', m.mottakersystem],
      ['mottakerId', m.mottakerId],
      ['niva', m.niva],
    ]);
  },
  retrieveForsendelsesIderByEksternRef: async ({ avsender, service, request }) => {
    const ref = checked((b) => b.str(request, request.children[0]?.local ?? 'eksternRef'));
    return ref === undefined ? [] : (await service.idsByEksternref(avsender, ref)).map(idXml);
  },
  retrieveDokumentMetadata: async ({ avsender, service, request, version }) =>
    (await service.dokumentMetadata(avsender, oneId(request))).map((d): XmlField[] => [
      ['mimeType', d.mimetype],
      ['filnavn', d.filnavn],
      ['kanSigneres', d.kanSigneres],
      ['sizeInBytes', d.sizeInBytes],
      ['sha256hash', d.sha256hash],
      ['dokumentType', d.dokumentType],
      ['nedlasningsUrl', d.nedlasningsUrl],
      // V11 (May 2019) also answers what the sender gave each document.
      ...(version.model === 'camel-eksponert'
        ? [
            ...d.ekstraMetadata.map((e): XmlField => [
              'ekstraMetadata',
              [
                ['key', e.key],
                ['value', e.value],
              ],
            ]),
            ['inneholderPersonsensitivInformasjon', d.inneholderPersonsensitivInformasjon] as const,
          ]
        : []),
    ]),
} as const satisfies Readonly<Record<string, OperationHandler>>;

/** A V10/V11 operation's wire name. */
export type CamelOperationName = keyof typeof CAMEL_OPERATIONS;

/** The read report's problems named inside the `lestAv` element they come from, as datoLest is. */
function insideLestAv(error: ValidationError): ValidationError {
  return error.renamed((p) => ({
    field: `lestAv.${p.field}`,
    message: p.message.replace(`: ${p.field}`, `: lestAv.${p.field}`),
  }));
}
