/**
 * Checks a bearer token as Fiks does (docs/interfaces.md "REST v2 and v3"): a JWT signed by a
 * key of the configured JWKS (a URL, fetched and kept through outages: jwks-url.ts, or a file,
 * followed as it changes: jwks-file.ts), from the configured issuer, not expired (with
 * CLOCK_LEEWAY_S for the clocks' difference), with scope `ks:fiks`, and for the configured
 * audience where one is set. Each problem is a Norwegian message saying which check failed;
 * keys that cannot be had are the issuer's problem, not the caller's (503).
 */
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { BudbringerError } from '../../domain/errors.js';
import { JwksFile, type JwksFileOptions } from './jwks-file.js';
import { JwksUrl, type JwksUrlOptions } from './jwks-url.js';

/** The scope every Fiks API call needs. */
export const FIKS_SCOPE = 'ks:fiks';

/** A token that fails a check: 401 in the Fiks error shape. */
export class TokenError extends BudbringerError {
  constructor(message: string) {
    super('UGYLDIG_TOKEN', message, 401);
  }
}

/** The issuer's keys could not be read or fetched (503). */
export class KeysUnavailableError extends BudbringerError {
  constructor(issuer: TokenIssuer, cause: unknown) {
    super(
      'TOKENNOKLER_UTILGJENGELIGE',
      `Tokenet kan ikke kontrolleres nå: nøklene til ${issuer.navn} kunne ikke hentes. Prøv igjen senere.`,
      503,
    );
    this.cause = cause;
  }
}

/** Where a token issuer's keys are and who it is. */
export interface TokenIssuer {
  /** `https://…` (a JWKS endpoint) or a file path holding a JWKS. */
  readonly jwks: string;
  readonly issuer: string;
  /** What the issuer is called in messages, e.g. "Maskinporten". */
  readonly navn: string;
  /**
   * The audience (`aud`) a token must name, when this installation asks its clients to
   * request tokens for it (Maskinporten's `resource`); unset, `aud` is not looked at, as
   * KS's clients request tokens without one.
   */
  readonly audience?: string;
}

/** Verifies tokens of one issuer. */
export interface TokenVerifier {
  /** The issuer (`iss`) its tokens must name. */
  readonly issuer: string;
  /** The token's claims, or TokenError naming what is wrong. */
  verify(token: string): Promise<JWTPayload>;
}

type KeySet = Parameters<typeof jwtVerify>[1];

/**
 * How far this node's clock may differ from the issuer's and its clients', in seconds: a
 * token's `iat` and `nbf` may lie this far ahead, and its `exp` this far behind. KS's clients
 * reuse a token until about 10 s before `exp` by their own clock, so a node whose clock runs
 * ahead would refuse the last seconds of every token without it. 60 s is **inferred**: Spring
 * Security's default clock skew for JWTs, which KS's services (Spring) presumably keep.
 */
export const CLOCK_LEEWAY_S = 60;

/**
 * A verifier for `issuer`; the key set is loaded on first use. A file is looked at again when
 * it may have changed, a URL fetched again when its keys are old (`options`); both are looked
 * at again at once when a token names a key they lack.
 */
export function tokenVerifier(issuer: TokenIssuer, options: JwksFileOptions & JwksUrlOptions = {}): TokenVerifier {
  const source = /^https?:\/\//i.test(issuer.jwks)
    ? new JwksUrl(new URL(issuer.jwks), options)
    : new JwksFile(issuer.jwks, options);
  const keys = async (get: () => Promise<KeySet>): Promise<KeySet> => {
    try {
      return await get();
    } catch (error) {
      throw new KeysUnavailableError(issuer, error);
    }
  };
  const check = async (token: string, keySet: KeySet): Promise<JWTPayload> =>
    (
      await jwtVerify(token, keySet, {
        issuer: issuer.issuer,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_LEEWAY_S,
        ...(issuer.audience === undefined ? {} : { audience: issuer.audience }),
      })
    ).payload;
  return {
    issuer: issuer.issuer,
    async verify(token) {
      let payload: JWTPayload;
      try {
        try {
          payload = await check(token, await keys(() => source.keys()));
        } catch (error) {
          // A key added since the keys were read: look again at once. What cannot be had
          // now is 503; the keys known are kept.
          if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
          payload = await check(token, await keys(() => source.reload()));
        }
      } catch (error) {
        if (error instanceof KeysUnavailableError) throw error;
        if (!(error instanceof errors.JOSEError)) throw new KeysUnavailableError(issuer, error);
        throw new TokenError(problemOf(error, issuer));
      }
      // jose checks `iat` only against a maximum age, which Maskinporten's configurable token
      // lifetimes leave open; a token issued in the future is refused here.
      if (typeof payload.iat === 'number' && payload.iat * 1000 > Date.now() + CLOCK_LEEWAY_S * 1000) {
        throw new TokenError('Ugyldig token: tokenet er utstedt fram i tid (iat)');
      }
      const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
      if (!scopes.includes(FIKS_SCOPE)) {
        throw new TokenError(
          `Ugyldig token: tokenet har ikke scope ${FIKS_SCOPE} (har: ${scopes.join(' ') || 'ingen'})`,
        );
      }
      return payload;
    },
  };
}

/** The Norwegian message for a failed check. */
function problemOf(error: unknown, issuer: TokenIssuer): string {
  if (error instanceof errors.JWTExpired) return 'Ugyldig token: tokenet er utløpt';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return `Ugyldig token: utstederen (iss) er ikke ${issuer.issuer}`;
    if (error.claim === 'exp') return 'Ugyldig token: tokenet mangler utløpstid (exp)';
    if (error.claim === 'nbf') return 'Ugyldig token: tokenet er ikke gyldig ennå (nbf)';
    if (error.claim === 'aud')
      return `Ugyldig token: tokenet er ikke utstedt for ${issuer.audience ?? 'denne tjenesten'} (aud)`;
    return `Ugyldig token: kravet ${error.claim} er ugyldig`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return `Ugyldig token: signaturen er ikke laget med en nøkkel fra ${issuer.navn}`;
  if (error instanceof errors.JOSENotSupported || error instanceof errors.JOSEAlgNotAllowed)
    return 'Ugyldig token: tokenet er signert med en algoritme nøklene ikke tillater (eller ikke signert)';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'Ugyldig token: tokenet er ikke en gyldig JWT';
  if (error instanceof errors.JOSEError) return `Ugyldig token: tokenet kunne ikke kontrolleres (${error.code})`;
  return 'Ugyldig token';
}
