/** What the recipients' inbox (inbox-routes.ts, inbox-code-routes.ts) is built from. */
import type { Logger } from 'pino';
import type { InboxService } from '../../app/inbox-service.js';
import type { SmsSender } from '../../channels/notify/index.js';
import type { AttemptCounter } from '../../storage/ports.js';
import type { ThrottleOptions } from '../attempt-throttle.js';

/** What the inbox needs. */
export interface InboxDeps {
  /** Opens letters by link, checks level 4, streams files, records reads. */
  readonly inbox: InboxService;
  readonly sms: SmsSender;
  readonly now: () => number;
  readonly log: Logger;
  /** Counts for the code and code-SMS throttles (shared by the nodes in cluster mode). */
  readonly attempts: AttemptCounter;
  /** Wrong one-time codes allowed per letter before a lock (default CODE_GUESSES, inbox-code-routes.ts). */
  readonly codeGuesses?: ThrottleOptions;
  /** Code SMS allowed per letter before a lock (default CODE_SMS, inbox-code-routes.ts). */
  readonly codeSms?: ThrottleOptions;
  /** Secure on the level-4 proof cookie whatever the request says (PUBLIC_URL is https: secureCookiesFor). */
  readonly secureCookies?: boolean;
}
