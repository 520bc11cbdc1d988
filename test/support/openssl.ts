import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { runWithInput } from './run-with-input.js';

/** Debian's OpenSSL: the independent CMS implementation the interop tests hold ours against. */
export const OPENSSL = '/usr/bin/openssl';

/** A key pair and self-signed certificate made by OpenSSL, in a temporary folder. */
export interface OpensslIdentity {
  readonly dir: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  cleanup(): void;
}

/** `openssl req -x509 -newkey rsa:2048 -nodes`, as KS's SvarInn examples tell receivers to do. */
export function makeOpensslIdentity(subject = '/CN=test', serial?: number): OpensslIdentity {
  const dir = mkdtempSync(join(tmpdir(), 'budbringer-openssl-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath];
  args.push('-days', '30', '-subj', subject);
  if (serial !== undefined) args.push('-set_serial', String(serial));
  execFileSync(OPENSSL, args, { stdio: 'ignore' });
  return {
    dir,
    certPath,
    keyPath,
    certificatePem: readFileSync(certPath, 'utf8'),
    privateKeyPem: readFileSync(keyPath, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs OpenSSL with `input` piped to stdin: its stdout as a stream, and its exit (rejects on a non-zero status). */
export function opensslStream(
  args: readonly string[],
  input: Readable | Buffer,
): { stdout: Readable; exited: Promise<void> } {
  const child = spawn(OPENSSL, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => {}); // a failing OpenSSL closes stdin early; its exit status reports why
  if (Buffer.isBuffer(input)) child.stdin.end(input);
  else input.pipe(child.stdin);
  const exited = new Promise<void>((resolve, reject) => {
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`openssl ${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
  return { stdout: child.stdout, exited };
}

/** Runs OpenSSL on a buffer and collects stdout; rejects on a non-zero exit. */
export function opensslBuffer(args: readonly string[], input: Buffer): Promise<Buffer> {
  return runWithInput(OPENSSL, args, input, `openssl ${args.join(' ')}`);
}

/** The certificate a running node publishes at /forsendelse/publickey/hent (PEM). */
export async function publishedCertificate(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/forsendelse/publickey/hent`);
  if (response.status !== 200) throw new Error(`publickey/hent answered ${response.status}`);
  return response.text();
}

/**
 * Encrypts `plaintext` as a sender does for kryptert=true: `openssl cms -encrypt` (AES-256-CBC,
 * binary DER) to the certificate the node at `baseUrl` publishes.
 */
export async function encryptForNode(baseUrl: string, plaintext: Uint8Array, extra: string[] = []): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'budbringer-recipient-'));
  try {
    const certPath = join(dir, 'mottaker.pem');
    writeFileSync(certPath, await publishedCertificate(baseUrl));
    return await opensslBuffer(
      ['cms', '-encrypt', '-binary', '-aes256', '-outform', 'DER', '-recip', certPath, ...extra],
      Buffer.from(plaintext),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
