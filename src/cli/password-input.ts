/**
 * Where the CLI gets a password when `--password` is not given: a prompt on the terminal
 * (typed twice, not echoed, not in the shell history or `ps`), or the first line of stdin
 * with `--password-stdin` (scripts: `echo "$PASS" | budbringer user create … --password-stdin`).
 * Without either, the command refuses rather than wait for input that never comes.
 */
import type { Readable, Writable } from 'node:stream';

/** The terminal or pipe a password is read from. */
export interface PasswordSource {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Prompts go here (stderr: stdout stays machine-readable). */
  readonly prompt: Writable;
}

/** A password could not be had; the message says how to give one. */
export class PasswordInputError extends Error {}

/** The password from stdin (`fromStdin`) or a prompt on the terminal. */
export async function readPassword(source: PasswordSource, fromStdin: boolean): Promise<string> {
  if (fromStdin) return firstLine(source.stdin);
  if (source.stdin.isTTY !== true || source.stdin.setRawMode === undefined) {
    throw new PasswordInputError('Passord mangler: oppgi --password, --password-stdin (passordet på standard inn) eller kjør kommandoen i en terminal');
  }
  const first = await promptHidden(source, 'Passord: ');
  const again = await promptHidden(source, 'Gjenta passord: ');
  if (first !== again) throw new PasswordInputError('Passordene er ikke like');
  return first;
}

/** Reads stdin to its end (a password is short; more than 4 KiB is refused) and returns its first line. */
async function firstLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > 4096) throw new PasswordInputError('Standard inn er for lang til å være et passord (over 4096 tegn)');
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new PasswordInputError('Standard inn var tom: ventet passordet på første linje');
  return line;
}

/** Asks on the terminal with echo off; Ctrl-C or Ctrl-D aborts. */
function promptHidden(source: PasswordSource, question: string): Promise<string> {
  const { stdin, prompt } = source;
  prompt.write(question);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      prompt.write('\n');
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new PasswordInputError('Avbrutt'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
