/**
 * Print by file drop (PRINT_DIR): per forsendelse `<id>.pdf`, then `<id>.json` (the
 * manifest), each written to a temp file, fsynced and renamed into place. The manifest comes
 * last, so a provider that polls for `*.json` always finds the complete PDF beside it.
 *
 * Idempotence: when `<id>.json` is already there the job was dropped before and nothing is
 * rewritten (the provider may be reading it). A crash between the two renames leaves only
 * the PDF, which a retry replaces. If the provider removes files once it has taken them and
 * the caller crashed before recording SENDT_PRINT, a retry drops the letter again; providers
 * should de-duplicate on `forsendelseId`.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DurableFileWriter, WriterUnavailableError } from '../../storage/files/durable-file-writer.js';
import { pathExists } from '../../storage/files/path-exists.js';
import { writeFileAtomic } from '../atomic-write.js';
import { type HeldPrintCopy, type PrintJob, PrintError, type PrintProvider } from './print-provider.js';

/** A forsendelse id is a UUID; anything that could leave the directory is refused. */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Drops print jobs as PDF + JSON manifest pairs in a directory a print provider polls. */
export class FiledropPrintProvider implements PrintProvider {
  /**
   * With `writer`, the check for the manifest and both files are done in one round trip to
   * a writer thread (the same steps with synchronous calls) instead of a stat and eight
   * trips per file (open, write, fsync, close, rename, the directory's fsync) through
   * libuv's pool, each of which costs the node's main thread a turn of its event loop
   * (bench/README.md); without one, or when its threads cannot start, through the pool.
   */
  constructor(
    readonly dir: string,
    private readonly writer?: DurableFileWriter,
  ) {}

  /** Writes `<id>.pdf` then `<id>.json` atomically; a no-op when `<id>.json` exists. */
  async submit(job: PrintJob): Promise<void> {
    const id = job.forsendelseId;
    if (!SAFE_ID.test(id)) {
      throw new PrintError(`Ugyldig forsendelse-id for print: ${JSON.stringify(id)}`, false);
    }
    if (job.manifest.forsendelseId !== id) {
      throw new PrintError('Printmanifestet gjelder en annen forsendelse enn PDF-en', false);
    }
    const pdfPath = join(this.dir, `${id}.pdf`);
    const jsonPath = join(this.dir, `${id}.json`);
    const manifest = Buffer.from(`${JSON.stringify(job.manifest, null, 2)}\n`);
    try {
      if (this.writer !== undefined) {
        try {
          // Both files, and the check for the manifest, in one round trip to a writer thread.
          return await this.writer.replaceAll(
            [
              { target: pdfPath, bytes: job.pdf },
              { target: jsonPath, bytes: manifest },
            ],
            jsonPath,
          );
        } catch (err) {
          if (!(err instanceof WriterUnavailableError)) throw err;
        }
      }
      if (await pathExists(jsonPath)) return;
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(pdfPath, job.pdf);
      await writeFileAtomic(jsonPath, manifest);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new PrintError(`Kunne ikke legge forsendelsen i printkatalogen ${this.dir}: ${why}`, true, { cause: err });
    }
  }

  /** The dropped pair, when both are still there (a manifest is written only after its PDF). */
  async held(forsendelseId: string): Promise<HeldPrintCopy | undefined> {
    if (!SAFE_ID.test(forsendelseId)) return undefined;
    const manifest = await readIfThere(join(this.dir, `${forsendelseId}.json`));
    if (manifest === undefined) return undefined;
    const pdf = await readIfThere(join(this.dir, `${forsendelseId}.pdf`));
    const sider = (JSON.parse(manifest.toString('utf8')) as { sider?: unknown }).sider;
    if (pdf === undefined || typeof sider !== 'number') return undefined;
    return { pdf, sider };
  }
}

/** The file's bytes, or undefined when it is not there (the provider took it). */
async function readIfThere(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
