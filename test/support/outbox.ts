/**
 * The notices a test node writes to DATA_DIR/outbox as .eml files (no SMTP_URL), and the
 * inbox links in them: what the tests that open a recipient's letter page start from.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from '../factories.js';

/** The e-mails in the node's outbox now (file names). */
export async function outboxMails(dataDir: string): Promise<string[]> {
  return (await readdir(join(dataDir, 'outbox')).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
}

/** The inbox links (paths) in the outbox's e-mails other than `except`, each once, in file order. */
export async function inboxLinks(dataDir: string, except: readonly string[] = []): Promise<string[]> {
  const links: string[] = [];
  for (const f of (await outboxMails(dataDir)).filter((n) => !except.includes(n))) {
    // Quoted-printable: soft line breaks joined, "=3D" back to "=".
    const raw = (await readFile(join(dataDir, 'outbox', f), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    for (const m of raw.matchAll(/http:\/\/127\.0\.0\.1:\d+(\/innboks\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g))
      if (m[1] !== undefined && !links.includes(m[1])) links.push(m[1]);
  }
  return links;
}

/** The first inbox link in an e-mail of the outbox other than `except`, waited for (15 s). */
export function inboxLink(dataDir: string, what: string, except: readonly string[] = []): Promise<string> {
  return eventually(async () => (await inboxLinks(dataDir, except))[0], 15_000, what);
}
