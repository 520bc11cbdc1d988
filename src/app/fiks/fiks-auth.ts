/**
 * Who calls REST v2/v3, as Fiks decides it (docs/interfaces.md "REST v2 and v3"; KS's client
 * fiks-svarut-klient, IntegrasjonAuthenticationStrategy and FiksportenAuthenticationStrategy):
 *
 * - `Authorization: Bearer <Maskinporten token, scope ks:fiks>` + `IntegrasjonId` +
 *   `IntegrasjonPassord`: the token is checked against Maskinporten's keys, the password
 *   against the integration's hash, and the token's organisation (`consumer`) must be
 *   authorised for the integration (ks-no.github.io, fiks-plattform/integrasjoner);
 * - only `Authorization: Bearer <Fiksporten token>`: the token is checked against
 *   Fiksporten's keys (when configured) and its `client_id` names the integration.
 *
 * The integration then acts for the accounts it has been granted; an account it has no
 * grant for answers 403 whether the account exists or not.
 */
import { AuthenticationError, ForbiddenError, ValidationError } from '../../domain/errors.js';
import type { ConfigStore } from '../../storage/ports.js';
import { decodeJwt, type JWTPayload } from 'jose';
import { prepareUnknownUserHash, verifyPassword, verifyUnknownUser, VerifiedCredentialCache } from '../passwords.js';
import { mayCall } from './integrasjoner.js';
import { TokenError, type TokenVerifier } from './token-verifier.js';

/** The headers a Fiks call authenticates with. */
export interface FiksCredentials {
  readonly authorization?: string;
  readonly integrasjonId?: string;
  readonly integrasjonPassord?: string;
}

/** An authenticated integration. */
export interface FiksCaller {
  readonly integrasjonId: string;
  /** Names of the avsendere it may act for. */
  readonly kontoer: readonly string[];
}

/** What the authenticator is built from. */
export interface FiksAuthDeps {
  readonly config: ConfigStore;
  /** Maskinporten's keys and issuer; unset, no call authenticates with integration headers. */
  readonly maskinporten?: TokenVerifier;
  /** Fiksporten's keys and issuer; unset, a call without integration headers is refused. */
  readonly fiksporten?: TokenVerifier;
  readonly now: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A wrong or unknown integration (401); one message for both, so ids cannot be probed. */
export class IntegrasjonAuthError extends AuthenticationError {
  constructor(message = 'Ugyldig IntegrasjonId eller IntegrasjonPassord') {
    super(message);
  }
}

/** The organisation number of a Maskinporten token's `consumer` (ISO 6523, `0192:<orgnr>`), if it has one. */
function consumerOrgnr(claims: JWTPayload): string | undefined {
  const consumer = claims['consumer'];
  if (typeof consumer !== 'object' || consumer === null) return undefined;
  const id = (consumer as Record<string, unknown>)['ID'];
  return typeof id === 'string' ? /^0192:(\d{9})$/.exec(id)?.[1] : undefined;
}

/** Why a token's `consumer` names no organisation: absent, or not `0192:<orgnr>` (said apart for whoever debugs the client). */
function consumerProblem(claims: JWTPayload): string {
  const consumer = claims['consumer'];
  const id =
    typeof consumer === 'object' && consumer !== null ? (consumer as Record<string, unknown>)['ID'] : undefined;
  if (id === undefined) return 'Maskinporten-tokenet mangler consumer (organisasjonen som kaller)';
  const shown = typeof id === 'string' ? `«${id.slice(0, 40)}»` : 'ikke tekst';
  return `consumer.ID i Maskinporten-tokenet må være «0192:» og et organisasjonsnummer på 9 siffer (fikk ${shown})`;
}

/** The `iss` a token claims, read without checking it (only to choose the message); undefined when unreadable. */
function unverifiedIssuer(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/** Authenticates Fiks calls and checks their grants. */
export class FiksAuthenticator {
  private readonly verified = new VerifiedCredentialCache(60_000);

  constructor(private readonly deps: FiksAuthDeps) {
    void prepareUnknownUserHash();
  }

  /** The integration calling, or TokenError / IntegrasjonAuthError (401). */
  async authenticate(credentials: FiksCredentials): Promise<FiksCaller> {
    const authorization = credentials.authorization ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (token === undefined)
      throw new TokenError(
        /^Bearer\s/i.test(authorization)
          ? 'Ugyldig Authorization: skal være «Bearer» og ett token, uten mer etter det'
          : 'Mangler Authorization: Bearer <token> (Maskinporten, scope ks:fiks)',
      );
    const id = credentials.integrasjonId?.trim().toLowerCase();
    if (id === undefined || id === '') return this.fiksporten(token, credentials.integrasjonPassord);
    if (this.deps.maskinporten === undefined)
      throw new TokenError(
        'Maskinporten er ikke satt opp på denne tjenesten (MASKINPORTEN_JWKS og MASKINPORTEN_ISSUER)',
      );
    const claims = await this.deps.maskinporten.verify(token);
    const passord = credentials.integrasjonPassord;
    if (passord === undefined || passord === '') throw new IntegrasjonAuthError('Mangler IntegrasjonPassord');
    const integrasjon = UUID.test(id) ? await this.deps.config.getIntegrasjon(id) : undefined;
    if (integrasjon === undefined) {
      // As long as a wrong password takes, so the answer's time does not tell which ids exist.
      await verifyUnknownUser(passord);
      throw new IntegrasjonAuthError();
    }
    const now = this.deps.now();
    if (!this.verified.has(id, passord, integrasjon.passordHash, now)) {
      if (!(await verifyPassword(passord, integrasjon.passordHash))) throw new IntegrasjonAuthError();
      this.verified.add(id, passord, integrasjon.passordHash, now);
    }
    // The token only says which organisation calls; the integration says which may (KS:
    // "Org.nr i Jwt'en … må være konfigurert som autorisert organisasjon for integrasjonen").
    const consumer = consumerOrgnr(claims);
    if (consumer === undefined || !(await mayCall(this.deps.config, integrasjon, consumer))) {
      throw new ForbiddenError(
        consumer === undefined
          ? consumerProblem(claims)
          : `Organisasjon ${consumer} (consumer i Maskinporten-tokenet) er ikke autorisert for integrasjonen ${integrasjon.id}`,
      );
    }
    return { integrasjonId: integrasjon.id, kontoer: integrasjon.kontoer };
  }

  /** The Fiksporten strategy: the token alone, its client_id naming the integration. */
  private async fiksporten(token: string, passord: string | undefined): Promise<FiksCaller> {
    if (passord !== undefined && passord !== '') throw new IntegrasjonAuthError('Mangler IntegrasjonId');
    // A token of another issuer (most often Maskinporten's) sent without the integration's
    // headers: say what is missing, not that Fiksporten did not sign it (found in a review).
    const issuer = unverifiedIssuer(token);
    if (this.deps.fiksporten === undefined || (issuer !== undefined && issuer !== this.deps.fiksporten.issuer))
      throw new IntegrasjonAuthError(
        this.deps.fiksporten === undefined
          ? 'Mangler IntegrasjonId og IntegrasjonPassord'
          : 'Mangler IntegrasjonId og IntegrasjonPassord: bare et token fra Fiksporten brukes uten dem',
      );
    const claims = await this.deps.fiksporten.verify(token);
    const clientId = typeof claims['client_id'] === 'string' ? claims['client_id'].toLowerCase() : '';
    const integrasjon = UUID.test(clientId) ? await this.deps.config.getIntegrasjon(clientId) : undefined;
    if (integrasjon === undefined)
      throw new IntegrasjonAuthError('Ugyldig token: client_id er ikke en integrasjon i denne tjenesten');
    return { integrasjonId: integrasjon.id, kontoer: integrasjon.kontoer };
  }

  /** The avsender of account `kontoId` if the caller has a grant for it; 403 otherwise (unknown accounts alike). */
  async avsenderForKonto(caller: FiksCaller, kontoId: string): Promise<string> {
    const wanted = kontoId.trim().toLowerCase();
    // The OpenAPI files type it `format: uuid`: anything else is a malformed call, not a missing grant.
    if (!UUID.test(wanted)) {
      throw new ValidationError([
        { field: 'kontoId', message: `Ugyldig kontoId: kontoId må være en UUID (fikk «${kontoId.slice(0, 60)}»)` },
      ]);
    }
    for (const navn of caller.kontoer) {
      const avsender = await this.deps.config.getAvsender(navn);
      if (avsender?.kontoId === wanted) return avsender.navn;
    }
    throw new ForbiddenError(`Integrasjonen ${caller.integrasjonId} har ikke tilgang til konto ${kontoId}`);
  }
}
