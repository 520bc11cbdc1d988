/**
 * `backup MAPPE` and `restore MAPPE [--force]` for an embedded node's DATA_DIR (see
 * src/composition/backup.ts), each printing the manifest as one JSON line; and `requeue`,
 * which has the worker nodes queue the stored letters' work again in a job queue kept in
 * Redis (src/composition/requeue.ts), after a restore of the store by other means (mongorestore).
 */
import type { Command } from 'commander';
import { settlesWithin, withinMs } from '../storage/time-bound.js';
import { damagedLines, type DamagedDocument } from '../composition/backup-layout.js';
import { CliFailure, type CliContext } from './cli-context.js';

/** Refuses cluster mode: MongoDB has its own tools (docs/operations.md). */
function embeddedDataDir(ctx: CliContext): string {
  const settings = ctx.settings();
  if (settings.MONGODB_URI !== undefined) {
    throw new CliFailure(
      'backup og restore gjelder innebygd modus (DATA_DIR); i klyngemodus tas sikkerhetskopi med mongodump (se docs/operations.md)',
    );
  }
  return settings.DATA_DIR;
}

/**
 * With jobs in Redis (REDIS_URL) the queued work is not in DATA_DIR: a restored database
 * comes back without its jobs, which the first worker node to start on it queues again
 * (docs/operations.md, "Backup and restore"). Said on stderr, the answer stays JSON.
 */
function warnOfRedisQueue(ctx: CliContext): void {
  if (ctx.settings().REDIS_URL === undefined) return;
  ctx.warn(
    'Advarsel: jobbkøen ligger i Redis (REDIS_URL) og er ikke med i sikkerhetskopien. Etter en gjenoppretting ' +
      'legger den første arbeidernoden som starter, alle lagrede brevs ventende jobber i køen på nytt; se docs/operations.md.',
  );
}

/**
 * A SECRET given in the environment is not in DATA_DIR, so not in the backup: a node restored
 * without it makes a new one, and every inbox link and one-time code sent before stops
 * working. Said on stderr, the answer stays JSON.
 */
function warnOfSecretOutside(ctx: CliContext): void {
  if (ctx.settings().SECRET === undefined) return;
  ctx.warn(
    'Advarsel: SECRET er satt i miljøet og er ikke med i sikkerhetskopien. Ta vare på den separat: ' +
      'en node gjenopprettet uten samme SECRET lager en ny, og innbokslenker sendt før slutter å virke.',
  );
}

/** After the answer: exit 1 naming the damaged documents and their letters, when there are any. */
function refuseDamaged(damaged: readonly DamagedDocument[] | undefined, heading: string): void {
  if (damaged === undefined || damaged.length === 0) return;
  throw new CliFailure([heading, ...damagedLines(damaged)].join('\n'));
}

/** What restore says of waiting letters it could not put back into the print drop. */
function printDropsLine(failed: readonly string[]): string {
  return `Disse brevene ventet i utskriftsmappen da sikkerhetskopien ble tatt, men filene deres mangler eller er endret i den og ble ikke lagt tilbake; de er ikke skrevet ut: ${failed.join(', ')}`;
}

/** How long `requeue` waits for Redis to answer. */
const REDIS_ANSWER_MS = 15_000;

/** Adds `backup` and `restore`. */
export function addBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('tar en konsistent sikkerhetskopi av DATA_DIR (database, dokumenter, nøkler) mens noden kjører')
    .argument('<mappe>', 'ny eller tom mappe sikkerhetskopien skrives til')
    .action(async (mappe: string) => {
      const dataDir = embeddedDataDir(ctx);
      warnOfRedisQueue(ctx);
      warnOfSecretOutside(ctx);
      const { backupDataDir } = await import('../composition/backup.js');
      const { printDir } = await import('../composition/channels.js');
      const manifest = await backupDataDir({
        dataDir,
        target: mappe,
        version: ctx.version,
        printDir: printDir(ctx.settings()),
      });
      ctx.out(JSON.stringify(manifest));
      if (manifest.printDropsUnreadable !== undefined)
        ctx.warn(
          `Advarsel: brev som venter i utskriftsmappen, er ikke med i sikkerhetskopien: ${manifest.printDropsUnreadable}.`,
        );
      refuseDamaged(
        manifest.damaged,
        'Sikkerhetskopien er skrevet, men disse dokumentfilene i DATA_DIR er skadet (innholdet stemmer ikke med navnet) og er ikke med; legg dem tilbake fra en eldre sikkerhetskopi:',
      );
    });
  program
    .command('restore')
    .description('gjenoppretter en sikkerhetskopi til DATA_DIR (som må være tom, eller --force); start noden etterpå')
    .argument('<mappe>', 'mappen med sikkerhetskopien (med manifest.json)')
    .option('--force', 'erstatt database, dokumenter og nøkler i en DATA_DIR som ikke er tom (stopp noden først)')
    .action(async (mappe: string, o: { force?: boolean }) => {
      const dataDir = embeddedDataDir(ctx);
      warnOfRedisQueue(ctx);
      const { restoreDataDir } = await import('../composition/restore.js');
      const { printDir } = await import('../composition/channels.js');
      const manifest = await restoreDataDir({
        source: mappe,
        dataDir,
        force: o.force === true,
        printDir: printDir(ctx.settings()),
      });
      ctx.out(JSON.stringify(manifest));
      if ((manifest.printDropsFailed ?? []).length > 0 && (manifest.damaged ?? []).length === 0)
        throw new CliFailure(printDropsLine(manifest.printDropsFailed ?? []));
      if ((manifest.printDropsFailed ?? []).length > 0) ctx.warn(printDropsLine(manifest.printDropsFailed ?? []));
      refuseDamaged(
        manifest.damaged,
        'Gjenopprettet, men disse dokumentfilene var skadet (i DATA_DIR da sikkerhetskopien ble tatt, eller i sikkerhetskopien) og ble ikke lagt tilbake; brevene som bruker dem, venter på filen (legg den i DATA_DIR/blobs fra en annen kopi):',
      );
    });
  program
    .command('requeue')
    .description(
      'fyller Redis-køen på nytt fra de lagrede brevene (etter mongorestore, med nodene stoppet): fjerner først alle jobber som ikke kjører, og køen står til det er gjort',
    )
    .option(
      '--bare-fyll',
      'fjern ingen jobber, bare legg de ventende i køen (en Redis som mistet de nyeste skrivingene); uten dette fjernes alle jobber som ikke kjører først, feilede også',
    )
    .action(async (o: { bareFyll?: boolean }) => {
      const settings = ctx.settings();
      if (settings.REDIS_URL === undefined) {
        throw new CliFailure(
          'jobbkøen ligger i databasen (REDIS_URL er ikke satt): den gjenopprettes sammen med brevene, og det er ingenting å legge i kø på nytt',
        );
      }
      const { BullmqJobQueue } = await import('../storage/bullmq/index.js');
      const queue = new BullmqJobQueue({
        connection: settings.REDIS_URL,
        prefix: settings.QUEUE_PREFIX,
        onError: () => undefined, // a failed command rejects, and that is reported
      });
      // Redis away: the client would wait for it for good (found in review). Refused instead.
      const away = new CliFailure(
        `Redis svarer ikke (REDIS_URL) innen ${REDIS_ANSWER_MS / 1000} s: påfyllingen er ikke bestilt. Prøv igjen når Redis svarer`,
      );
      try {
        if (!(await withinMs(queue.usedHere(), REDIS_ANSWER_MS, () => away)))
          throw new CliFailure(
            `ingen node har brukt QUEUE_PREFIX=${settings.QUEUE_PREFIX} i denne Redis (REDIS_URL): påfyllingen er ikke bestilt. Bruk nodenes QUEUE_PREFIX og REDIS_URL; en Redis uten nodenes kø fylles av nodene selv når de starter`,
          );
        await withinMs(queue.requestRefill({ removeOld: o.bareFyll !== true }), REDIS_ANSWER_MS, () => away);
      } finally {
        await settlesWithin(queue.close(), 2000);
      }
      // The fill starts within the interval on a running worker node and takes a pass over every letter.
      ctx.out(
        JSON.stringify({
          pafylling: 'bestilt',
          gamleJobberFjernes: o.bareFyll !== true,
          startesInnenMs: settings.REPAIR_INTERVAL_MS,
        }),
      );
    });
}
