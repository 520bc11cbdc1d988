/**
 * The door wiring: which sub-application answers under which path, and what each door is
 * given. Doors only translate their wire format onto the services built in node.ts; new
 * doors (and the services they call) are added here and nowhere else.
 */
import type { Logger } from 'pino';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { ForsendelseServiceImpl } from '../app/forsendelse-service-impl.js';
import type { InboxLinks } from '../app/inbox-links.js';
import { maxForsendelseBytes, type Settings } from '../config/schema.js';
import { addIsoDuration, parseIsoDuration } from '../domain/time/index.js';
import type { Mount } from '../http/app.js';

import { createAdminApp } from '../http/admin/index.js';
import { AdminService, JobAdmin, varselResender } from '../app/admin/index.js';
import { InboxService } from '../app/inbox-service.js';
import { printReceiptRegistrar } from '../app/print-receipts.js';
import { createHomeApp } from '../http/home/index.js';
import { createInboxApp } from '../http/inbox/inbox-routes.js';
import { createPrintReceiptApp } from '../http/print-receipts.js';
import { createRestV1App } from '../http/rest/v1-routes.js';
import { createSoapApp, DEFAULT_SOAP_LIMITS, type SoapLimits } from '../http/soap/index.js';
import type { Channels } from './channels.js';
import type { NodeMetrics } from './node-metrics.js';
import { observeIntake } from './observability.js';
import type { Storage } from './storage.js';
import type { AttemptCounter } from '../storage/ports.js';

/** What the doors are built from. */
export interface DoorDeps {
  readonly settings: Settings;
  readonly storage: Storage;
  readonly actors: ForsendelseActors;
  readonly service: ForsendelseServiceImpl;
  readonly channels: Channels;
  readonly links: InboxLinks;
  readonly attempts: AttemptCounter;
  readonly metrics: NodeMetrics | undefined;
  readonly log: Logger;
  readonly now: () => number;
  /** The node's public URL at the time of asking (known once the server listens). */
  readonly publicUrl: () => string;
}

/**
 * The SOAP door's byte limits for a forsendelse limit: the MTOM attachments together get
 * the forsendelse limit; the body may also carry it as inline base64 (a third larger) and
 * the envelope.
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
  const { settings, storage, actors, service, log, metrics, now } = deps;
  const maxDocuments = maxForsendelseBytes(settings);
  return [
    {
      path: '/tjenester/forsendelseservice',
      app: createSoapApp({
        service: observeIntake(service, 'soap', log, metrics),
        blobs: storage.blobs,
        publicUrl: deps.publicUrl,
        limits: soapLimitsFor(maxDocuments, settings.SOAP_INLINE_LIMIT),
        onUnexpectedError: (err) => log.error({ err }, 'SOAP request failed'),
      }),
    },
    {
      path: '/tjenester/api/forsendelse/v1',
      app: createRestV1App({
        service: observeIntake(service, 'rest', log, metrics),
        blobs: storage.blobs,
        log,
        maxForsendelseBytes: maxDocuments,
      }),
    },
    {
      path: '/tjenester/api/print/v1',
      app: createPrintReceiptApp({
        register: printReceiptRegistrar({ actors, readModel: storage.readModel, now }),
        user: settings.PRINT_RECEIPT_USER,
        password: settings.PRINT_RECEIPT_PASSWORD,
        now,
        log,
      }),
    },
    {
      path: '/innboks',
      app: createInboxApp({
        inbox: new InboxService({
          links: deps.links,
          readModel: storage.readModel,
          actors,
          blobs: storage.blobs,
          now,
          config: storage.config,
        }),
        sms: deps.channels.sms,
        attempts: deps.attempts,
        now,
        log,
      }),
    },
    { path: '/forvaltning', app: adminDoor(deps, queueBoardPath) },
    { path: '/', app: createHomeApp() },
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
    config: storage.config,
    audit: storage.audit,
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
    jobs: new JobAdmin(storage.jobs),
    secret: channels.secret,
    log,
    now,
    maxForsendelseBytes: maxForsendelseBytes(settings),
  });
}
