/**
 * Creating avsendere and users, and rotating service passwords: used by the CLI and the
 * admin web alike. The plain service password is returned once and stored only hashed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
// The file itself, not the channel's index: that would load nodemailer into every CLI command.
import { DEFAULT_VARSLING } from '../channels/notify/render-varsel.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { isValidOrgnr } from '../domain/validation/index.js';
import { quote } from '../domain/validation/problem.js';
import type { AdminUser, Avsender, ConfigStore } from '../storage/ports.js';
import { DEAKTIVERT_PREFIX, isDeaktivert } from './admin/access.js';
import { generateServicePassword, hasNulByte, hashPassword } from './passwords.js';

/** Default cover text for a new avsender (editable in the admin web). */
export const DEFAULT_FORSIDE_TEKST = 'Dette brevet er sendt deg fra en offentlig virksomhet gjennom Budbringer.';

/** Creates an avsender; returns it with its one-time service password. */
export async function createAvsender(
  config: ConfigStore,
  args: { navn: string; orgnr?: string; now: number },
): Promise<{ avsender: Avsender; servicePassword: string }> {
  const navn = args.navn.trim();
  if (!/^[\p{L}\p{N}._ -]{2,100}$/u.test(navn)) {
    throw new ValidationError([
      { field: 'navn', message: 'Ugyldig navn: 2–100 tegn, bokstaver, tall, punktum, bindestrek, mellomrom' },
    ]);
  }
  if (args.orgnr !== undefined && !isValidOrgnr(args.orgnr)) {
    throw new ValidationError([
      { field: 'orgnr', message: 'Ugyldig organisasjonsnummer: orgnr må være 9 siffer med gyldig kontrollsiffer' },
    ]);
  }
  if ((await config.getAvsender(navn)) !== undefined) throw new ConflictError(`Avsender '${navn}' finnes allerede`);
  const servicePassword = generateServicePassword();
  const avsender: Avsender = {
    navn,
    kontoId: randomUUID(),
    orgnr: args.orgnr,
    passordHash: await hashPassword(servicePassword),
    forside: { navn, adresselinjer: [], postnr: '', poststed: '', tekst: DEFAULT_FORSIDE_TEKST },
    varsling: { ...DEFAULT_VARSLING },
    print: { leverandor: 'filedrop' },
    createdAt: args.now,
  };
  await config.createAvsender(avsender);
  return { avsender, servicePassword };
}

/** Gives an avsender a new service password; the old one stops working at once. */
export async function rotateServicePassword(config: ConfigStore, navn: string): Promise<string> {
  const avsender = await config.getAvsender(navn);
  if (avsender === undefined) throw new NotFoundError(`Avsender '${navn}'`);
  const servicePassword = generateServicePassword();
  await config.updateAvsender({ ...avsender, passordHash: await hashPassword(servicePassword) });
  return servicePassword;
}

/** Creates or replaces an admin web user. */
export async function putUser(
  config: ConfigStore,
  args: {
    brukernavn: string;
    passord: string;
    rolle: AdminUser['rolle'];
    avsender?: string;
    orgnr?: string;
    now: number;
  },
): Promise<AdminUser> {
  const problems = [];
  if (!/^[A-Za-z0-9._@-]{2,64}$/.test(args.brukernavn))
    problems.push({ field: 'username', message: 'Ugyldig brukernavn: 2–64 tegn (bokstaver, tall, . _ @ -)' });
  if (args.passord.length < 10) problems.push({ field: 'password', message: 'For kort passord: minst 10 tegn' });
  if (hasNulByte(args.passord))
    problems.push({ field: 'password', message: 'Ugyldig passord: NUL-tegn er ikke tillatt' });
  if (args.rolle === 'sender-only' && args.avsender === undefined)
    problems.push({ field: 'sender', message: 'Rollen sender-only krever --sender' });
  // An admin sees every avsender: a sender or orgnr stored with it would mean nothing (found in review).
  if (args.rolle === 'admin' && (args.avsender !== undefined || args.orgnr !== undefined))
    problems.push({
      field: 'role',
      message:
        'Rollen admin gjelder alle avsendere: oppgi verken --sender eller --orgnr (bruk local-admin for én organisasjon)',
    });
  if (args.orgnr !== undefined && !isValidOrgnr(args.orgnr))
    problems.push({
      field: 'orgnr',
      message: `Ugyldig organisasjonsnummer: ${quote(args.orgnr)} (9 siffer med gyldig kontrollsiffer)`,
    });
  if (problems.length > 0) throw new ValidationError(problems);
  // Names are looked up exactly; one that differs from another user's only in case ("ADMIN"
  // beside "admin") would show as that user in the audit log and the access lists (found in a review).
  if ((await config.getUser(args.brukernavn)) === undefined) {
    const folded = args.brukernavn.toLowerCase();
    const twin = (await config.listUsers()).find((u) => u.brukernavn.toLowerCase() === folded);
    if (twin !== undefined)
      throw new ValidationError([
        {
          field: 'username',
          message: `Ugyldig brukernavn: «${args.brukernavn}» skiller seg bare i store og små bokstaver fra brukeren «${twin.brukernavn}», som finnes`,
        },
      ]);
  }
  let orgnr = args.orgnr;
  if (args.avsender !== undefined) {
    const avsender = await config.getAvsender(args.avsender);
    if (avsender === undefined) throw new NotFoundError(`Avsender '${args.avsender}'`);
    orgnr ??= avsender.orgnr;
  }
  if (args.rolle === 'local-admin' && orgnr === undefined) {
    throw new ValidationError([
      {
        field: 'sender',
        message: 'Rollen local-admin krever --sender (eller --orgnr) for organisasjonen den forvalter',
      },
    ]);
  }
  const user: AdminUser = {
    brukernavn: args.brukernavn,
    passordHash: await hashPassword(args.passord),
    rolle: args.rolle,
    avsender: args.avsender,
    orgnr,
    createdAt: args.now,
  };
  await config.putUser(user);
  return user;
}

/**
 * Ends every admin-web session of the user, on every node: a new session key changes the
 * fingerprint their cookies carry (src/http/admin/session.ts). Concurrent calls all end
 * the old sessions, whichever key is written last.
 */
export async function endSessions(config: ConfigStore, brukernavn: string): Promise<void> {
  const user = await config.getUser(brukernavn);
  if (user === undefined) return;
  await config.putUser({ ...user, sesjonsnokkel: randomBytes(18).toString('base64url') });
}

/**
 * Deactivates an admin user (CLI `user deactivate`, the admin web's Deaktiver): its password
 * hash is replaced by one no password matches, which also ends its sessions; the user stays
 * listed. False when it was deactivated already; NotFoundError when there is no such user.
 */
export async function deactivateUserAccount(config: ConfigStore, brukernavn: string): Promise<boolean> {
  const user = await config.getUser(brukernavn);
  if (user === undefined) throw new NotFoundError(`Brukeren «${brukernavn}»`);
  if (isDeaktivert(user)) return false;
  await config.putUser({ ...user, passordHash: `${DEAKTIVERT_PREFIX}${randomBytes(16).toString('base64url')}` });
  return true;
}
