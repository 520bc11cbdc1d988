/**
 * "Mottakersystemer" (admins only): register a receiving system (SvarInn) with its
 * certificate, change its name, filters and contact, see and replace the certificate, issue
 * a new service password (shown once).
 * Every change is audited; the certificate is checked by the application service.
 */
import type { Hono } from 'hono';
import { certificateFacts, certificateText, MAX_CERTIFICATE_CHARS } from '../../app/receiver-certificate.js';
import { requireAdmin } from '../../app/admin/access.js';
import type { MottakersystemService } from '../../app/mottakersystemer.js';
import { BadRequestError, ValidationError } from '../../domain/errors.js';
import type { Mottakersystem } from '../../storage/ports.js';
import { requestBodyStream } from '../request-body.js';
import { audit, currentUser, formOf, type AdminContext, type AdminDeps, type AdminEnv } from './admin-context.js';
import { readSmallMultipart } from './small-multipart.js';
import {
  MottakersystemListPage,
  MottakersystemPage,
  SystemPasswordPage,
  systemPath,
  type DetailsFormValues,
  type ListedSystem,
  type SystemFormValues,
} from './views/mottakersystem-pages.js';

/** The system with its certificate's facts (none when the stored PEM cannot be read). */
function listed(system: Mottakersystem): ListedSystem {
  try {
    return { system, cert: certificateFacts(system.sertifikat) };
  } catch {
    return { system };
  }
}

/**
 * The upload form's fields; the certificate from the file when one was chosen (PEM, or a
 * binary DER «.cer» as Windows exports it, turned into PEM), else the pasted text.
 */
async function uploadedForm(c: AdminContext): Promise<Map<string, string>> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw new BadRequestError('Skjemaet må sendes som multipart/form-data');
  }
  const form = await readSmallMultipart(
    requestBodyStream(c),
    contentType,
    MAX_CERTIFICATE_CHARS * 2 + 16 * 1024,
    certificateText,
  );
  const file = form.get('sertifikatfil') ?? '';
  if (file.trim() !== '') form.set('sertifikat', file);
  return form;
}

/** Registers the receiving systems' pages on the admin app. */
export function mottakersystemRoutes(app: Hono<AdminEnv>, deps: AdminDeps, service: MottakersystemService): void {
  const ctxOf = (c: AdminContext) => ({ user: currentUser(c), csrf: c.get('csrf') });

  app.get('/mottakersystemer', async (c) => {
    requireAdmin(currentUser(c));
    return c.html(<MottakersystemListPage ctx={ctxOf(c)} systems={(await service.list()).map(listed)} />);
  });

  app.post('/mottakersystemer', async (c) => {
    requireAdmin(currentUser(c));
    const form = await uploadedForm(c);
    const values: SystemFormValues = {
      navn: (form.get('navn') ?? '').trim(),
      orgnr: (form.get('orgnr') ?? '').replace(/\s+/g, ''),
      forsendelseType: (form.get('forsendelseType') ?? '').trim(),
      niva: form.get('niva') ?? '',
      epost: (form.get('epost') ?? '').trim(),
      sertifikat: form.get('sertifikat') ?? '',
    };
    try {
      const { system, servicePassword } = await service.create({
        ...values,
        niva: values.niva === '3' ? 3 : values.niva === '4' ? 4 : undefined,
      });
      await audit(c, deps, {
        handling: 'mottakersystem.opprettet',
        objekt: system.id,
        detaljer: `${system.navn}, orgnr ${system.orgnr}, type ${system.forsendelseType ?? 'alle'}, nivå ${system.niva ?? '3 og 4'}`,
      });
      return c.html(<SystemPasswordPage ctx={ctxOf(c)} system={system} passord={servicePassword} ny />);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const systems = (await service.list()).map(listed);
      return c.html(
        <MottakersystemListPage ctx={ctxOf(c)} systems={systems} problems={error.problems} values={values} />,
        400,
      );
    }
  });

  app.get('/mottakersystemer/:id', async (c) => {
    requireAdmin(currentUser(c));
    const system = await service.get(c.req.param('id'));
    const ok = c.req.query('ok');
    const melding =
      ok === 'sertifikat' ? 'Sertifikatet er erstattet.' : ok === 'opplysninger' ? 'Endringene er lagret.' : undefined;
    return c.html(<MottakersystemPage ctx={ctxOf(c)} listed={listed(system)} melding={melding} />);
  });

  app.post('/mottakersystemer/:id/opplysninger', async (c) => {
    requireAdmin(currentUser(c));
    const system = await service.get(c.req.param('id'));
    const form = formOf(c);
    const values: DetailsFormValues = {
      navn: (form.get('navn') ?? '').trim(),
      forsendelseType: (form.get('forsendelseType') ?? '').trim(),
      niva: form.get('niva') ?? '',
      epost: (form.get('epost') ?? '').trim(),
    };
    const niva = values.niva === '' ? undefined : values.niva === '3' ? 3 : values.niva === '4' ? 4 : Number.NaN;
    try {
      const changed = await service.updateDetails(system.id, { ...values, niva: niva as 3 | 4 | undefined });
      await audit(c, deps, {
        handling: 'mottakersystem.endret',
        objekt: system.id,
        detaljer: `${changed.navn}, type ${changed.forsendelseType ?? 'alle'}, nivå ${changed.niva ?? '3 og 4'}, kontakt ${changed.epost ?? 'ingen'}`,
      });
      return c.redirect(`${systemPath(system.id)}?ok=opplysninger`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const opplysninger = { values, problems: error.problems };
      return c.html(<MottakersystemPage ctx={ctxOf(c)} listed={listed(system)} opplysninger={opplysninger} />, 400);
    }
  });

  app.post('/mottakersystemer/:id/sertifikat', async (c) => {
    requireAdmin(currentUser(c));
    const system = await service.get(c.req.param('id'));
    const form = await uploadedForm(c);
    try {
      const changed = await service.replaceCertificate(system.id, form.get('sertifikat') ?? '');
      const facts = certificateFacts(changed.sertifikat);
      await audit(c, deps, {
        handling: 'mottakersystem.sertifikat-erstattet',
        objekt: system.id,
        detaljer: `${facts.subject}; gyldig til ${new Date(facts.validTo).toISOString()}; SHA-256 ${facts.fingerprint256}`,
      });
      return c.redirect(`${systemPath(system.id)}?ok=sertifikat`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return c.html(<MottakersystemPage ctx={ctxOf(c)} listed={listed(system)} problems={error.problems} />, 400);
    }
  });

  app.post('/mottakersystemer/:id/nytt-passord', async (c) => {
    requireAdmin(currentUser(c));
    const system = await service.get(c.req.param('id'));
    const passord = await service.rotatePassword(system.id);
    await audit(c, deps, { handling: 'mottakersystem.nytt-passord', objekt: system.id, detaljer: system.navn });
    return c.html(<SystemPasswordPage ctx={ctxOf(c)} system={system} passord={passord} ny={false} />);
  });
}
