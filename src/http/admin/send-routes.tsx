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
import { requestBodyStream } from '../request-body.js';
import { audit, BASE, currentUser, type AdminContext, type AdminDeps, type AdminEnv } from './admin-context.js';
import { SEND_FIELDS, sendInputOf, type SendValues } from './send-form.js';
import { SendPage } from './views/send-page.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Registers GET and POST /send. */
export function sendRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const page = async (c: AdminContext, values: SendValues, problems: readonly FieldProblem[], status = 200) => {
    const user = currentUser(c);
    const avsendere = (await deps.admin.sendableAvsendere(user)).map((a) => a.navn);
    const sendt = c.req.query('sendt');
    return c.html(
      <SendPage
        ctx={{ user, csrf: c.get('csrf') }}
        avsendere={avsendere}
        values={values}
        problems={problems}
        sendtId={sendt !== undefined && UUID.test(sendt) ? sendt : undefined}
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
      (blobs) => send(c, blobs),
      (err) => deps.log.warn({ err }, 'could not release an intake lease'),
    ),
  );
  const send = async (c: AdminContext, blobs: BlobStore): Promise<Response> => {
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
    const form = await parseMultipartForm(requestBodyStream(c), contentType, blobs, limits);
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
    const files = form.files.filter((f) => f.filename !== '');
    const problems: FieldProblem[] = [];
    const input = sendInputOf(values, files, problems);
    if (problems.length > 0) return page(c, values, problems, 400);
    let id: string;
    try {
      id = await deps.service.send(
        avsender,
        input,
        files.map((f) => f.blob),
      );
    } catch (error) {
      if (error instanceof ValidationError) return page(c, values, error.problems, 400);
      throw error;
    }
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
