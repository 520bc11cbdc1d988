/**
 * A receiving system's certificate whose KeyUsage extension leaves out keyEncipherment is
 * refused at registration (RFC 5280 §4.2.1.3: letters are encrypted to it by RSA key
 * transport); one without the extension, or with keyEncipherment among its uses, is
 * accepted. Certificates made by OpenSSL, as receivers make theirs. Its RSA key must be one
 * letters can be encrypted to: an odd public exponent of at least 3, at most 16 384 bits.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, it } from 'node:test';
import { certificateText, checkReceiverCertificate } from '../../../src/app/receiver-certificate.js';
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

/** `n` as big-endian bytes with a leading zero byte (a positive DER INTEGER), in a buffer of its own. */
function bigEndian(n: bigint): Uint8Array {
  const hex = n.toString(16);
  return new Uint8Array(Buffer.from(`00${hex.length % 2 === 0 ? '' : '0'}${hex}`, 'hex'));
}

/**
 * A certificate for an RSA key given by its modulus and exponent, which no key generator
 * makes (e = 1, an even e, a modulus above what OpenSSL encrypts to), signed by another key.
 */
async function certificateForRsaKey(modulusBits: number, exponent: number | bigint): Promise<string> {
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  const engine = new pkijs.CryptoEngine({
    name: 'node',
    crypto: webcrypto as unknown as Crypto,
  }) as unknown as pkijs.ICryptoEngine;
  const signer = (await subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
    true,
    ['sign', 'verify'],
  )) as webcrypto.CryptoKeyPair;
  const modulus = randomBytes(modulusBits / 8);
  modulus[0] = (modulus[0] ?? 0) | 0x80;
  modulus[modulus.length - 1] = (modulus[modulus.length - 1] ?? 0) | 1;
  const key = new pkijs.RSAPublicKey({
    modulus: new asn1js.Integer({ valueHex: Buffer.concat([Buffer.alloc(1), modulus]) }),
    publicExponent:
      typeof exponent === 'number'
        ? new asn1js.Integer({ value: exponent })
        : new asn1js.Integer({ valueHex: bigEndian(exponent) }),
  });
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: 7 });
  const name = new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: 'Arkiv' }) });
  cert.subject.typesAndValues.push(name);
  cert.issuer.typesAndValues.push(name);
  cert.notBefore.value = new Date(Date.now() - 60_000);
  cert.notAfter.value = new Date(Date.now() + 86_400_000);
  cert.subjectPublicKeyInfo = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: '1.2.840.113549.1.1.1',
      algorithmParams: new asn1js.Null(),
    }),
    subjectPublicKey: new asn1js.BitString({ valueHex: key.toSchema().toBER(false) }),
  });
  await cert.sign(signer.privateKey, 'SHA-256', engine);
  const base64 = Buffer.from(cert.toSchema(true).toBER(false)).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

describe('receiver certificate: the RSA key itself', () => {
  it('refuses e = 1 (encryption that hides nothing) and an even e; takes e = 3 and 65537', async () => {
    for (const e of [1, 2, 65_536]) {
      assert.match(
        refusal(await certificateForRsaKey(2048, e)),
        new RegExp(`^Ugyldig sertifikat: RSA-nøkkelens offentlige eksponent \\(${e}\\) er ikke trygg`),
      );
    }
    for (const e of [3, 65_537]) assert.ok(checkReceiverCertificate(await certificateForRsaKey(2048, e), Date.now()));
  });

  it('refuses a modulus above the 16 384 bits OpenSSL encrypts to (every download failed with 500)', async () => {
    assert.equal(
      refusal(await certificateForRsaKey(16_392, 65_537)),
      'Ugyldig sertifikat: RSA-nøkkelen kan være høyst 16384 bit (fikk 16392)',
    );
    assert.ok(checkReceiverCertificate(await certificateForRsaKey(4096, 65_537), Date.now()));
  });

  it('refuses a key OpenSSL will not encrypt to: an exponent over 64 bits with a modulus over 3 072 bits (found in review)', async () => {
    const e = (1n << 65n) + 1n;
    assert.match(
      refusal(await certificateForRsaKey(4096, e)),
      /^Ugyldig sertifikat: nøkkelen kan ikke brukes til kryptering \(.*bad e value/,
    );
  });
});

describe('the forms a receiving system brings its certificate in', () => {
  /** A CA (self-signed) and a certificate it issued, as PEM. */
  function caAndLeaf(): { ca: string; leaf: string } {
    const dir = mkdtempSync(join(tmpdir(), 'budbringer-chain-'));
    try {
      const run = (...args: string[]): void =>
        void execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
      run(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '5',
        '-subj',
        '/CN=Kommune CA',
      );
      run(
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'leaf.key',
        '-out',
        'leaf.csr',
        '-subj',
        '/CN=Arkiv',
      );
      run(
        'x509',
        '-req',
        '-in',
        'leaf.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'leaf.pem',
        '-days',
        '5',
      );
      return { ca: readFileSync(join(dir, 'ca.pem'), 'utf8'), leaf: readFileSync(join(dir, 'leaf.pem'), 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a binary DER certificate (Windows’ .cer export) read from a file is taken as its PEM', () => {
    const pem = certificate();
    const der = new X509Certificate(pem).raw;
    const { pem: stored } = checkReceiverCertificate(certificateText(der), Date.now());
    assert.equal(new X509Certificate(stored).fingerprint256, new X509Certificate(pem).fingerprint256);
    assert.equal(certificateText(Buffer.from(pem)), pem, 'PEM stays as it is');
  });

  it('DER that reached us as text (a form field) is refused saying how to convert it', () => {
    const der = new X509Certificate(certificate()).raw;
    assert.match(refusal(der.toString('utf8')), /binært DER-sertifikat.*openssl x509 -inform DER/);
  });

  it('a chain (the system’s certificate and its CA’s, in either order): the one that is no CA is taken', () => {
    const { ca, leaf } = caAndLeaf();
    const want = new X509Certificate(leaf).fingerprint256;
    for (const chain of [leaf + ca, ca + leaf]) {
      assert.equal(new X509Certificate(checkReceiverCertificate(chain, Date.now()).pem).fingerprint256, want);
    }
    assert.match(
      refusal(ca + ca),
      /kjeden har ikke nøyaktig ett som ikke er en CA/,
      'two CAs, no certificate of its own',
    );
  });
});
