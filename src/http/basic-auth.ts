/**
 * HTTP Basic for SOAP and REST v1 (docs/interfaces.md §2, checklist §15 point 10): preemptive
 * credentials are accepted; missing or wrong ones get 401 with a Basic challenge, since
 * WCF clients only send credentials after it.
 */
import { AuthenticationError } from '../domain/errors.js';

/** The realm in our challenge. */
export const BASIC_REALM = 'SvarUt';

/**
 * The credentials' text: UTF-8 (RFC 7617's charset, what current clients send), else
 * ISO-8859-1, which older Java and .NET clients send for a name such as «Ørland kommune».
 * Both are exact: lenient UTF-8 would decode invalid bytes to U+FFFD, so different
 * passwords would compare equal; ISO-8859-1 maps each byte to its own character.
 */
function credentialText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Decodes an `Authorization: Basic …` header; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = credentialText(Buffer.from(match[1], 'base64'));
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Resolves the avsender for a header, or throws AuthenticationError (answered 401 + challenge). */
export async function requireAvsender(
  header: string | undefined,
  authenticate: (user: string, password: string) => Promise<string | undefined>,
): Promise<string> {
  const credentials = parseBasicAuth(header);
  if (credentials === undefined) throw new AuthenticationError();
  const avsender = await authenticate(credentials.user, credentials.password);
  if (avsender === undefined) throw new AuthenticationError('Ugyldig brukernavn eller passord');
  return avsender;
}
