/** Test helper: runs a program with a buffer on its stdin and collects its stdout. */
import { spawn } from 'node:child_process';

/** `command args` fed `input`; its stdout, or a rejection naming `name` with its exit code and stderr. */
export async function runWithInput(
  command: string,
  args: readonly string[],
  input: Buffer,
  name = command,
): Promise<Buffer> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${name} exited ${code}: ${stderr}`);
  return Buffer.concat(out);
}
