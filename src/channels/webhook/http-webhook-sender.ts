/**
 * POSTs a signed webhook event over HTTP(S) with node:http: no redirects followed, a time
 * limit on the whole exchange, the answer's body read and dropped (at most 64 KiB). Unless
 * private targets are allowed, every address DNS gives for the host is checked before the
 * connection is made, so a name that resolves to an internal address is refused (SSRF).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isInternalAddress } from '../../app/webhooks/webhook-target.js';
import type { WebhookPostResult, WebhookSender } from '../../app/webhooks/webhook-dispatcher.js';

/** Settings of the sender. */
export interface HttpWebhookSenderOptions {
  readonly timeoutMs: number;
  readonly allowPrivateTargets: boolean;
  /** The User-Agent header. */
  readonly userAgent: string;
}

/** Most bytes of an answer read before the connection is dropped. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** A DNS lookup that refuses internal addresses. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err !== null) return callback(err, '', 4);
    const allowed = addresses.filter((a) => !isInternalAddress(a.address));
    if (allowed.length === 0) {
      const refusal = Object.assign(new Error(`${hostname} peker til en intern adresse`), { code: 'EINTERNAL' });
      return callback(refusal, '', 4);
    }
    if (options.all === true) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
    const first = allowed[0] as LookupAddress;
    return callback(null, first.address, first.family);
  });
};

/** The sender. */
export function httpWebhookSender(options: HttpWebhookSenderOptions): WebhookSender {
  return {
    post(url, headers, body) {
      return new Promise<WebhookPostResult>((resolve) => {
        let target: URL;
        try {
          target = new URL(url);
        } catch {
          resolve({ ok: false, result: 'Ugyldig URL' });
          return;
        }
        // An address literal is never looked up, so it is checked here; a name goes through
        // guardedLookup. (A test by letters, /^[\d.:a-f]+$/, took names such as cafe.de for
        // addresses and refused every delivery to them.)
        const ip = target.hostname.replace(/^\[(.*)\]$/, '$1');
        if (!options.allowPrivateTargets && isIP(ip) !== 0 && isInternalAddress(ip)) {
          resolve({ ok: false, result: 'Intern adresse er ikke tillatt' });
          return;
        }
        const requestOptions: RequestOptions = {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body), 'user-agent': options.userAgent },
          timeout: options.timeoutMs,
          lookup: options.allowPrivateTargets ? undefined : guardedLookup,
        };
        const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
        let settled = false;
        const finish = (result: WebhookPostResult): void => {
          if (settled) return;
          settled = true;
          clearTimeout(overall);
          resolve(result);
        };
        const req = send(target, requestOptions, (res) => {
          const status = res.statusCode ?? 0;
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          const done = (): void => finish({ ok: status >= 200 && status < 300, result: `HTTP ${status}` });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        });
        const overall = setTimeout(
          () => req.destroy(new Error(`Tidsavbrudd etter ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
        req.on('timeout', () => req.destroy(new Error(`Tidsavbrudd etter ${options.timeoutMs} ms`)));
        req.on('error', (err: Error & { code?: string }) => finish({ ok: false, result: err.code ?? err.message }));
        req.end(body);
      });
    },
  };
}
