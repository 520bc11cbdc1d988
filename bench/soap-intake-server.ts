/**
 * Child process of bench/soap-intake.ts: the SOAP and REST v1 doors on one HTTP server,
 * a FileBlobStore in a temp directory and a service that accepts every forsendelse (so
 * the bench measures the doors' intake: parsing, decoding and storing the documents).
 * Talks to the parent over IPC: sends {port}; answers 'memory' with its peak RSS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { createRestV1App } from '../src/http/rest/v1-routes.js';
import { createSoapApp } from '../src/http/soap/index.js';
import { FileBlobStore } from '../src/storage/files/index.js';
import { RecordingService } from '../test/unit/soap/support/recording-service.js';

const dir = await mkdtemp(join(tmpdir(), 'budbringer-bench-soap-'));
const blobs = new FileBlobStore(join(dir, 'blobs'));
const service = new RecordingService({ bench: 'bench' });
// Claims each send's documents as the real service does, so they stay after the door's lease ends.
service.blobs = blobs;
const GIB = 1024 * 1024 * 1024;

const server = serve({ fetch: (req, env) => app.fetch(req, env), port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const { port } = server.address() as AddressInfo;
const app = new Hono()
  .route(
    '/tjenester/forsendelseservice',
    createSoapApp({
      service,
      blobs,
      publicUrl: `http://127.0.0.1:${port}`,
      limits: { maxBodyBytes: 2 * GIB, maxAttachmentBytes: GIB },
    }),
  )
  .route(
    '/tjenester/api/forsendelse/v1',
    createRestV1App({
      service,
      blobs,
      // Intake only: this bench downloads nothing.
      files: { open: () => Promise.reject(new Error('not in this bench')) },
      log: pino({ level: 'silent' }),
      maxForsendelseBytes: GIB,
    }),
  );

/** Peak and current resident set size in MB (Linux /proc; falls back to the current RSS). */
function memory(): { peakRssMb: number; rssMb: number } {
  const rssMb = process.memoryUsage().rss / 1048576;
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return { peakRssMb: hwm === undefined ? rssMb : Number(hwm) / 1024, rssMb };
  } catch {
    return { peakRssMb: rssMb, rssMb };
  }
}

process.on('message', (msg) => {
  if (msg === 'memory') process.send?.({ memory: memory(), sends: service.sends.length });
  if (msg === 'stop') {
    server.close();
    void rm(dir, { recursive: true, force: true }).then(() => process.exit(0));
  }
});
process.send?.({ port, memory: memory() });
