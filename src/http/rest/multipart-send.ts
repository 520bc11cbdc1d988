/**
 * A send as multipart/form-data, the same in REST v1 and Fiks REST v2/v3 (docs/interfaces.md
 * §9): the part `forsendelse` holds the metadata as JSON, the other parts the documents,
 * stored as they stream in. The files are paired with `dokumenter` by filename and order.
 */
import type { Context } from 'hono';
import { BadRequestError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import type { ForsendelseInput } from '../../domain/model.js';
import { COUNT_LIMITS, lengthProblems } from '../../domain/validation/length-rules.js';
import type { BlobStore } from '../../storage/ports.js';
import { requestBodyStream } from '../request-body.js';
import { withInMemoryBudget, type InMemoryBudget } from '../store-upload.js';
import { formBodyLimit, parseMultipartForm, type FormLimits, type UploadedFile } from './multipart-form.js';
import { parseRequestJson, RequestJsonError } from '../request-json.js';

/** A read send: the mapped metadata, its files in the order of `dokumenter`, and the JSON as sent. */
export interface MultipartSend {
  readonly input: ForsendelseInput;
  readonly documents: UploadedFile[];
  readonly json: unknown;
}

/**
 * Reads the body into `blobs` within `limits`, maps the `forsendelse` part with `parse`,
 * pairs the files with its documents and hands the send to `use`; every refusal names the
 * part or field. `filesWord` names the document parts in the refusal of a body that is not
 * multipart. The small files' bytes are held in memory (store-upload.ts) until `use` ends.
 */
export async function withMultipartSend<T>(
  c: Context,
  blobs: BlobStore,
  limits: FormLimits,
  parse: (json: unknown) => ForsendelseInput,
  filesWord: string,
  use: (send: MultipartSend) => Promise<T>,
): Promise<T> {
  return withInMemoryBudget(async (inMemory) =>
    use(await readMultipartSend(c, blobs, limits, parse, filesWord, inMemory)),
  );
}

async function readMultipartSend(
  c: Context,
  blobs: BlobStore,
  limits: FormLimits,
  parse: (json: unknown) => ForsendelseInput,
  filesWord: string,
  inMemory: InMemoryBudget,
): Promise<MultipartSend> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType))
    throw new BadRequestError(`Forventet multipart/form-data med delen "forsendelse" og ${filesWord}`);
  formBodyLimit(limits).checkDeclared(c.req.header('content-length'));
  const form = await parseMultipartForm(requestBodyStream(c), contentType, blobs, limits, inMemory);
  const json = form.fields.get('forsendelse');
  if (json === undefined) {
    throw new ValidationError([
      { field: 'forsendelse', message: 'Mangler delen "forsendelse" med forsendelsens metadata (JSON)' },
    ]);
  }
  let parsed: unknown;
  try {
    parsed = parseRequestJson(json);
  } catch (error) {
    if (!(error instanceof RequestJsonError)) throw error;
    throw new ValidationError([
      { field: 'forsendelse', message: `Ugyldig JSON i delen "forsendelse": ${error.message}` },
    ]);
  }
  const input = parse(parsed);
  return { input, documents: matchFilesToDokumenter(input, form.files), json: parsed };
}

/**
 * Pairs `dokumenter[i]` with the i-th unused file of that filename (docs/interfaces.md §9: match by
 * filename and order, never by part name); missing and surplus files are named.
 */
export function matchFilesToDokumenter(input: ForsendelseInput, files: readonly UploadedFile[]): UploadedFile[] {
  // Too many documents: the counts and lengths are the problems then (the other lists' too),
  // not 10 000 missing files, which pairing the entries would list.
  if (input.dokumenter.length > COUNT_LIMITS.dokumenter) throw new ValidationError(lengthProblems(input));
  const unused = [...files];
  const problems: FieldProblem[] = [];
  const matched: UploadedFile[] = [];
  input.dokumenter.forEach((d, i) => {
    // No name to match by: that is the problem, not the parts (found in review).
    if (d.filnavn.trim() === '') {
      problems.push({
        field: `dokumenter[${i}].filnavn`,
        message: `Mangler filnavn: dokumenter[${i}].filnavn må fylles ut`,
      });
      return;
    }
    const at = unused.findIndex((f) => isFileOf(f, d.filnavn));
    if (at < 0) {
      problems.push({
        field: `dokumenter[${i}].filnavn`,
        message: `Mangler fil for dokumenter[${i}]: ingen del med filename '${d.filnavn}'`,
      });
      return;
    }
    matched.push(unused.splice(at, 1)[0] as UploadedFile);
  });
  // A file left over because an entry has no filnavn is that entry's problem, said above.
  const unnamed = input.dokumenter.filter((d) => d.filnavn.trim() === '').length;
  for (const f of unused.slice(unnamed)) {
    const described = input.dokumenter.filter((d) => isFileOf(f, d.filnavn)).length;
    problems.push({
      field: 'dokumenter',
      message:
        described === 0
          ? `Filen '${f.filename}' er ikke beskrevet i dokumenter`
          : `Filen '${f.filename}' er sendt flere ganger enn dokumenter beskriver den (${described})`,
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return matched;
}

/** True if `file` is the file named `filnavn`; browsers' FormData sends " in a filename as %22 (HTML spec), so compared decoded too. */
function isFileOf(file: UploadedFile, filnavn: string): boolean {
  return file.filename === filnavn || file.filename.replace(/%22/g, '"') === filnavn;
}
