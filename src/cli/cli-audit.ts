/**
 * The audit log of what the command line changes: every change a command makes is written
 * as the admin web writes the same change (the same `handling` names), by `cli:<OS user>`,
 * so giving an integration access to an account, or rotating a key, from a shell leaves the
 * same trace as doing it in the admin web (operator review of 7 December 2026: only the
 * account commands did).
 */
import { userInfo } from 'node:os';
import type { ConfigStore } from '../storage/ports.js';
import type { CliContext } from './cli-context.js';

/** Writes one entry of a change made with the command. */
export type CliAudit = (entry: { handling: string; objekt: string; detaljer?: string }) => Promise<void>;

/** Opens the accounts and the audit log, runs `fn`, and closes them. */
export async function withConfig<T>(
  ctx: CliContext,
  fn: (config: ConfigStore, audit: CliAudit) => Promise<T>,
): Promise<T> {
  const { openConfigStore } = await import('../composition/config-store.js');
  const store = await openConfigStore(ctx.settings());
  const bruker = `cli:${osUser()}`;
  const audit: CliAudit = ({ detaljer, ...entry }) =>
    store.audit.record({
      at: Date.now(),
      bruker,
      ...entry,
      detaljer: detaljer === undefined ? 'med budbringer-kommandoen' : `${detaljer} (med budbringer-kommandoen)`,
    });
  try {
    return await fn(store.config, audit);
  } finally {
    await store.close();
  }
}

/** Runs `fn` with the audit log only (commands whose own store is another). */
export function withAudit<T>(ctx: CliContext, fn: (audit: CliAudit) => Promise<T>): Promise<T> {
  return withConfig(ctx, (_config, audit) => fn(audit));
}

/** The operating system user running the command, for the audit log. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'ukjent';
  }
}
