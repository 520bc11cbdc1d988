/**
 * The ForsendelsesService versions the SOAP door serves (docs/interfaces.md §6a): each one
 * a URL, a namespace, a WSDL and a small table of what differs — which operations it
 * declares, which wire model its `<forsendelse>` has, and how a status it does not know
 * is shown. The operations themselves are shared: the classic family (V4–V9, operations.ts)
 * and the camelCase family (V10–V11, camel-operations.ts), both translating onto the one
 * ForsendelseService, so a letter sent through any version is the same letter in all.
 */
import type { ForsendelseStatus } from '../../domain/model.js';
import { CAMEL_OPERATIONS, type CamelOperationName } from './camel-operations.js';
import { CLASSIC_OPERATIONS, V9_ALIASES, type ClassicOperationName, type OperationHandler } from './operations.js';

/** The wire model of a version's `<forsendelse>`. */
export type ForsendelseModel =
  /** V4–V6: abstract `mottaker` typed privatPerson/organisasjon, forsendelse-level `dokumentType`. */
  | 'mottaker'
  /** V8–V9: `adresse` with an abstract `digitalAdresse` and a `postAdresse`. */
  | 'adresse'
  /** V10: camelCase names, `ForsendelsesId`/`OrganisasjonsNummer` wrappers. */
  | 'camel'
  /** V11: V10 plus `eksponertFor`. */
  | 'camel-eksponert';

/** One served version. */
export interface ServiceVersion {
  /** `ForsendelsesServiceV9` etc.: the path segment, WSDL file name and service name. */
  readonly name: string;
  readonly namespace: string;
  readonly model: ForsendelseModel;
  /** Operations by the wire name of their Body element (aliases included). */
  readonly operations: Readonly<Record<string, OperationHandler>>;
  /** The status as this version's enumeration can carry it (docs/interfaces.md §7a). */
  readonly status: (status: ForsendelseStatus) => string;
  /** The document element that keeps a file off paper, if the version has one. */
  readonly printExclusion?: 'ekskluderesFraPrint' | 'ekskluderesFraUtskrift';
  /** How the version's advice names a digital-only letter, where it has no `kunDigitalLevering`. */
  readonly digitalOnly?: string;
}

/**
 * V4's enumeration has 9 of the 13 statuses; the four it lacks are shown as the nearest it
 * has: sent to a mailbox or waiting for a receiving system is "sent digitally, not read
 * yet"; a digital-only letter that could not be delivered is "not delivered" = AVVIST.
 */
const V4_STATUS: Readonly<Partial<Record<ForsendelseStatus, string>>> = {
  SENDT_SDP: 'SENDT_DIGITALT',
  LEVERT_SDP: 'SENDT_DIGITALT',
  KLAR_FOR_MOTTAK: 'SENDT_DIGITALT',
  IKKE_LEVERT: 'AVVIST',
};
const asIs = (status: ForsendelseStatus): string => status;

const V4_OPS: readonly ClassicOperationName[] = [
  'sendForsendelse',
  'retrieveForsendelseStatus',
  'retrieveForsendelseHistorikk',
  'setForsendelseLestAvEksterntSystem',
];
const V6_OPS: readonly ClassicOperationName[] = [
  ...V4_OPS,
  'sendForsendelseMedId',
  'startNyForsendelse',
  'retrieveForsendelseStatuser',
  'retrieveForsendelseIdByEksternRef',
];
const V8_OPS: readonly ClassicOperationName[] = [
  ...V6_OPS,
  'retreiveForsendelseTyper',
  'retrieveMottakerSystemForOrgnr',
];
const V9_OPS: readonly ClassicOperationName[] = [
  ...V8_OPS,
  'retrieveSigneringshistorikk',
  'retrieveSigneringshistorikkForFlereForsendelser',
];

function pick<N extends string>(
  all: Readonly<Record<N, OperationHandler>>,
  names: readonly N[],
): Record<string, OperationHandler> {
  return Object.fromEntries(names.map((n) => [n, all[n]]));
}

const KS = 'http://www.ks.no/svarut';

/** Every served version, oldest first. */
export const SERVICE_VERSIONS: readonly ServiceVersion[] = [
  {
    name: 'ForsendelsesServiceV4',
    namespace: `${KS}/services`,
    model: 'mottaker',
    operations: pick(CLASSIC_OPERATIONS, V4_OPS),
    status: (s) => V4_STATUS[s] ?? s,
  },
  {
    name: 'ForsendelsesServiceV6',
    namespace: `${KS}/servicesV6`,
    model: 'mottaker',
    operations: pick(CLASSIC_OPERATIONS, V6_OPS),
    status: asIs,
  },
  {
    name: 'ForsendelsesServiceV8',
    namespace: `${KS}/servicesV8`,
    model: 'adresse',
    operations: pick(CLASSIC_OPERATIONS, V8_OPS),
    status: asIs,
  },
  {
    name: 'ForsendelsesServiceV9',
    namespace: `${KS}/servicesV9`,
    model: 'adresse',
    operations: { ...pick(CLASSIC_OPERATIONS, V9_OPS), ...V9_ALIASES },
    status: asIs,
    printExclusion: 'ekskluderesFraPrint',
  },
  {
    name: 'ForsendelsesServiceV10',
    namespace: `${KS}/servicesV10`,
    model: 'camel',
    operations: pick(CAMEL_OPERATIONS, Object.keys(CAMEL_OPERATIONS) as CamelOperationName[]),
    status: asIs,
    printExclusion: 'ekskluderesFraUtskrift',
  },
  {
    name: 'ForsendelsesServiceV11',
    namespace: `${KS}/servicesV11`,
    model: 'camel-eksponert',
    operations: pick(CAMEL_OPERATIONS, Object.keys(CAMEL_OPERATIONS) as CamelOperationName[]),
    status: asIs,
    printExclusion: 'ekskluderesFraUtskrift',
    // V11's WSDL replaced kunDigitalLevering by leveringsmetode (found in a review).
    digitalOnly: 'leveringsmetode KUN_DIGITAL_UTEN_LEVERANSEGARANTI(_MASSEUTSENDELSE)',
  },
];

/** The served version whose namespace this is, if any. */
export function versionOfNamespace(uri: string): ServiceVersion | undefined {
  return SERVICE_VERSIONS.find((v) => v.namespace === uri);
}

/** The handler for a Body element sent to `version`'s URL; undefined when it declares no such operation. */
export function findOperation(version: ServiceVersion, uri: string, local: string): OperationHandler | undefined {
  if (uri !== version.namespace) return undefined;
  return Object.hasOwn(version.operations, local) ? version.operations[local] : undefined;
}
