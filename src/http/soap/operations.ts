/**
 * The classic operations of ForsendelsesService V4–V9 (docs/interfaces.md §4, §6a): the 12 of the
 * V9 portType, each translated to one or a few ForsendelseService calls; each version serves
 * the subset its WSDL declares (service-versions.ts), in its own namespace and model. V9 also
 * answers the names real clients send instead (docs/interfaces.md §15 point 5, §16): the typo-free
 * `retrieveForsendelseTyper` and the V10 names the Node client 7.0.0 puts in the V9 namespace.
 * KS's own V9 faults on those; we answer them.
 */
import type { ForsendelseService, SigneringsLoggEntry } from '../../app/forsendelse-service.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { formatIsoWithOffset, formatOsloTimestamp } from '../../domain/time/index.js';
import { Binder, checked, quote } from './binder.js';
import { bindForsendelse, type BoundForsendelse } from './forsendelse-binding.js';
import type { StoredUpload } from '../store-upload.js';
import type { XmlField, XmlValue } from './response-writer.js';
import type { ServiceVersion } from './service-versions.js';
import { child, children, type XmlElement } from './xml-element.js';

/** What an operation is given. */
export interface OperationCall {
  readonly avsender: string;
  readonly service: ForsendelseService;
  /** The version whose URL and namespace the request came in. */
  readonly version: ServiceVersion;
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
 * <forsendelse>; without either it is refused (medIdRequired).
 */
async function sendBound(call: OperationCall, medId: boolean): Promise<XmlValue[]> {
  const bound = bindForsendelse(child(call.request, 'forsendelse'), call.version);
  const outer = medId ? checked((b) => b.token(call.request, 'forsendelsesid')) : undefined;
  const id = medId ? medIdRequired(outer ?? bound.innerId, 'forsendelsesid') : undefined;
  // Two different ids: which one the client will retry under cannot be told, and a retry under
  // the other would send the letter twice (found in review: the inner one was dropped).
  if (outer !== undefined && bound.innerId !== undefined && outer.toLowerCase() !== bound.innerId.toLowerCase()) {
    throw new ValidationError([
      {
        field: 'forsendelse.forsendelsesid',
        message: `Ugyldig forsendelses-id: forsendelsesid (${quote(outer)}) og forsendelse.forsendelsesid (${quote(bound.innerId)}) er ulike; send én av dem`,
      },
    ]);
  }
  return [await sendBoundForsendelse(call, bound, id)];
}

/**
 * The id of a `sendForsendelseMedId`, which must be there: sent without one (an empty
 * element, or an id a client library dropped), the letter would get a fresh id, and the
 * client's retry under the id it meant would send it twice.
 */
export function medIdRequired(id: string | undefined, field: string): string {
  if (id === undefined || id.trim() === '') {
    throw new ValidationError([
      {
        field,
        message: `Mangler forsendelses-id: sendForsendelseMedId må ha ${field} (en UUID, f.eks. fra startNyForsendelse); uten id brukes sendForsendelse`,
      },
    ]);
  }
  return id;
}

/** Sends a bound forsendelse with its documents (under `id` when given); resolves with the id. */
export async function sendBoundForsendelse(
  { avsender, service, documents }: OperationCall,
  bound: Pick<BoundForsendelse, 'input' | 'dataSlots' | 'kreverDigitalMottaker'>,
  id: string | undefined,
): Promise<string> {
  const docs = await documents(bound.dataSlots);
  const options = {
    documentBytes: docs.map((d) => d.bytes),
    ...(id === undefined ? {} : { id }),
    ...(bound.kreverDigitalMottaker === true ? { kreverDigitalMottaker: true } : {}),
  };
  return service.send(
    avsender,
    bound.input,
    docs.map((d) => d.blob),
    options,
  );
}

const send: OperationHandler = (call) => sendBound(call, false);
const sendMedId: OperationHandler = (call) => sendBound(call, true);

const startNy: OperationHandler = async ({ service }) => [service.newId()];

const status: OperationHandler = async ({ avsender, service, request, version }) => [
  version.status((await service.status(avsender, requiredId(request, 'forsendelsesid'))).status),
];

const statuser: OperationHandler = async ({ avsender, service, request, version }) =>
  (await service.statuses(avsender, ids(request, 'forsendelseider'))).map((s) => [
    ['forsendelseStatus', version.status(s.status)],
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
  const ref = checked((b) => b.str(request, 'eksternRef') ?? b.str(request, 'eksternref'));
  return ref === undefined ? [] : service.idsByEksternref(avsender, ref);
};

const settLest: OperationHandler = async ({ avsender, service, request }) => {
  const b = new Binder();
  const id = requiredId(request, 'forsendelsesid');
  const at = b.dateTime(request, 'datoLest', 'datoLest');
  const fnr = b.token(request, 'lestAvFodselsnummer') ?? '';
  const systemnavn = b.str(request, 'navnPaEksterntSystem') ?? '';
  b.check();
  await service.markerLestEksternt(avsender, id, { fnr, systemnavn, ...(at === undefined ? {} : { at }) });
  return [];
};

const typer: OperationHandler = async ({ service }) => service.forsendelseTyper();

const mottakerSystem: OperationHandler = async ({ service, request }) => {
  const orgnr = checked((b) => b.token(request, 'organisasjonsnr'));
  if (orgnr === undefined) return [];
  return (await service.mottakersystemer({ orgnr })).map((m) => [
    ['forsendelseType', m.forsendelseType],
    ['mottakerid', m.mottakerId],
    ['mottakersystem', m.mottakersystem],
    ['niva', m.niva],
    ['orgnr', m.orgnr],
  ]);
};

/** A V4–V9 `signeringshistorikk`: the id and its log lines. */
function signeringshistorikkXml(id: string, logg: readonly SigneringsLoggEntry[]): XmlValue {
  return [['forsendelseid', id], ...logg.map((l): XmlField => ['logg', signeringsLoggXml(l)])];
}

/** One `logg` line, in the XSD's order (tidspunkt, type, hendelse) which V10/V11 keep. */
export function signeringsLoggXml(l: SigneringsLoggEntry): XmlField[] {
  return [
    ['tidspunkt', l.tidspunkt],
    ['type', l.type],
    ['hendelse', l.hendelse],
  ];
}

const signeringshistorikk: OperationHandler = async ({ avsender, service, request }) => {
  const id = requiredId(request, 'forsendelseid');
  return [signeringshistorikkXml(id, await service.signeringshistorikk(avsender, id))];
};

const signeringshistorikkFlere: OperationHandler = async (call) =>
  (await visibleSigneringshistorikk(call, ids(call.request, 'forsendelseider'))).map(([id, logg]) =>
    signeringshistorikkXml(id, logg),
  );

/**
 * The signing logs of at most 10 ids (more is refused, naming the field); like
 * retrieveForsendelseStatuser, ids the avsender cannot see are left out.
 */
export async function visibleSigneringshistorikk(
  { avsender, service }: OperationCall,
  wanted: readonly string[],
  field = 'forsendelseider',
): Promise<[string, SigneringsLoggEntry[]][]> {
  if (wanted.length > MAX_SIGNERING_IDS) {
    throw new ValidationError([
      {
        field,
        message: `For mange id-er: ${field} kan ha høyst ${MAX_SIGNERING_IDS} id-er per kall (fikk ${wanted.length})`,
      },
    ]);
  }
  const out: [string, SigneringsLoggEntry[]][] = [];
  for (const id of wanted) {
    try {
      out.push([id, await service.signeringshistorikk(avsender, id)]);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  return out;
}

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

/** The classic operations by wire name (note the contract's own typo `retreive`). */
export const CLASSIC_OPERATIONS = {
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
} as const satisfies Readonly<Record<string, OperationHandler>>;

/** A classic operation's wire name. */
export type ClassicOperationName = keyof typeof CLASSIC_OPERATIONS;

/** Names real clients send in the V9 namespace (docs/interfaces.md §16), mapped to their V9 operation. */
export const V9_ALIASES: Readonly<Record<string, OperationHandler>> = {
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
export const V9_OPERATION_NAMES: readonly string[] = Object.keys(CLASSIC_OPERATIONS);

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
