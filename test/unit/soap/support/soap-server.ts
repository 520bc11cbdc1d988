/**
 * Starts the SOAP sub-app on a real HTTP server (127.0.0.1, port 0) mounted where the
 * composition root mounts it, with a real FileBlobStore in a temp directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { after, before } from 'node:test';
import type { ForsendelseService } from '../../../../src/app/forsendelse-service.js';
import { createSoapApp } from '../../../../src/http/soap/index.js';
import type { SoapLimits } from '../../../../src/http/soap/index.js';
import { FileBlobStore } from '../../../../src/storage/files/index.js';
import { RecordingService } from './recording-service.js';

/** A running server. */
export interface RunningSoapServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string;
  /** The service endpoint URL. */
  readonly endpoint: string;
  readonly blobs: FileBlobStore;
  readonly unexpected: unknown[];
  close(): Promise<void>;
}

/** Starts a server for one test file. */
export async function startSoapServer(
  service: ForsendelseService,
  limits: Partial<SoapLimits> = {},
): Promise<RunningSoapServer> {
  const dir = await mkdtemp(join(tmpdir(), 'budbringer-soap-'));
  const blobs = new FileBlobStore(join(dir, 'blobs'));
  if (service instanceof RecordingService) service.blobs = blobs;
  const unexpected: unknown[] = [];
  // PUBLIC_URL is known only once the port is: the app is built right after listening.
  let app: Hono | undefined;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        fetch: (req, env) => (app ? app.fetch(req, env) : new Response('starting', { status: 503 })),
        port: 0,
        hostname: '127.0.0.1',
      },
      () => resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  app = new Hono().route(
    '/tjenester/forsendelseservice',
    createSoapApp({ service, blobs, publicUrl: baseUrl, limits, onUnexpectedError: (e) => unexpected.push(e) }),
  );
  return {
    baseUrl,
    endpoint: `${baseUrl}/tjenester/forsendelseservice/ForsendelsesServiceV9`,
    blobs,
    unexpected,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/**
 * A server over a fresh RecordingService for the tests of the enclosing describe block:
 * started before them and closed after. Read `server` and `service` inside the tests.
 */
export function recordingSoapServer(): { readonly server: RunningSoapServer; readonly service: RecordingService } {
  const running = {} as { server: RunningSoapServer; service: RecordingService };
  before(async () => {
    running.service = new RecordingService();
    running.server = await startSoapServer(running.service);
  });
  after(async () => running.server.close());
  return running;
}
