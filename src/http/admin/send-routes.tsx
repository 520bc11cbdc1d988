/**
 * "Send forsendelse": the manual form into the same pipeline as SOAP/REST. Uploads stream
 * into the blob store (parseMultipartForm, as REST v1 does); the CSRF token rides in the
 * form's action URL, so it is checked before the body is read. Sender-only users get
 * this page and nothing else, as their one avsender.
 */
import type { Hono } from 'hono';
import { withIntakeLease } from '../../app/intake-lease.js';
import { ForbiddenError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import type { BlobStore } from '../../storage/ports.js';
import { DEFAULT_MAX_FORSENDELSE_BYTES } from '../../config/schema.js';
import { KIB } from '../body-limit.js';
import { formBodyLimit, parseMultipartForm, type FormLimits } from '../rest/multipart-form.js';
import { withInMemoryBudget, type InMemoryBudget } from '../store-upload.js';
import { requestBodyStream } from '../request-body.js';
import { audit, BASE, currentUser, type AdminContext, type AdminDeps, type AdminEnv } from './admin-context.js';
import { validateForsendelse } from '../../domain/validation/index.js';
import { KEPT_FILES_FIELD, KeptFiles, type KeptUpload } from './kept-files.js';
import { inSendFormTerms, SEND_FIELDS, sendInputOf, type SendValues } from './send-form.js';
import { SendPage } from './views/send-page.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Registers GET and POST /send. */
export function sendRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const kept = new KeptFiles(deps.secret);
  const page = async (
    c: AdminContext,
    values: SendValues,
    problems: readonly FieldProblem[],
    status = 200,
    beholdt?: { token: string; upload: KeptUpload },
  ) => {
    const user = currentUser(c);
    const avsendere = (await deps.admin.sendableAvsendere(user)).map((a) => a.navn);
    const sendt = c.req.query('sendt');
    return c.html(
      <SendPage
        ctx={{ user, csrf: c.get('csrf') }}
        avsendere={avsendere}
        values={values}
        problems={problems.map(inSendFormTerms)}
        sendtId={sendt !== undefined && UUID.test(sendt) ? sendt : undefined}
        beholdt={
          beholdt === undefined
            ? undefined
            : { token: beholdt.token, filnavn: beholdt.upload.files.map((f) => f.filename) }
        }
      />,
      status as 200,
    );
  };

  app.get('/send', (c) => page(c, { brevtype: 'BPOST' }, []));

  // Files are stored under the request's lease; a refused send's documents are deleted
  // when it ends (src/app/intake-lease.ts).
  app.post('/send', (c) =>
    withIntakeLease(
      deps.blobs,
      (blobs) => withInMemoryBudget((inMemory) => send(c, blobs, inMemory)),
      (err) => deps.log.warn({ err }, 'could not release an intake lease'),
    ),
  );
  const send = async (c: AdminContext, blobs: BlobStore, inMemory: InMemoryBudget): Promise<Response> => {
    const user = currentUser(c);
    const contentType = c.req.header('content-type') ?? '';
    if (!/^multipart\/form-data/i.test(contentType)) {
      return page(
        c,
        {},
        [{ field: 'dokumenter', message: 'Skjemaet må sendes som multipart/form-data (med filer)' }],
        400,
      );
    }
    // Files up to the forsendelse limit; the typed fields are short (64 KiB together).
    const limits: FormLimits = {
      maxFileBytes: deps.maxForsendelseBytes ?? DEFAULT_MAX_FORSENDELSE_BYTES,
      maxFieldBytes: 64 * KIB,
      maxParts: 200,
    };
    formBodyLimit(limits).checkDeclared(c.req.header('content-length'));
    const form = await parseMultipartForm(requestBodyStream(c), contentType, blobs, limits, inMemory);
    const values: SendValues = {};
    for (const name of SEND_FIELDS) {
      const v = form.fields.get(name);
      if (v !== undefined) values[name] = v;
    }
    const allowed = (await deps.admin.sendableAvsendere(user)).map((a) => a.navn);
    const avsender = user.rolle === 'sender-only' ? user.avsender : values.avsender;
    if (avsender === undefined || !allowed.includes(avsender)) {
      throw new ForbiddenError(`Ingen tilgang: du kan ikke sende som avsender «${avsender ?? ''}»`);
    }
    const sid = c.get('session').sid;
    const chosen = form.files.filter((f) => f.filename !== '');
    // No file chosen this time: the files kept from the refused submit before, if any.
    const previous =
      chosen.length === 0 ? await kept.open(deps.blobs, sid, form.fields.get(KEPT_FILES_FIELD)) : undefined;
    const files = chosen.length > 0 ? chosen : (previous?.files ?? []);
    const problems: FieldProblem[] = [];
    const input = sendInputOf(values, files, problems);
    const refuse = async (found: readonly FieldProblem[]) => {
      // The files stay chosen for the next submit (held under a lease of their own).
      const upload = previous ?? (files.length > 0 ? await kept.keep(deps.blobs, files) : undefined);
      const beholdt = upload === undefined ? undefined : { token: kept.seal(sid, upload), upload };
      return page(c, values, found, 400, beholdt);
    };
    if (problems.length > 0) {
      // One round: the letter's own rules too, so every problem shows at once.
      const more = validateForsendelse(input, { now: Date.now() }).filter(
        (p) =>
          !problems.some((q) => q.field === p.field || (q.field === 'dokumenter' && p.field.startsWith('dokumenter'))),
      );
      return refuse([...problems, ...more]);
    }
    let id: string;
    try {
      id = await deps.service.send(
        avsender,
        input,
        files.map((f) => f.blob),
      );
    } catch (error) {
      if (error instanceof ValidationError) return refuse(error.problems);
      throw error;
    }
    if (previous !== undefined) await deps.blobs.releaseLease(previous.lease);
    await audit(c, deps, {
      handling: 'forsendelse.sendt-manuelt',
      objekt: id,
      detaljer: `Avsender ${avsender}: ${input.tittel}`,
    });
    return c.redirect(
      user.rolle === 'sender-only' ? `${BASE}/send?sendt=${id}` : `${BASE}/forsendelser/${id}?ok=sendt`,
      303,
    );
  };
}
