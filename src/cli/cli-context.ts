/** What every CLI command gets, and the error for wrong usage. */
import { existsSync } from 'node:fs';
import type { Settings } from '../config/schema.js';
import type { PasswordSource } from './password-input.js';

/** The CLI's inputs and outputs, handed to each command. */
export interface CliContext {
  /** The validated settings (read on first use: `--help` never needs them). */
  readonly settings: () => Settings;
  /** Writes one line to stdout (JSON: stdout stays machine-readable). */
  readonly out: (line: string) => void;
  /** Writes a warning line to stderr (stdout stays the command's answer). */
  readonly warn: (line: string) => void;
  readonly passwordSource: PasswordSource;
  readonly version: string;
}

/** Wrong usage: exit 2 with the message and the overview. */
export class UsageError extends Error {}

/** A command that cannot be done: exit 1 with the message alone. */
export class CliFailure extends Error {}

/**
 * For a command that only reads (a list): an embedded DATA_DIR that does not exist is most
 * often a mistyped path, which would otherwise be created with an empty database and give
 * "nothing" as the answer (found in review); the refusal says so, as backup does.
 */
export function requireDataDir(settings: Settings): void {
  if (settings.MONGODB_URI !== undefined || existsSync(settings.DATA_DIR)) return;
  throw new CliFailure(`Fant ingen DATA_DIR ${settings.DATA_DIR}: peker DATA_DIR på riktig mappe?`);
}
