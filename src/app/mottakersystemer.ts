/**
 * The receiving systems (mottakersystemer, SvarInn, docs/interfaces.md §11): registering one
 * (filters, certificate, contact), replacing its certificate or service password, the
 * lookups senders make (SOAP retrieveMottakerSystemForOrgnr, REST v1 /mottakersystem), the
 * choice of a system for a letter, and the check of its SvarInn credentials. Used by the
 * CLI, the admin web, routing and the SvarInn door alike.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { ForsendelseInput } from '../domain/model.js';
import { chooseMottakersystem } from '../domain/mottakersystem-match.js';
import { isValidOrgnr } from '../domain/validation/index.js';
import type { Mottakersystem, MottakersystemRegister } from '../storage/ports.js';
import type { MottakerSystemView } from './forsendelse-service.js';
import {
  generateServicePassword,
  hashPassword,
  verifyPassword,
  verifyUnknownUser,
  VerifiedCredentialCache,
} from './passwords.js';
import { checkReceiverCertificate } from './receiver-certificate.js';

/** What registering a system takes. */
export interface NyttMottakersystem {
  readonly navn: string;
  readonly orgnr: string;
  /** PEM text of the system's certificate. */
  readonly sertifikat: string;
  readonly forsendelseType?: string;
  readonly niva?: 3 | 4;
  readonly epost?: string;
}

/** The forsendelseType pattern of KS's clients (docs/interfaces.md §9, REST v1 /mottakersystem). */
const FORSENDELSE_TYPE = /^[a-zA-ZæøåÆØÅ0-9]+(\.[a-zA-ZæøåÆØÅ0-9]+)*$/;
const EPOST = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The receiving systems' application service. */
export class MottakersystemService {
  private readonly credentials = new VerifiedCredentialCache(5 * 60_000);

  constructor(private readonly deps: { readonly register: MottakersystemRegister; readonly now: () => number }) {}

  /** Registers a system; returns it with its one-time service password (its id is the SvarInn user name). */
  async create(args: NyttMottakersystem): Promise<{ system: Mottakersystem; servicePassword: string }> {
    const problems: FieldProblem[] = [];
    const { navn, forsendelseType, niva, epost } = checkedDetails(args, problems, args.orgnr);
    let pem: string | undefined;
    try {
      pem = checkReceiverCertificate(args.sertifikat, this.deps.now()).pem;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.problems);
    }
    if (problems.length > 0 || pem === undefined) throw new ValidationError(problems);
    const servicePassword = generateServicePassword();
    const system: Mottakersystem = {
      id: randomUUID(),
      navn,
      orgnr: args.orgnr,
      ...(forsendelseType === undefined ? {} : { forsendelseType }),
      ...(niva === undefined ? {} : { niva }),
      passordHash: await hashPassword(servicePassword),
      sertifikat: pem,
      ...(epost === undefined ? {} : { epost }),
      createdAt: this.deps.now(),
    };
    await this.deps.register.create(system);
    return { system, servicePassword };
  }

  /** Every system, by orgnr and name. */
  async list(): Promise<Mottakersystem[]> {
    return this.deps.register.list();
  }

  /** The system of that id; NotFoundError when absent. */
  async get(given: string): Promise<Mottakersystem> {
    const id = given.trim().toLowerCase();
    const system = UUID.test(id) ? await this.deps.register.get(id) : undefined;
    if (system === undefined) throw new NotFoundError('Mottakersystem');
    return system;
  }

  /**
   * Changes the name, the filters (forsendelseType, level) and the contact, checked as at
   * registration; letters routed from now on follow the new filters (those waiting in
   * SvarInn stay with the system).
   */
  async updateDetails(id: string, args: MottakersystemOpplysninger): Promise<Mottakersystem> {
    const system = await this.get(id);
    const problems: FieldProblem[] = [];
    const { navn, forsendelseType, niva, epost } = checkedDetails(args, problems);
    if (problems.length > 0) throw new ValidationError(problems);
    // Only these fields: a password or certificate changed meanwhile stays (found in review).
    return this.deps.register.update(system.id, {
      navn,
      forsendelseType: forsendelseType ?? null,
      niva: niva ?? null,
      epost: epost ?? null,
    });
  }

  /** Replaces the certificate (checked as at registration); letters fetched from now on are encrypted to it. */
  async replaceCertificate(id: string, sertifikat: string): Promise<Mottakersystem> {
    const system = await this.get(id);
    const { pem } = checkReceiverCertificate(sertifikat, this.deps.now());
    return this.deps.register.update(system.id, { sertifikat: pem });
  }

  /** Gives the system a new service password; the old one stops working at once. */
  async rotatePassword(id: string): Promise<string> {
    const system = await this.get(id);
    const servicePassword = generateServicePassword();
    await this.deps.register.update(system.id, { passordHash: await hashPassword(servicePassword) });
    return servicePassword;
  }

  /** The system whose SvarInn credentials these are, or undefined. Constant-time compare. */
  async authenticate(given: string, passord: string): Promise<Mottakersystem | undefined> {
    // A UUID in any case (RFC 4122), as the letter ids on the same door.
    const id = given.trim().toLowerCase();
    const system = UUID.test(id) ? await this.deps.register.get(id) : undefined;
    // As long as a wrong password takes, so the answer's time does not tell which ids exist
    // (found in review: 2 ms against 42 ms), as on the sender doors.
    if (system === undefined) return verifyUnknownUser(passord).then(() => undefined);
    const now = this.deps.now();
    if (this.credentials.has(id, passord, system.passordHash, now)) return system;
    if (!(await verifyPassword(passord, system.passordHash))) return undefined;
    this.credentials.add(id, passord, system.passordHash, now);
    return system;
  }

  /** The system that takes this letter, if any (routing). */
  async forLetter(
    input: Pick<ForsendelseInput, 'mottaker' | 'forsendelseType' | 'krevNiva4Innlogging'>,
  ): Promise<Mottakersystem | undefined> {
    const digital = input.mottaker?.digitalAdresse;
    if (digital?.type !== 'organisasjon') return undefined;
    return chooseMottakersystem(await this.deps.register.listForOrgnr(digital.orgnr), input);
  }

  /**
   * The lookup senders make: one entry per system and level (a system for both levels is
   * listed at 3 and at 4, as the wire's `niva` is one number); a system without a type
   * matches every type asked for.
   */
  async views(filter: { orgnr?: string; forsendelseType?: string; niva?: number }): Promise<MottakerSystemView[]> {
    const systems =
      filter.orgnr === undefined
        ? await this.deps.register.list()
        : await this.deps.register.listForOrgnr(filter.orgnr);
    return systems.flatMap((m) =>
      (m.niva === undefined ? [3, 4] : [m.niva])
        .filter((niva) => filter.niva === undefined || niva === filter.niva)
        .filter(
          () =>
            filter.forsendelseType === undefined ||
            m.forsendelseType === undefined ||
            m.forsendelseType === filter.forsendelseType,
        )
        .map((niva) => ({
          orgnr: m.orgnr,
          ...(m.forsendelseType === undefined ? {} : { forsendelseType: m.forsendelseType }),
          mottakersystem: m.navn,
          mottakerId: m.id,
          niva,
        })),
    );
  }
}

/** The details of a system that can be changed after registration. */
export type MottakersystemOpplysninger = Pick<NyttMottakersystem, 'navn' | 'forsendelseType' | 'niva' | 'epost'>;

/**
 * The details trimmed and checked (and the orgnr, at registration); each problem is added to
 * `problems`, naming its field, in the form's order.
 */
function checkedDetails(args: MottakersystemOpplysninger, problems: FieldProblem[], orgnr?: string) {
  const navn = args.navn.trim();
  if (!/^[\p{L}\p{N}._/() -]{2,100}$/u.test(navn)) {
    problems.push({
      field: 'navn',
      message: 'Ugyldig navn: 2–100 tegn, bokstaver, tall, mellomrom og . _ / ( ) -',
    });
  }
  if (orgnr !== undefined && !isValidOrgnr(orgnr)) {
    problems.push({
      field: 'orgnr',
      message: 'Ugyldig organisasjonsnummer: orgnr må være 9 siffer med gyldig kontrollsiffer',
    });
  }
  const forsendelseType = blankToUndefined(args.forsendelseType);
  if (forsendelseType !== undefined && (forsendelseType.length > 100 || !FORSENDELSE_TYPE.test(forsendelseType))) {
    problems.push({
      field: 'forsendelseType',
      message: 'Ugyldig forsendelsestype: bokstaver og tall, eventuelt delt med punktum (f.eks. «ks.byggesøknad»)',
    });
  }
  if (args.niva !== undefined && args.niva !== 3 && args.niva !== 4) {
    problems.push({ field: 'niva', message: 'Ugyldig nivå: må være 3 eller 4 (eller utelatt for begge)' });
  }
  const epost = blankToUndefined(args.epost);
  if (epost !== undefined && (epost.length > 254 || !EPOST.test(epost))) {
    problems.push({ field: 'epost', message: `Ugyldig e-postadresse: '${epost}'` });
  }
  return { navn, forsendelseType, niva: args.niva, epost };
}

/** The trimmed text, or undefined when absent or blank. */
function blankToUndefined(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t === undefined || t === '' ? undefined : t;
}
