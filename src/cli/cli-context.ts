/** What every CLI command gets, and the error for wrong usage. */
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
