/**
 * BouncyCastle, the CMS library of KS's Java clients and of eFormidling's integration point,
 * as an independent implementation for the interop tests: `BcCms.java` run by Java's
 * single-file launcher with Debian's BouncyCastle jars (libbcprov-java, libbcpkix-java;
 * `.ci/run` installs them with a JRE).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JARS = ['bcprov', 'bcpkix', 'bcutil'].map((j) => `/usr/share/java/${j}.jar`).join(':');
const PROGRAM = join(import.meta.dirname, 'bouncycastle', 'BcCms.java');

/** Runs BcCms with `input` on stdin; its stdout, or a rejection with its stderr. */
async function bcCms(args: readonly string[], input: Buffer): Promise<Buffer> {
  const child = spawn('java', ['-cp', JARS, PROGRAM, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`BcCms ${args.join(' ')} exited ${code}: ${stderr}`);
  return Buffer.concat(out);
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
