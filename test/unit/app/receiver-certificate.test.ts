/**
 * A receiving system's certificate whose KeyUsage extension leaves out keyEncipherment is
 * refused at registration (RFC 5280 §4.2.1.3: letters are encrypted to it by RSA key
 * transport); one without the extension, or with keyEncipherment among its uses, is
 * accepted. Certificates made by OpenSSL, as receivers make theirs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { checkReceiverCertificate } from '../../../src/app/receiver-certificate.js';
import { ValidationError } from '../../../src/domain/errors.js';
import { OPENSSL } from '../../support/openssl.js';

/** A self-signed RSA-2048 certificate, with `-addext` values when given. */
function certificate(...extensions: string[]): string {
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-days', '5'];
  args.push('-subj', '/CN=Arkiv/O=Kommune', ...extensions.flatMap((e) => ['-addext', e]));
  return execFileSync(OPENSSL, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

/** The message a refused certificate gives (fails the test when it is accepted). */
function refusal(pem: string): string {
  try {
    checkReceiverCertificate(pem, Date.now());
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    assert.equal(error.problems.length, 1);
    assert.equal(error.problems[0]?.field, 'sertifikat');
    return error.problems[0]?.message ?? '';
  }
  assert.fail('the certificate was accepted');
}

const MISSING =
  'Ugyldig sertifikat: nøkkelbruken (KeyUsage) mangler keyEncipherment, som kryptering av brev til systemet krever';

describe('receiver certificate: KeyUsage', () => {
  it('refuses a KeyUsage without keyEncipherment; accepts one with it, and a certificate without KeyUsage', () => {
    assert.equal(refusal(certificate('keyUsage=critical,digitalSignature')), MISSING);
    // dataEncipherment is for encrypting data with the key itself, not for transporting a content key.
    assert.equal(refusal(certificate('keyUsage=keyAgreement,dataEncipherment')), MISSING);
    const none = certificate();
    assert.doesNotMatch(execFileSync(OPENSSL, ['x509', '-noout', '-text'], { input: none }).toString(), /Key Usage/);
    for (const pem of [none, certificate('keyUsage=critical,digitalSignature,keyEncipherment')]) {
      const { facts } = checkReceiverCertificate(pem, Date.now());
      assert.match(facts.subject, /CN=Arkiv/);
    }
  });
});
