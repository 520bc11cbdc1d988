/**
 * `key list | rotate`: the installation's CMS keys (docs/operations.md "Encryption key").
 * A rotation makes a new current key, which senders fetch from /forsendelse/publickey/hent;
 * the old keys stay for decrypting what was encrypted to them. Output is one JSON object per
 * line, never a private key.
 */
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import type { InstallationKeys } from '../app/installation-keys.js';
import type { InstallationKey } from '../storage/ports.js';
import { withAudit } from './cli-audit.js';
import { CliFailure, type CliContext, requireDataDir } from './cli-context.js';

/** Opens the keys, runs `fn`, and closes them. */
async function withKeys<T>(ctx: CliContext, fn: (keys: InstallationKeys) => Promise<T>): Promise<T> {
  const { openInstallationKeys } = await import('../composition/installation-key-store.js');
  let opened: Awaited<ReturnType<typeof openInstallationKeys>>;
  try {
    opened = await openInstallationKeys(ctx.settings());
  } catch (error) {
    throw new CliFailure((error as Error).message); // the configured key files: the message says what is wrong
  }
  try {
    return await fn(opened.keys);
  } catch (error) {
    if (error instanceof Error && /^Nøkkelen er satt med CMS_/.test(error.message)) throw new CliFailure(error.message);
    throw error;
  } finally {
    await opened.close();
  }
}

/** What is shown of a key: its number, age, SHA-256 fingerprint of the certificate, and whether it is current. */
function describeKey(key: InstallationKey, current: number): Record<string, unknown> {
  const der = Buffer.from(key.certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  return {
    nummer: key.nummer,
    opprettet: new Date(key.createdAt).toISOString(),
    sha256Fingeravtrykk: createHash('sha256').update(der).digest('hex'),
    gjeldende: key.nummer === current,
  };
}

/** Adds the `key` command group. */
export function addKeyCommands(program: Command, ctx: CliContext): void {
  const key = program
    .command('key')
    .description(
      'installasjonens krypteringsnøkkel (avsendere krypterer til sertifikatet i /forsendelse/publickey/hent)',
    );
  key
    .command('list')
    .description('skriver ut nøklene, én JSON-linje hver (nummer, opprettet, fingeravtrykk, gjeldende)')
    .action(async () => {
      requireDataDir(ctx.settings());
      const keys = await withKeys(ctx, (k) => k.list(true));
      const current = keys.at(-1)?.nummer ?? 0;
      for (const k of keys) ctx.out(JSON.stringify(describeKey(k, current)));
    });
  key
    .command('rotate')
    .description('lager en ny gjeldende nøkkel; de gamle beholdes for dekryptering')
    .action(async () => {
      const rotated = await withKeys(ctx, (k) => k.rotate());
      await withAudit(ctx, (audit) =>
        audit({
          handling: 'nokkel.rotert',
          objekt: `nøkkel ${rotated.nummer}`,
          detaljer: `ny gjeldende krypteringsnøkkel; sertifikatets SHA-256 ${String(describeKey(rotated, rotated.nummer).sha256Fingeravtrykk)}`,
        }),
      );
      ctx.out(JSON.stringify(describeKey(rotated, rotated.nummer)));
    });
}
