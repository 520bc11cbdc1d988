/**
 * "Konfigurasjon" per avsender: cover page with a live preview rendered by the same code
 * that composes the forsendelsesfil (so the preview is what the recipient gets), the
 * notification texts, the print provider, a new service password (shown once), and
 * access (users and roles). Admins also create avsendere. Every change is audited.
 */
import type { Hono } from 'hono';
import { withIntakeLease } from '../../app/intake-lease.js';
import { KIB } from '../body-limit.js';
import { formBodyLimit, parseMultipartForm, type FormLimits } from '../rest/multipart-form.js';
import { withInMemoryBudget } from '../store-upload.js';
import { requestBodyStream } from '../request-body.js';
import { messageFor } from '../../app/admin/query-rules.js';
import { ValidationError, type FieldProblem } from '../../domain/errors.js';
import type { Avsender } from '../../storage/ports.js';
import { requireAdmin, requireManager } from '../../app/admin/access.js';
import {
  audit,
  configPath,
  currentUser,
  formOf,
  type AdminContext,
  type AdminDeps,
  type AdminEnv,
} from './admin-context.js';
import {
  FORSIDE_FIELDS,
  forsideFromForm,
  mottakersideFromForm,
  printFromForm,
  varslingFromForm,
} from './config-forms.js';
import { varslingToStore } from '../../channels/notify/render-varsel.js';
import { userRoutes } from './user-routes.js';
import { AvsenderConfigPage, type ConfigSection } from './views/config-avsender-page.js';
import { ConfigListPage } from './views/config-list-page.js';
import { OneTimePasswordPage } from './views/simple-pages.js';

/** Messages after a change, by code. */
const MELDINGER: Readonly<Record<string, string>> = {
  forside: 'Forsiden er lagret. Den brukes på forsendelser som mottas fra nå av.',
  varsling: 'Varslingstekstene er lagret.',
  print: 'Printleverandøren er lagret.',
  mottakerside: 'Mottakersiden er lagret.',
  bruker: 'Brukeren er lagret.',
  deaktivert: 'Brukeren er deaktivert og kan ikke lenger logge inn.',
};

/** The section each message belongs next to: the one the clerk just saved (and is looking at). */
const SEKSJON_FOR: Readonly<Record<string, string>> = {
  forside: 'forside',
  varsling: 'varsling',
  print: 'print',
  mottakerside: 'mottakerside',
  bruker: 'tilgang',
  deaktivert: 'tilgang',
};

/** Registers the configuration pages. */
export function configRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  /** Renders the avsender's page, optionally with a section's problems and typed values. */
  const page = async (c: AdminContext, avsender: Avsender, section?: ConfigSection, status = 200) =>
    c.html(
      <AvsenderConfigPage
        ctx={{ user: currentUser(c), csrf: c.get('csrf') }}
        avsender={avsender}
        users={await deps.admin.usersOf(avsender)}
        section={section}
        melding={messageFor(MELDINGER, c.req.query('ok'))}
        meldingVed={SEKSJON_FOR[c.req.query('ok') ?? '']}
      />,
      status as 200,
    );

  app.get('/konfigurasjon', async (c) => {
    const user = currentUser(c);
    requireManager(user);
    return c.html(
      <ConfigListPage ctx={{ user, csrf: c.get('csrf') }} avsendere={await deps.admin.managedAvsendere(user)} />,
    );
  });

  app.post('/konfigurasjon/ny-avsender', async (c) => {
    const user = currentUser(c);
    requireAdmin(user);
    const form = formOf(c);
    const navn = (form.get('navn') ?? '').trim();
    const orgnr = (form.get('orgnr') ?? '').replace(/\s+/g, '');
    try {
      const { avsender, servicePassword } = await deps.admin.createAvsender(
        user,
        navn,
        orgnr === '' ? undefined : orgnr,
      );
      await audit(c, deps, {
        handling: 'avsender.opprettet',
        objekt: avsender.navn,
        detaljer: `orgnr ${avsender.orgnr ?? '–'}`,
      });
      return c.html(
        <OneTimePasswordPage
          ctx={{ user, csrf: c.get('csrf') }}
          avsender={avsender.navn}
          passord={servicePassword}
          ny
        />,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const avsendere = await deps.admin.managedAvsendere(user);
      return c.html(
        <ConfigListPage
          ctx={{ user, csrf: c.get('csrf') }}
          avsendere={avsendere}
          problems={error.problems}
          values={{ navn, orgnr }}
        />,
        400,
      );
    }
  });

  app.get('/konfigurasjon/:navn', async (c) => page(c, await deps.admin.avsender(currentUser(c), c.req.param('navn'))));

  // The preview: the form's values when given (live preview), else what is stored; drawn on a PDF thread.
  const preview = (c: AdminContext, navn: string, format: 'pdf' | 'png'): Promise<Uint8Array> => {
    const typed = FORSIDE_FIELDS.some((f) => c.req.query(f) !== undefined);
    const forside = typed ? forsideFromForm((name) => c.req.query(name), []) : undefined;
    return deps.admin.coverPreview(currentUser(c), navn, forside, format);
  };
  app.get('/konfigurasjon/:navn/forside.pdf', async (c) => {
    const pdf = await preview(c, c.req.param('navn'), 'pdf');
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': 'inline; filename="forside-forhandsvisning.pdf"',
    });
  });
  // The same page as an image, drawn on the server: readable at any width, no PDF viewer needed.
  app.get('/konfigurasjon/:navn/forside.png', async (c) => {
    const png = await preview(c, c.req.param('navn'), 'png');
    return c.body(png as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'image/png' });
  });
  // The form's "Oppdater forhåndsvisning" button without JavaScript: posted with the form, so
  // the session's CSRF token (a hidden field of it) stays out of the URL, the history and the
  // proxies' logs, where a GET of the whole form put it.
  app.post('/konfigurasjon/:navn/forside.png', async (c) => {
    const form = formOf(c);
    const forside = forsideFromForm((name) => form.get(name), []);
    const png = await deps.admin.coverPreview(currentUser(c), c.req.param('navn'), forside, 'png');
    return c.body(png as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'image/png' });
  });

  const update = (
    name: 'forside' | 'varsling' | 'print' | 'mottakerside',
    apply: (avsender: Avsender, c: AdminContext, problems: FieldProblem[]) => Avsender,
    describe: (before: Avsender, after: Avsender) => string,
  ) =>
    app.post(`/konfigurasjon/:navn/${name}`, async (c) => {
      const avsender = await deps.admin.avsender(currentUser(c), c.req.param('navn'));
      const problems: FieldProblem[] = [];
      const changed = apply(avsender, c, problems);
      if (problems.length > 0) return page(c, changed, { name, problems }, 400);
      // The service re-reads right before writing: the form's other sections must not overwrite a concurrent change.
      const { before, after } = await deps.admin.updateSection(currentUser(c), changed, name);
      await audit(c, deps, {
        handling: `avsender.${name}-endret`,
        objekt: avsender.navn,
        detaljer: describe(before, after),
      });
      return c.redirect(`${configPath(avsender.navn)}?ok=${name}#${name}`, 303);
    });

  update(
    'forside',
    (a, c, problems) => ({ ...a, forside: forsideFromForm((n) => formOf(c).get(n), problems) }),
    (_, a) =>
      `Forside: ${a.forside.navn}, ${[...a.forside.adresselinjer, `${a.forside.postnr} ${a.forside.poststed}`.trim()].join(', ')}; tekst: ${a.forside.tekst.slice(0, 200)}`,
  );
  update(
    'varsling',
    (a, c, problems) => ({ ...a, varsling: varslingToStore(a, varslingFromForm(formOf(c), problems)) }),
    (_, a) => `E-postemne: ${a.varsling.epostEmne}; SMS: ${a.varsling.smsTekst}`,
  );
  update(
    'print',
    (a, c, problems) => ({ ...a, print: printFromForm(formOf(c), problems) }),
    (before, after) => `Printleverandør: ${before.print.leverandor} → ${after.print.leverandor}`,
  );

  // The logo arrives as a file (multipart, CSRF token in the action URL, like the send form).
  app.post('/konfigurasjon/:navn/logo', (c) =>
    withIntakeLease(deps.blobs, async (blobs) =>
      withInMemoryBudget(async (inMemory) => {
        const navn = c.req.param('navn');
        const contentType = c.req.header('content-type') ?? '';
        const limits: FormLimits = { maxFileBytes: 1024 * KIB, maxFieldBytes: 4 * KIB, maxParts: 4 };
        formBodyLimit(limits).checkDeclared(c.req.header('content-length'));
        const form = /^multipart\/form-data/i.test(contentType)
          ? await parseMultipartForm(requestBodyStream(c), contentType, blobs, limits, inMemory)
          : undefined;
        const file = form?.files.find((f) => f.filename !== '');
        const avsender = await deps.admin.avsender(currentUser(c), navn);
        if (file === undefined)
          return page(
            c,
            avsender,
            { name: 'mottakerside', problems: [{ field: 'logo', message: 'Velg en bildefil (PNG eller JPEG)' }] },
            400,
          );
        try {
          await deps.admin.setLogo(currentUser(c), navn, file.blob);
        } catch (error) {
          if (error instanceof ValidationError)
            return page(c, avsender, { name: 'mottakerside', problems: error.problems }, 400);
          throw error;
        }
        await audit(c, deps, {
          handling: 'avsender.mottakerside-endret',
          objekt: avsender.navn,
          detaljer: `Ny logo (${file.blob.size} byte)`,
        });
        return c.redirect(`${configPath(avsender.navn)}?ok=mottakerside#mottakerside`, 303);
      }),
    ),
  );

  update(
    'mottakerside',
    // The logo is kept: this form changes the contact line and the language only.
    (a, c, problems) => ({
      ...a,
      mottakerside: {
        ...(a.mottakerside?.logo === undefined ? {} : { logo: a.mottakerside.logo }),
        ...mottakersideFromForm(formOf(c), problems),
      },
    }),
    (_, a) => `Kontakt: ${a.mottakerside?.kontakt ?? '–'}; språk: ${a.mottakerside?.sprak ?? 'nb'}`,
  );

  app.post('/konfigurasjon/:navn/tjenestepassord', async (c) => {
    const user = currentUser(c);
    const { avsender, passord } = await deps.admin.rotateServicePassword(user, c.req.param('navn'));
    await audit(c, deps, { handling: 'avsender.tjenestepassord-byttet', objekt: avsender.navn });
    return c.html(
      <OneTimePasswordPage ctx={{ user, csrf: c.get('csrf') }} avsender={avsender.navn} passord={passord} ny={false} />,
    );
  });

  userRoutes(app, deps, (c, avsender, problems, values) =>
    page(c, avsender, { name: 'tilgang', problems, values }, 400),
  );
}
