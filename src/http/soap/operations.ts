/**
 * The 12 operations of the V9 portType (docs/interfaces.md §4), each translated to one or a few
 * ForsendelseService calls, plus the names real clients send instead (docs/interfaces.md §15 point 5,
 * docs/interfaces.md §16): the typo-free `retrieveForsendelseTyper` and the V10 names the Node
 * client 7.0.0 puts in the V9 namespace. KS's own V9 faults on those; we answer them.
 */
import type { ForsendelseService } from '../../app/forsendelse-service.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { formatIsoWithOffset, formatOsloTimestamp } from '../../domain/time/index.js';
import { Binder } from './binder.js';
import { bindForsendelse } from './forsendelse-binding.js';
import { SERVICE_NS } from './namespaces.js';
import type { StoredUpload } from '../store-upload.js';
import type { XmlField, XmlValue } from './response-writer.js';
import { child, children, type XmlElement } from './xml-element.js';

/** What an operation is given. */
export interface OperationCall {
  readonly avsender: string;
  readonly service: ForsendelseService;
  /** The Body's operation element. */
  readonly request: XmlElement;
  /** The stored documents of these data slots, in that order (small ones with their bytes). */
  readonly documents: (slots: readonly (number | undefined)[]) => Promise<StoredUpload[]>;
}

/** Runs an operation; resolves with the `<return>` values of the response. */
export type OperationHandler = (call: OperationCall) => Promise<XmlValue[]>;

/** KS documents at most 10 ids per signing-history call (docs/interfaces.md §8). */
const MAX_SIGNERING_IDS = 10;

/**
 * Binds the `<forsendelse>` and sends it with its documents. With `medId` (docs/interfaces.md §15
 * point 8): under the WSDL's top-level id, else the one the Node client puts inside
 * <forsendelse>, else a fresh one.
 */
async function sendBound(
  { avsender, service, request, documents }: OperationCall,
  medId: boolean,
): Promise<XmlValue[]> {
  const bound = bindForsendelse(child(request, 'forsendelse'));
  const id = medId ? (new Binder().token(request, 'forsendelsesid') ?? bound.innerId) : undefined;
  const docs = await documents(bound.dataSlots);
  const options = { documentBytes: docs.map((d) => d.bytes), ...(id === undefined ? {} : { id }) };
  return [
    await service.send(
      avsender,
      bound.input,
      docs.map((d) => d.blob),
      options,
    ),
  ];
}

const send: OperationHandler = (call) => sendBound(call, false);
const sendMedId: OperationHandler = (call) => sendBound(call, true);

const startNy: OperationHandler = async ({ service }) => [service.newId()];

const status: OperationHandler = async ({ avsender, service, request }) => [
  (await service.status(avsender, requiredId(request, 'forsendelsesid'))).status,
];

const statuser: OperationHandler = async ({ avsender, service, request }) =>
  (await service.statuses(avsender, ids(request, 'forsendelseider'))).map((s) => [
    ['forsendelseStatus', s.status],
    ['forsendelsesid', s.id],
    ['sisteStatusEndring', formatIsoWithOffset(s.sisteStatusEndring)],
  ]);

const historikk: OperationHandler = async ({ avsender, service, request }) => {
  const entries = await service.historikk(avsender, requiredId(request, 'forsendelsesid'));
  return [
    entries.map((e): XmlField => [
      'hendelsesLogg',
      [
        ['hendelse', e.hendelse],
        ['tidspunkt', formatOsloTimestamp(e.at)],
      ],
    ]),
  ];
};

const idByEksternRef: OperationHandler = async ({ avsender, service, request }) => {
  const ref = new Binder().str(request, 'eksternRef') ?? new Binder().str(request, 'eksternref');
  return ref === undefined ? [] : service.idsByEksternref(avsender, ref);
};

const settLest: OperationHandler = async ({ avsender, service, request }) => {
  const b = new Binder();
  const id = requiredId(request, 'forsendelsesid');
  const at = b.dateTime(request, 'datoLest', 'datoLest');
  b.check();
  await service.markerLestEksternt(avsender, id, {
    fnr: b.token(request, 'lestAvFodselsnummer') ?? '',
    systemnavn: b.str(request, 'navnPaEksterntSystem') ?? '',
    ...(at === undefined ? {} : { at }),
  });
  return [];
};

const typer: OperationHandler = async ({ service }) => service.forsendelseTyper();

const mottakerSystem: OperationHandler = async ({ service, request }) => {
  const orgnr = new Binder().token(request, 'organisasjonsnr');
  if (orgnr === undefined) return [];
  return (await service.mottakersystemer({ orgnr })).map((m) => [
    ['forsendelseType', m.forsendelseType],
    ['mottakerid', m.mottakerId],
    ['mottakersystem', m.mottakersystem],
    ['niva', m.niva],
    ['orgnr', m.orgnr],
  ]);
};

async function signeringshistorikkOf(call: OperationCall, id: string): Promise<XmlValue> {
  const logg = await call.service.signeringshistorikk(call.avsender, id);
  return [
    ['forsendelseid', id],
    ...logg.map((l): XmlField => [
      'logg',
      [
        ['tidspunkt', l.tidspunkt],
        ['type', l.type],
        ['hendelse', l.hendelse],
      ],
    ]),
  ];
}

const signeringshistorikk: OperationHandler = async (call) => [
  await signeringshistorikkOf(call, requiredId(call.request, 'forsendelseid')),
];

const signeringshistorikkFlere: OperationHandler = async (call) => {
  const wanted = ids(call.request, 'forsendelseider');
  if (wanted.length > MAX_SIGNERING_IDS) {
    throw new ValidationError([
      {
        field: 'forsendelseider',
        message: `For mange id-er: forsendelseider kan ha høyst ${MAX_SIGNERING_IDS} id-er per kall (fikk ${wanted.length})`,
      },
    ]);
  }
  const out: XmlValue[] = [];
  // Like retrieveForsendelseStatuser, ids the avsender cannot see are left out.
  for (const id of wanted) {
    try {
      out.push(await signeringshistorikkOf(call, id));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  return out;
};

/** V10's retrieveDokumentMetadata (element names as KS documents them, docs/interfaces.md §6). */
const dokumentMetadata: OperationHandler = async ({ avsender, service, request }) =>
  (await service.dokumentMetadata(avsender, requiredId(request, 'forsendelsesid'))).map((d) => [
    ['mimeType', d.mimetype],
    ['filnavn', d.filnavn],
    ['kanSigneres', d.kanSigneres],
    ['sizeInBytes', d.sizeInBytes],
    ['sha256hash', d.sha256hash],
    ['dokumentType', d.dokumentType],
    ['nedlasningsUrl', d.nedlasningsUrl],
  ]);

/** The V9 operations by wire name (note the contract's own typo `retreive`). */
const OPERATIONS: Readonly<Record<string, OperationHandler>> = {
  sendForsendelse: send,
  sendForsendelseMedId: sendMedId,
  startNyForsendelse: startNy,
  retrieveForsendelseStatus: status,
  retrieveForsendelseStatuser: statuser,
  retrieveForsendelseHistorikk: historikk,
  retrieveForsendelseIdByEksternRef: idByEksternRef,
  setForsendelseLestAvEksterntSystem: settLest,
  retreiveForsendelseTyper: typer,
  retrieveMottakerSystemForOrgnr: mottakerSystem,
  retrieveSigneringshistorikk: signeringshistorikk,
  retrieveSigneringshistorikkForFlereForsendelser: signeringshistorikkFlere,
};

/** Names real clients send in the V9 namespace (docs/interfaces.md §16), mapped to their V9 operation. */
const ALIASES: Readonly<Record<string, OperationHandler>> = {
  retrieveForsendelseTyper: typer,
  retrieveForsendelsesTyper: typer,
  retreiveForsendelsesTyper: typer,
  retrieveForsendelsesStatus: status,
  retrieveForsendelsesStatuser: statuser,
  retrieveForsendelsesHistorikk: historikk,
  retrieveForsendelsesIderByEksternRef: idByEksternRef,
  retrieveSigneringsHistorikk: signeringshistorikk,
  retrieveSigneringsHistorikkForFlereForsendelser: signeringshistorikkFlere,
  retrieveDokumentMetadata: dokumentMetadata,
};

/** The V9 operation names, in WSDL order of the XSD. */
export const V9_OPERATION_NAMES: readonly string[] = Object.keys(OPERATIONS);

/** The handler for a Body element, by its QName; undefined for anything else. */
export function findOperation(uri: string, local: string): OperationHandler | undefined {
  if (uri !== SERVICE_NS) return undefined;
  return Object.hasOwn(OPERATIONS, local)
    ? OPERATIONS[local]
    : Object.hasOwn(ALIASES, local)
      ? ALIASES[local]
      : undefined;
}

/**
 * An id argument: the element's text, or (V10 style `ForsendelsesId{id}`) its `id` child.
 * Missing is a problem naming the element.
 */
function requiredId(request: XmlElement, name: string): string {
  const el = child(request, name) ?? child(request, name === 'forsendelseid' ? 'forsendelsesid' : 'forsendelseid');
  const text = (child(el, 'id')?.text ?? el?.text ?? '').trim();
  if (text === '') {
    throw new ValidationError([{ field: name, message: `Mangler id: ${name} må fylles ut` }]);
  }
  return text;
}

/** Repeated id elements (blank ones skipped). */
function ids(request: XmlElement, name: string): string[] {
  return children(request, name)
    .map((e) => (child(e, 'id')?.text ?? e.text).trim())
    .filter((s) => s !== '');
}
