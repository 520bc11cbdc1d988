/**
 * BouncyCastle, the CMS library of KS's Java clients and of eFormidling's integration point,
 * as an independent implementation for the interop tests: `BcCms.java` run by Java's
 * single-file launcher with Debian's BouncyCastle jars (libbcprov-java, libbcpkix-java;
 * `.ci/run` installs them with a JRE).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithInput } from './run-with-input.js';

const JARS = ['bcprov', 'bcpkix', 'bcutil'].map((j) => `/usr/share/java/${j}.jar`).join(':');
const PROGRAM = join(import.meta.dirname, 'bouncycastle', 'BcCms.java');

/** Runs BcCms with `input` on stdin; its stdout, or a rejection with its stderr. */
function bcCms(args: readonly string[], input: Buffer): Promise<Buffer> {
  return runWithInput('java', ['-cp', JARS, PROGRAM, ...args], input, `BcCms ${args.join(' ')}`);
}

/** Encrypts `plaintext` to the PEM certificate, streamed BER, AES-256-CBC, the key wrapped as `keyTransport` says. */
export async function bouncyCastleEncrypt(
  certificatePem: string,
  plaintext: Uint8Array,
  keyTransport: 'oaep-sha256' | 'pkcs1',
): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'budbringer-bc-'));
  try {
    const certPath = join(dir, 'mottaker.pem');
    writeFileSync(certPath, certificatePem);
    return await bcCms(['encrypt', certPath, keyTransport], Buffer.from(plaintext));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Decrypts a CMS message with the receiver's PEM key and certificate, as a Java receiver does. */
export function bouncyCastleDecrypt(keyPath: string, certPath: string, cms: Buffer): Promise<Buffer> {
  return bcCms(['decrypt', keyPath, certPath], cms);
}

/**
 * Decrypts a download (a zip of the letter's documents) and reads it with java.util.zip.ZipInputStream,
 * as KS's svarut-sak-mottak and eFormidling's integration point do: each entry's name and
 * the SHA-256 of its bytes, in order. Rejects as Java does (e.g. an entry it cannot read).
 */
export async function javaZipEntries(
  keyPath: string,
  certPath: string,
  cms: Buffer,
): Promise<{ name: string; sha256: string }[]> {
  const out = await bcCms(['unzip', keyPath, certPath], cms);
  return out
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [name = '', sha256 = ''] = line.split('\t');
      return { name, sha256 };
    });
}
