/**
 * The `budbringer` CLI (issue: `sender create`, `sender rotate-password`, `user create`).
 * Prints JSON on stdout; errors in Norwegian on stderr with exit code 1 (2 for usage).
 */
import { parseArgs } from 'node:util';
import { createAvsender, putUser, rotateServicePassword } from '../app/accounts.js';
import { openStorage } from '../composition/storage.js';
import type { Settings } from '../config/schema.js';
import { BudbringerError } from '../domain/errors.js';

const USAGE = `Bruk:
  budbringer sender create --name NAVN [--orgnr ORGNR]
  budbringer sender rotate-password --name NAVN
  budbringer user create --username BRUKER --password PASSORD --role admin|local-admin|sender-only [--sender NAVN] [--orgnr ORGNR]`;

/** Runs one CLI command; returns the exit code. */
export async function runCli(argv: readonly string[], settings: Settings, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        orgnr: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        role: { type: 'string' },
        sender: { type: 'string' },
      },
    });
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [noun, verb] = parsed.positionals;
  const o = parsed.values;
  const command = `${noun ?? ''} ${verb ?? ''}`;
  if (!['sender create', 'sender rotate-password', 'user create'].includes(command)) {
    err(USAGE);
    return 2;
  }
  // The CLI only touches configuration; it never runs jobs or serves HTTP.
  const storage = await openStorage({ ...settings, REDIS_URL: undefined });
  try {
    const now = Date.now();
    if (command === 'sender create') {
      if (!o.name) throw new UsageError('--name mangler');
      const { avsender, servicePassword } = await createAvsender(storage.config, { navn: o.name, orgnr: o.orgnr, now });
      out(JSON.stringify({ name: avsender.navn, orgnr: avsender.orgnr ?? null, servicePassword }));
    } else if (command === 'sender rotate-password') {
      if (!o.name) throw new UsageError('--name mangler');
      out(JSON.stringify({ name: o.name, servicePassword: await rotateServicePassword(storage.config, o.name) }));
    } else {
      if (!o.username || !o.password || !o.role) throw new UsageError('--username, --password og --role må oppgis');
      if (!['admin', 'local-admin', 'sender-only'].includes(o.role)) throw new UsageError(`Ukjent rolle '${o.role}'`);
      const user = await putUser(storage.config, {
        brukernavn: o.username,
        passord: o.password,
        rolle: o.role as 'admin' | 'local-admin' | 'sender-only',
        avsender: o.sender,
        orgnr: o.orgnr,
        now,
      });
      out(JSON.stringify({ username: user.brukernavn, role: user.rolle, sender: user.avsender ?? null, orgnr: user.orgnr ?? null }));
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof BudbringerError) {
      err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await storage.close();
  }
}

class UsageError extends Error {}
