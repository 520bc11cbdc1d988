/**
 * A SvarInn receiver (a receiving system's side of Mottaksservice v1), written from KS's
 * description of the interface alone (docs/interfaces.md §11–§12), as svarut-sak-mottak and
 * efm-integrasjonspunkt use it: poll the list, download each `downloadUrl`, decrypt the CMS
 * body with the system's private key (here Debian's `openssl cms -decrypt -inform DER`),
 * unzip when the content type says zip, then acknowledge or report a failed receipt.
 * Nothing of Budbringer's code is used.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { opensslBuffer } from '../support/openssl.js';

const run = promisify(execFile);

/** The receiving system's credentials and key. */
export interface ReceiverIdentity {
  readonly baseUrl: string;
  readonly id: string;
  readonly password: string;
  readonly keyPath: string;
  readonly certPath: string;
}

/** A listed forsendelse, as the JSON comes (fields read by receivers). */
export interface ListedForsendelse {
  readonly id: string;
  readonly tittel: string;
  readonly date: number;
  readonly status: string;
  readonly niva: string;
  readonly downloadUrl: string;
  readonly filmetadata: readonly { filnavn: string; mimetype: string; sha256hash: string; size: number }[];
  readonly [key: string]: unknown;
}

/** One received file. */
export interface ReceivedFile {
  readonly filnavn: string;
  readonly mimetype: string;
  readonly bytes: Buffer;
}

/** A downloaded letter, decrypted. */
export interface Received {
  readonly contentType: string;
  readonly filename: string;
  /** The decrypted body (a PDF, or the zip). */
  readonly plaintext: Buffer;
  /** The files: the one document, or the zip's entries with their metadata's mimetype. */
  readonly files: readonly ReceivedFile[];
}

/** The receiver. */
export class SvarInnReceiver {
  constructor(private readonly me: ReceiverIdentity) {}

  private auth(password = this.me.password, id = this.me.id): string {
    return `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`;
  }

  /** GET hentNyeForsendelser: status, content type and the parsed list. */
  async poll(): Promise<{ status: number; contentType: string; list: ListedForsendelse[] }> {
    const res = await fetch(`${this.me.baseUrl}/tjenester/svarinn/mottaker/hentNyeForsendelser`, {
      headers: { authorization: this.auth() },
    });
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      list: res.status === 200 ? (JSON.parse(text) as ListedForsendelse[]) : [],
    };
  }

  /** GET the downloadUrl; decrypts and unpacks. Throws unless 200. */
  async download(f: Pick<ListedForsendelse, 'downloadUrl' | 'filmetadata'>): Promise<Received> {
    const res = await fetch(f.downloadUrl, { headers: { authorization: this.auth() } });
    if (res.status !== 200) throw new Error(`download answered ${res.status}: ${await res.text()}`);
    const contentType = res.headers.get('content-type') ?? '';
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]*)"/.exec(disposition)?.[1] ?? 'dokument.pdf';
    const cms = Buffer.from(await res.arrayBuffer());
    const plaintext = await opensslBuffer(
      ['cms', '-decrypt', '-inform', 'DER', '-inkey', this.me.keyPath, '-recip', this.me.certPath, '-binary'],
      cms,
    );
    if (!contentType.includes('application/zip')) {
      const meta = f.filmetadata[0];
      return {
        contentType,
        filename,
        plaintext,
        files: [{ filnavn: filename, mimetype: meta?.mimetype ?? contentType, bytes: plaintext }],
      };
    }
    const dir = await mkdtemp(join(tmpdir(), 'svarinn-receiver-'));
    try {
      const zipPath = join(dir, 'forsendelse.zip');
      await writeFile(zipPath, plaintext);
      const names = (await run('unzip', ['-Z1', zipPath])).stdout.split('\n').filter((n) => n !== '');
      const files: ReceivedFile[] = [];
      for (const name of names) {
        const bytes = (await run('unzip', ['-p', zipPath, name], { encoding: 'buffer', maxBuffer: 1 << 30 })).stdout;
        const mimetype = f.filmetadata.find((m) => m.filnavn === name)?.mimetype ?? 'application/octet-stream';
        files.push({ filnavn: name, mimetype, bytes: Buffer.from(bytes) });
      }
      return { contentType, filename, plaintext, files };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Raw GET of a download, without decrypting (status checks). */
  async downloadStatus(id: string, auth = this.auth()): Promise<number> {
    const res = await fetch(`${this.me.baseUrl}/tjenester/svarinn/forsendelse/${id}`, {
      headers: { authorization: auth },
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** POST kvitterMottak with an empty body, as svarut-sak-mottak does; the status. */
  async kvitter(id: string, auth = this.auth()): Promise<number> {
    const res = await fetch(`${this.me.baseUrl}/tjenester/svarinn/kvitterMottak/forsendelse/${id}`, {
      method: 'POST',
      headers: { authorization: auth },
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** POST mottakFeilet with {feilmelding, permanent}, as efm-integrasjonspunkt does; the status. */
  async feilet(id: string, feilmelding: string, permanent: boolean, auth = this.auth()): Promise<number> {
    const res = await fetch(`${this.me.baseUrl}/tjenester/svarinn/mottakFeilet/forsendelse/${id}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ feilmelding, permanent }),
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** The Authorization header for other credentials (bad-input tests). */
  authAs(id: string, password: string): string {
    return this.auth(password, id);
  }
}
