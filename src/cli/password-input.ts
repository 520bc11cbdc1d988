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
    throw new PasswordInputError(
      'Passord mangler: oppgi --password, --password-stdin (passordet på standard inn) eller kjør kommandoen i en terminal',
    );
  }
  const [first, again] = await promptHidden(source, ['Passord: ', 'Gjenta passord: ']);
  if (first === undefined || first !== again) throw new PasswordInputError('Passordene er ikke like');
  return first;
}

/** Reads stdin to its end (a password is short; more than 4 KiB is refused) and returns its first line. */
async function firstLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > 4096)
      throw new PasswordInputError('Standard inn er for lang til å være et passord (over 4096 tegn)');
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new PasswordInputError('Standard inn var tom: ventet passordet på første linje');
  return line;
}

/**
 * Asks each question on the terminal with echo off and returns the answers; Ctrl-C or
 * Ctrl-D aborts. One listener for all of them: a paste may bring several lines in one chunk.
 */
function promptHidden(source: PasswordSource, questions: readonly string[]): Promise<string[]> {
  const { stdin, prompt } = source;
  const answers: string[] = [];
  // Echo off before the question shows: what is typed (or pasted) once it shows is not echoed.
  stdin.setRawMode?.(true);
  stdin.resume();
  prompt.write(questions[0] ?? '');
  return new Promise((resolve, reject) => {
    let typed = '';
    const stop = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\u0003' || ch === '\u0004') {
          stop();
          prompt.write('\n');
          reject(new PasswordInputError('Avbrutt'));
          return;
        }
        if (ch === '\r' || ch === '\n') {
          answers.push(typed);
          typed = '';
          prompt.write('\n');
          if (answers.length === questions.length) {
            stop();
            resolve(answers);
            return;
          }
          prompt.write(questions[answers.length] ?? '');
        } else if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
