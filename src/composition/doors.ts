/**
 * The door wiring: which sub-application answers under which path, and what each door is
 * given. Doors only translate their wire format onto the services built in node.ts; new
 * doors (and the services they call) are added here and nowhere else.
 */
import type { Logger } from 'pino';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { ForsendelseServiceImpl } from '../app/forsendelse-service-impl.js';
import type { InboxLinks } from '../app/inbox-links.js';
import type { MottakersystemService } from '../app/mottakersystemer.js';
import type { InstallationKeys } from '../app/installation-keys.js';
import type { LetterFiles } from '../app/letter-files.js';
import { maxForsendelseBytes, type Settings } from '../config/schema.js';
import type { StoredDokument } from '../domain/model.js';
import { addIsoDuration, parseIsoDuration } from '../domain/time/index.js';
import type { Mount } from '../http/app.js';

import { createAdminApp } from '../http/admin/index.js';
import { secureCookiesFor } from '../http/secure-cookie.js';
import { AdminService, JobAdmin, varselResender } from '../app/admin/index.js';
import { workPolicy } from './work-policy.js';
import { InboxService } from '../app/inbox-service.js';
import { OneTimeCodeUses } from '../app/one-time-code-uses.js';
import { printReceiptRegistrar } from '../app/print-receipts.js';
import { createHomeApp } from '../http/home/index.js';
import { createOpenApiApp } from '../http/openapi/index.js';
import { createInboxApp } from '../http/inbox/inbox-routes.js';
import { createPrintReceiptApp } from '../http/print-receipts.js';
import { createPublicKeyApp } from '../http/public-key.js';
import { createRestV1App } from '../http/rest/v1-routes.js';
import { FiksAuthenticator } from '../app/fiks/fiks-auth.js';
import { uncallableIntegrasjoner } from '../app/fiks/integrasjoner.js';
import { tokenVerifier } from '../app/fiks/token-verifier.js';
import { JwksFile } from '../app/fiks/jwks-file.js';
import type { FiksDeps } from '../http/fiks/fiks-common.js';
import { createFiksV2App } from '../http/fiks/v2-routes.js';
import { createFiksV3App } from '../http/fiks/v3-routes.js';
import { createWebhookApp } from '../http/rest/webhook-routes.js';
import { webhookSubscriptions } from './webhooks.js';
import { SvarInnService } from '../app/svarinn-service.js';
import { encryptToCertificate } from '../crypto/cms-envelope.js';
import { createSvarInnApp } from '../http/svarinn/svarinn-routes.js';
import { createSoapApp, DEFAULT_SOAP_LIMITS, type SoapLimits } from '../http/soap/index.js';
import type { Channels } from './channels.js';
import type { NodeMetrics } from './node-metrics.js';
import { observeIntake } from './observability.js';
import type { Storage } from './storage.js';
import type { AttemptCounter } from '../storage/ports.js';
import type { PdfWork } from '../pdf/index.js';

/** What the doors are built from. */
export interface DoorDeps {
  readonly settings: Settings;
  readonly storage: Storage;
  readonly actors: ForsendelseActors;
  readonly service: ForsendelseServiceImpl;
  readonly channels: Channels;
  readonly links: InboxLinks;
  /** The receiving systems (SvarInn door, admin pages). */
  readonly mottakersystemer: MottakersystemService;
  /** The installation's CMS keys (the public key door). */
  readonly keys: InstallationKeys;
  /** Stored files as plaintext (encrypted letters' files are kept encrypted). */
  readonly files: LetterFiles;
  /** The node's PDF threads (the admin web's cover preview and manual-print batch). */
  readonly pdf: Pick<PdfWork, 'coverPreview' | 'printBatch'>;
  readonly attempts: AttemptCounter;
  readonly metrics: NodeMetrics | undefined;
  readonly log: Logger;
  readonly now: () => number;
  /** The node's public URL at the time of asking (known once the server listens). */
  readonly publicUrl: () => string;
}

/**
 * The SOAP door's byte limits for a forsendelse limit: the documents together (inline or
 * MTOM) get the forsendelse limit; the body may carry it as inline base64 (a third larger)
 * and the envelope.
 */
function soapLimitsFor(maxDocuments: number, maxInline: number): Partial<SoapLimits> {
  const maxXmlChars = DEFAULT_SOAP_LIMITS.maxXmlChars;
  return {
    maxAttachmentBytes: maxDocuments,
    maxBodyBytes: Math.ceil((maxDocuments * 4) / 3) + maxXmlChars,
    maxInlineBase64Bytes: Math.min(maxInline, maxDocuments),
  };
}

/** Every door of the node, mounted under its path (the operators' endpoints come first, from operations.ts). */
export function doorMounts(deps: DoorDeps, queueBoardPath: string | undefined): Mount[] {
  const { settings, storage, actors, log, now } = deps;
  return [
    ...senderMounts(deps),
    ...fiksMounts(deps),
    {
      path: '/tjenester/api/print/v1',
      app: createPrintReceiptApp({
        register: printReceiptRegistrar({ actors, readModel: storage.readModel, now }),
        user: settings.PRINT_RECEIPT_USER,
        password: settings.PRINT_RECEIPT_PASSWORD,
        now,
        log,
        attempts: deps.attempts,
      }),
    },
    { path: '/innboks', app: inboxDoor(deps) },
    { path: '/tjenester/svarinn', app: svarInnDoor(deps) },
    {
      path: '/forsendelse/publickey',
      app: createPublicKeyApp({ certificatePem: async () => (await deps.keys.current()).certificatePem }),
    },
    { path: '/forvaltning', app: adminDoor(deps, queueBoardPath) },
    { path: '/api-dokumentasjon', app: createOpenApiApp() },
    { path: '/', app: createHomeApp() },
  ];
}

/** The sender's doors with SvarUt's Basic credentials: SOAP V4–V11, REST v1 and the webhook subscriptions. */
function senderMounts(deps: DoorDeps): Mount[] {
  const { settings, storage, service, log, metrics, now } = deps;
  const maxDocuments = maxForsendelseBytes(settings);
  return [
    {
      path: '/tjenester/forsendelseservice',
      app: createSoapApp({
        service: observeIntake(service, 'soap', log, metrics),
        blobs: storage.blobs,
        publicUrl: deps.publicUrl,
        limits: soapLimitsFor(maxDocuments, settings.SOAP_INLINE_LIMIT ?? maxDocuments),
        onUnexpectedError: (err) => log.error({ err }, 'SOAP request failed'),
      }),
    },
    {
      // Budbringer's own extension, before REST v1 (whose routes would otherwise see it first).
      path: '/tjenester/api/forsendelse/v1/abonnementer',
      app: createWebhookApp({
        subscriptions: webhookSubscriptions(settings, storage, now),
        authenticate: (user, password) => service.authenticate(user, password),
        log,
      }),
    },
    {
      path: '/tjenester/api/forsendelse/v1',
      app: createRestV1App({
        service: observeIntake(service, 'rest', log, metrics),
        blobs: storage.blobs,
        files: deps.files,
        log,
        maxForsendelseBytes: maxDocuments,
      }),
    },
  ];
}

/** The recipient's pages (innboks), opened from the notification's link. */
function inboxDoor(deps: DoorDeps): Mount['app'] {
  const { settings, storage, now } = deps;
  return createInboxApp({
    inbox: new InboxService({
      links: deps.links,
      readModel: storage.readModel,
      actors: deps.actors,
      files: deps.files,
      now,
      codeUses: new OneTimeCodeUses(deps.attempts),
      servedParts: storage.servedParts,
      krr: deps.channels.krr,
      config: storage.config,
      svarUrl: (orgnr) => settings.SVAR_URL.replaceAll('{orgnr}', encodeURIComponent(orgnr)),
    }),
    sms: deps.channels.sms,
    attempts: deps.attempts,
    now,
    log: deps.log,
    secureCookies: secureCookiesFor(deps.publicUrl()),
  });
}

/** SvarInn (docs/interfaces.md §11): receiving systems fetch their letters, encrypted to their certificates. */
function svarInnDoor(deps: DoorDeps): Mount['app'] {
  const { storage, log } = deps;
  const svarinn = new SvarInnService({
    actors: deps.actors,
    readModel: storage.readModel,
    blobs: storage.blobs,
    config: storage.config,
    encrypt: (pem, plaintext) => encryptToCertificate(pem, plaintext),
    // An encrypted letter's documents are kept as the sender's envelopes: decrypted here, re-encrypted to the receiver.
    openDocument: (state, index) => deps.files.open((state.dokumenter[index] as StoredDokument).blob),
    now: deps.now,
    onError: (err, message) => log.error({ err }, message),
  });
  return createSvarInnApp({ svarinn, mottakersystemer: deps.mottakersystemer, publicUrl: deps.publicUrl, log });
}

/** REST v2 and v3 (Fiks integrations, Maskinporten / Fiksporten tokens). */
function fiksMounts(deps: DoorDeps): Mount[] {
  const { settings, storage, log, metrics } = deps;
  const issuer = (navn: string, jwks: string | undefined, iss: string | undefined, audience: string | undefined) => {
    // Both or neither: load-settings.ts refuses one without the other.
    if (jwks === undefined || iss === undefined) return undefined;
    // A key file that is missing or no JWKS is said at start, not at the first call's 503.
    if (!/^https?:\/\//i.test(jwks))
      void new JwksFile(jwks)
        .keys()
        .catch((err: unknown) =>
          log.error(
            { err, navn, jwks },
            `${navn.toUpperCase()}_JWKS cannot be read: tokens from ${navn} are refused (503) until it can`,
          ),
        );
    // Whoever can change the keys on the way can sign tokens: plain HTTP only on this machine.
    if (/^http:\/\//i.test(jwks) && !/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//i.test(jwks))
      log.warn(
        { navn, jwks },
        `${navn.toUpperCase()}_JWKS is fetched over plain HTTP: anyone on the way can swap the keys; use https://`,
      );
    return tokenVerifier(
      { navn, jwks, issuer: iss, ...(audience === undefined ? {} : { audience }) },
      {
        // A key file edited into something unreadable, or a key endpoint that fails, keeps the
        // keys read before; the operator hears of it here, once per problem.
        onError: (err) =>
          log.error(
            { err, navn, jwks },
            `${navn.toUpperCase()}_JWKS cannot be read or fetched; the keys read before are still used`,
          ),
      },
    );
  };
  const maskinporten = issuer(
    'Maskinporten',
    settings.MASKINPORTEN_JWKS,
    settings.MASKINPORTEN_ISSUER,
    settings.MASKINPORTEN_AUDIENCE,
  );
  // An integration no organisation may call with answers 403 to every call: said at start,
  // where an operator upgrading past the consumer check (6 December 2026) sees it.
  if (maskinporten !== undefined)
    void uncallableIntegrasjoner(storage.config).then(
      (found) => {
        for (const i of found)
          log.warn(
            { integrasjonId: i.id, navn: i.navn },
            'no organisation may call with this integration: Maskinporten calls are refused (403) until one is added (budbringer integration add-org)',
          );
      },
      (err: unknown) => log.warn({ err }, 'could not check which integrations may be called'),
    );
  const fiks: FiksDeps = {
    service: observeIntake(deps.service, 'fiks', log, metrics),
    lookups: deps.service,
    auth: new FiksAuthenticator({
      config: storage.config,
      maskinporten,
      fiksporten: issuer(
        'Fiksporten',
        settings.FIKSPORTEN_JWKS,
        settings.FIKSPORTEN_ISSUER,
        settings.FIKSPORTEN_AUDIENCE,
      ),
      now: deps.now,
    }),
    blobs: storage.blobs,
    files: deps.files,
    log,
    maxForsendelseBytes: maxForsendelseBytes(settings),
    publicUrl: deps.publicUrl,
  };
  return [
    { path: '/api/v2', app: createFiksV2App(fiks) },
    { path: '/api/v3', app: createFiksV3App(fiks) },
  ];
}

/** The admin web, with the notification resend it offers. */
function adminDoor(deps: DoorDeps, queueBoardPath: string | undefined): Mount['app'] {
  const { settings, storage, actors, channels, log, now } = deps;
  const linkTtl = parseIsoDuration(settings.INBOX_LINK_TTL);
  const admin = new AdminService({
    actors,
    readModel: storage.readModel,
    blobs: storage.blobs,
    files: deps.files,
    config: storage.config,
    audit: storage.audit,
    pdf: deps.pdf,
    now,
    resendVarsel: varselResender({
      state: (id) => actors.state(id),
      execute: (id, command) => actors.execute(id, command),
      config: storage.config,
      email: channels.email,
      sms: channels.sms,
      links: deps.links,
      publicUrl: deps.publicUrl,
      from: settings.NOTIFY_FROM,
      now,
      linkExpiry: (at) => addIsoDuration(at, linkTtl),
    }),
  });
  return createAdminApp({
    service: observeIntake(deps.service, 'admin', log, deps.metrics),
    admin,
    blobs: storage.blobs,
    config: storage.config,
    audit: storage.audit,
    attempts: deps.attempts,
    queueBoardPath,
    jobs: new JobAdmin(storage.jobs, workPolicy(settings)),
    secret: channels.secret,
    log,
    now,
    maxForsendelseBytes: maxForsendelseBytes(settings),
    webhooks: webhookSubscriptions(settings, storage, now),
    mottakersystemer: deps.mottakersystemer,
    secureCookies: secureCookiesFor(deps.publicUrl()),
  });
}
