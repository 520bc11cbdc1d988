/**
 * The `budbringer` CLI on commander: every command answers `--help` in Norwegian, prints
 * JSON on stdout (one object per line), and errors in Norwegian on stderr with exit code 1
 * (2 for wrong usage, with the overview below). Commands load only what they use (lazy
 * imports), so `--help` never reads the settings and no command starts a node.
 */
import { Command, CommanderError } from 'commander';
import type { Settings } from '../config/schema.js';
import { BackupError } from '../composition/backup-layout.js';
import { describeSurroundings } from '../composition/start-error.js';
import { BudbringerError } from '../domain/errors.js';
import { addAccountCommands } from './account-commands.js';
import { addBackupCommands } from './backup-commands.js';
import { addMottakersystemCommands } from './mottakersystem-commands.js';
import { addKeyCommands } from './key-commands.js';
import { addIntegrationCommands } from './integration-commands.js';
import { CliFailure, UsageError, type CliContext } from './cli-context.js';
import { PasswordInputError, type PasswordSource } from './password-input.js';

/** The overview printed with every usage error and after the top-level help. */
export const USAGE = `Bruk:
  budbringer sender create --name NAVN [--orgnr ORGNR]
  budbringer sender rotate-password --name NAVN
  budbringer sender list
  budbringer user create --username BRUKER --role admin|local-admin|sender-only [--sender NAVN] [--orgnr ORGNR] [--password PASSORD | --password-stdin]
  budbringer user list
  budbringer user deactivate --username BRUKER
  budbringer mottakersystem create --orgnr ORGNR --name NAVN --cert FIL.pem [--forsendelsestype TYPE] [--niva 3|4] [--epost ADRESSE]
  budbringer mottakersystem list
  budbringer mottakersystem update --id ID [--name NAVN] [--forsendelsestype TYPE] [--niva 3|4|alle] [--epost ADRESSE]
  budbringer mottakersystem rotate-password --id ID
  budbringer integration create --sender NAVN [--name NAVN] [--org ORGNR ...]
  budbringer integration list
  budbringer integration grant|revoke --id INTEGRASJONID --sender NAVN
  budbringer integration add-org|remove-org --id INTEGRASJONID --orgnr ORGNR
  budbringer integration rotate-password --id INTEGRASJONID
  budbringer backup MAPPE
  budbringer restore MAPPE [--force]
  budbringer requeue [--bare-fyll]
  budbringer key list
  budbringer key rotate
  budbringer KOMMANDO --help    (hjelp for én kommando)
  budbringer                    (uten kommando: starter en node)`;

/** Commander's English headings, in Norwegian. */
const TITLES: Readonly<Record<string, string>> = {
  'Usage:': 'Bruk:',
  'Options:': 'Valg:',
  'Commands:': 'Kommandoer:',
  'Arguments:': 'Argumenter:',
  'Global Options:': 'Felles valg:',
};

/** Commander's `[options]` and `[command]` in usage lines, in Norwegian. */
function norwegianTerms(text: string): string {
  return text.replace('[options]', '[valg]').replace('[command]', '[kommando]');
}

/** What the CLI reads and writes; main.ts passes the process's own. */
export interface CliIo {
  /** The settings; called only by commands that need them (not by `--help`). */
  readonly settings: () => Settings;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly passwordSource: PasswordSource;
  /** The package version (`--version`, the backup manifest). */
  readonly version: string;
}

/**
 * Control and direction characters shown as escapes (`\x1b`, `\u202e`): an error often
 * quotes what was typed or stored, and such characters would act on the operator's
 * terminal (clear it, set its title, reverse the text shown) instead of being read.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Runs one CLI command; returns the exit code. */
export async function runCli(argv: readonly string[], cliIo: CliIo): Promise<number> {
  const io: CliIo = { ...cliIo, err: (s) => cliIo.err(printable(s)) };
  // Read once (its warnings about unknown variables with it), however many parts of a command ask.
  let settings: Settings | undefined;
  const ctx: CliContext = {
    settings: () => (settings ??= io.settings()),
    out: io.out,
    warn: io.err,
    passwordSource: io.passwordSource,
    version: io.version,
  };
  const program = new Command('budbringer')
    .description('Budbringer: SvarUt-kompatibel formidling av digital post. Uten kommando starter en node.')
    .version(io.version, '-V, --version', 'vis versjonen')
    .helpOption('-h, --help', 'vis hjelp for kommandoen')
    .helpCommand('help [kommando]', 'vis hjelp for en kommando')
    .configureHelp({
      styleTitle: (title) => TITLES[title] ?? title,
      styleUsage: norwegianTerms,
      styleSubcommandTerm: norwegianTerms,
    })
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      // Errors are translated and printed below.
      outputError: () => undefined,
    })
    .exitOverride()
    .addHelpText('after', `\n${USAGE}`);
  addAccountCommands(program, ctx);
  addIntegrationCommands(program, ctx);
  addBackupCommands(program, ctx);
  addMottakersystemCommands(program, ctx);
  addKeyCommands(program, ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, io, argv[0] === 'help');
    if (error instanceof UsageError) {
      io.err(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (
      error instanceof BudbringerError ||
      error instanceof PasswordInputError ||
      error instanceof BackupError ||
      error instanceof CliFailure
    ) {
      io.err(error.message);
      return 1;
    }
    // A file, the database or MongoDB the command could not use: one line, not a stack trace.
    const said = fileProblem(error) ?? describeSurroundings(error, settings?.DATA_DIR ?? 'DATA_DIR');
    if (said !== undefined) {
      io.err(said);
      return 1;
    }
    throw error;
  }
}

/**
 * The exit code for commander's own outcome (help shown, a parse error), printing the error
 * in Norwegian. `asked`: the help was asked for (`budbringer help [kommando]`), so it is no error.
 */
function commanderExit(error: CommanderError, io: CliIo, asked: boolean): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
  // `help [kommando]`, or a command group without its subcommand, whose help commander printed.
  if (error.code === 'commander.help') return asked ? 0 : 2;
  io.err(`${norwegian(error)}\n${USAGE}`);
  return 2;
}

/** Commander's message for a parse error, in Norwegian (the quoted part kept). */
function norwegian(error: CommanderError): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'commander.unknownOption':
      return `Ukjent valg '${quoted}'`;
    case 'commander.unknownCommand':
      return `Ukjent kommando '${quoted}'`;
    case 'commander.optionMissingArgument':
      return `Valget '${quoted}' mangler verdi`;
    case 'commander.missingArgument':
      return `Argumentet '${quoted}' mangler`;
    case 'commander.excessArguments':
      return 'For mange argumenter';
    default:
      return `Feil bruk: ${error.message.replace(/^error: /, '')}`;
  }
}

/** What a file system error code means, in a few words. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'ingen tilgang for denne brukeren',
  EPERM: 'ingen tilgang for denne brukeren',
  ENOTDIR: 'en del av stien er en fil, ikke en mappe',
  ENOENT: 'finnes ikke',
  EEXIST: 'finnes fra før',
  ENOSPC: 'disken er full',
  EROFS: 'filsystemet er skrivebeskyttet',
  EISDIR: 'er en mappe',
};

/** One line for a file system error that names its path (a backup target, a certificate file). */
function fileProblem(error: unknown): string | undefined {
  const e = error as { code?: unknown; path?: unknown } | undefined;
  if (typeof e?.code !== 'string' || typeof e.path !== 'string') return undefined;
  const meaning = FILE_ERRORS[e.code];
  return meaning === undefined ? undefined : `Kan ikke bruke ${e.path}: ${meaning} (${e.code})`;
}
