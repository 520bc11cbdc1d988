/**
 * Fiks integrations (REST v2/v3 callers): created with a one-time password, granted access to
 * sender accounts, password rotated. Used by the CLI and the admin web alike; the plain
 * password is returned once and stored only hashed (scrypt, as service passwords).
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Avsender, ConfigStore, Integrasjon } from '../../storage/ports.js';
import { isValidOrgnr } from '../../domain/validation/orgnr.js';
import { generateServicePassword, hashPassword } from '../passwords.js';

/** The account id of an avsender in REST v2/v3 paths (every stored avsender has one: see Avsender.kontoId). */
export function kontoIdOf(avsender: Avsender): string {
  if (avsender.kontoId === undefined) throw new Error(`Avsender '${avsender.navn}' mangler kontoId`);
  return avsender.kontoId;
}

async function existingAvsender(config: ConfigStore, navn: string): Promise<Avsender> {
  const avsender = await config.getAvsender(navn);
  if (avsender === undefined) throw new NotFoundError(`Avsender '${navn}'`);
  return avsender;
}

/** The organisation number, checked (mod 11), or ValidationError naming `orgnr`. */
function checkedOrgnr(orgnr: string): string {
  const value = orgnr.replace(/\s/g, ''); // "974 760 673" as written on letters
  if (!isValidOrgnr(value))
    throw new ValidationError([{ field: 'orgnr', message: `Ugyldig organisasjonsnummer: ${orgnr}` }]);
  return value;
}

/**
 * Creates an integration, granted `avsender`'s account when named and authorised for the
 * `organisasjoner` given (besides its avsendere's own); returns it with its one-time password.
 */
export async function createIntegrasjon(
  config: ConfigStore,
  args: { navn: string; avsender?: string; organisasjoner?: readonly string[]; now: number },
): Promise<{ integrasjon: Integrasjon; passord: string; kontoId?: string }> {
  const navn = args.navn.trim();
  if (!/^[\p{L}\p{N}._/ ()-]{2,100}$/u.test(navn)) {
    throw new ValidationError([
      {
        field: 'navn',
        message: 'Ugyldig navn på integrasjonen: 2–100 tegn, bokstaver, tall, mellomrom og . _ / ( ) -',
      },
    ]);
  }
  const organisasjoner = [...new Set((args.organisasjoner ?? []).map(checkedOrgnr))].sort();
  const avsender = args.avsender === undefined ? undefined : await existingAvsender(config, args.avsender);
  const passord = generateServicePassword();
  const integrasjon: Integrasjon = {
    id: randomUUID(),
    navn,
    passordHash: await hashPassword(passord),
    kontoer: avsender === undefined ? [] : [avsender.navn],
    ...(organisasjoner.length === 0 ? {} : { organisasjoner }),
    createdAt: args.now,
  };
  await config.createIntegrasjon(integrasjon);
  return { integrasjon, passord, ...(avsender === undefined ? {} : { kontoId: kontoIdOf(avsender) }) };
}

/**
 * Grants (or revokes) the integration access to the avsender's account; returns the
 * account's kontoId. Revoking an access it never had is refused, not reported as done: the
 * operator has most likely named the wrong account, and the one they meant is still open.
 */
export async function setTilgang(
  config: ConfigStore,
  args: { integrasjonId: string; avsender: string; tilgang: boolean },
): Promise<string> {
  const id = args.integrasjonId.trim().toLowerCase();
  const integrasjon = await config.getIntegrasjon(id);
  if (integrasjon === undefined) throw new NotFoundError(`Integrasjon '${args.integrasjonId}'`);
  const avsender = await existingAvsender(config, args.avsender);
  if (!args.tilgang && !integrasjon.kontoer.includes(avsender.navn)) {
    throw new ValidationError([
      {
        field: 'avsender',
        message: `Integrasjonen «${integrasjon.navn}» har ikke tilgang til avsender «${avsender.navn}»: ingenting å fjerne`,
      },
    ]);
  }
  await config.setIntegrasjonTilgang(id, avsender.navn, args.tilgang);
  return kontoIdOf(avsender);
}

/**
 * Authorises (or no longer authorises) an organisation to call with the integration: the
 * `consumer` of a Maskinporten token must be one of its authorised organisations or the
 * organisation of an avsender it acts for (fiks-auth.ts). Removing one it never had is
 * refused, as for grants.
 */
export async function setOrganisasjon(
  config: ConfigStore,
  args: { integrasjonId: string; orgnr: string; autorisert: boolean },
): Promise<Integrasjon> {
  const id = args.integrasjonId.trim().toLowerCase();
  const orgnr = checkedOrgnr(args.orgnr);
  const integrasjon = await config.getIntegrasjon(id);
  if (integrasjon === undefined) throw new NotFoundError(`Integrasjon '${args.integrasjonId}'`);
  if (!args.autorisert && !(integrasjon.organisasjoner ?? []).includes(orgnr)) {
    throw new ValidationError([
      {
        field: 'orgnr',
        message: `Organisasjon ${orgnr} er ikke autorisert for integrasjonen «${integrasjon.navn}»: ingenting å fjerne`,
      },
    ]);
  }
  await config.setIntegrasjonOrganisasjon(id, orgnr, args.autorisert);
  return (await config.getIntegrasjon(id)) ?? integrasjon;
}

/** Whether organisation `orgnr` may call with `integrasjon`: the explicit list first, the avsendere's stores only then. */
export async function mayCall(config: ConfigStore, integrasjon: Integrasjon, orgnr: string): Promise<boolean> {
  if ((integrasjon.organisasjoner ?? []).includes(orgnr)) return true;
  for (const navn of integrasjon.kontoer) if ((await config.getAvsender(navn))?.orgnr === orgnr) return true;
  return false;
}

/** The organisations that may call with `integrasjon`: those authorised for it and those of its avsendere. */
export async function authorisedOrganisations(config: ConfigStore, integrasjon: Integrasjon): Promise<Set<string>> {
  const orgnrs = new Set(integrasjon.organisasjoner ?? []);
  for (const navn of integrasjon.kontoer) {
    const orgnr = (await config.getAvsender(navn))?.orgnr;
    if (orgnr !== undefined) orgnrs.add(orgnr);
  }
  return orgnrs;
}

/**
 * Integrations no organisation may call with: every Maskinporten call with them is refused
 * (403). Those stored before the consumer check whose avsendere have no orgnr are among them.
 */
export async function uncallableIntegrasjoner(config: ConfigStore): Promise<Integrasjon[]> {
  const found: Integrasjon[] = [];
  for (const integrasjon of await config.listIntegrasjoner()) {
    if ((await authorisedOrganisations(config, integrasjon)).size === 0) found.push(integrasjon);
  }
  return found;
}

/** Gives the integration a new password; the old one stops working at once (every node: see FiksAuthenticator). */
export async function rotateIntegrasjonPassord(config: ConfigStore, integrasjonId: string): Promise<string> {
  const passord = generateServicePassword();
  await config.setIntegrasjonPassord(integrasjonId.trim().toLowerCase(), await hashPassword(passord));
  return passord;
}
