/** Certificates and key pairs as the CMS code takes them (PEM). */
import * as pkijs from 'pkijs';

/** A private key and its certificate, as held by whoever decrypts. */
export interface EnvelopeKey {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Parses the first certificate in a PEM text. */
export function parseCertificatePem(certificatePem: string): pkijs.Certificate {
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(certificatePem);
  if (match?.[1] === undefined) throw new Error('no PEM certificate found');
  const der = Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
  return pkijs.Certificate.fromBER(new Uint8Array(der));
}
