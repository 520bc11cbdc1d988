/** What the delivery jobs (route, notify, reminder, deadline, print, purge) need. */
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { InboxLinks } from '../app/inbox-links.js';
import type { LetterFiles } from '../app/letter-files.js';
import type { ContactRegister } from '../channels/krr/index.js';
import type { EmailSender, SmsSender } from '../channels/notify/index.js';
import type { PrintProviders } from '../channels/print/index.js';
import type { MottakersystemService } from '../app/mottakersystemer.js';
import type { BlobStore, ConfigStore } from '../storage/ports.js';

export interface DeliveryDeps {
  readonly actors: ForsendelseActors;
  readonly blobs: BlobStore;
  /** Stored files as plaintext (encrypted letters' files are kept encrypted). */
  readonly files: LetterFiles;
  readonly config: ConfigStore;
  readonly krr: ContactRegister;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly printProviders: PrintProviders;
  readonly links: InboxLinks;
  /** The receiving system (SvarInn) that takes an organisation letter, if any. */
  readonly mottakersystemer: Pick<MottakersystemService, 'forLetter'>;
  readonly publicUrl: () => string;
  readonly from: string;
  readonly now: () => number;
  /** The print deadline of a letter notified at `notifiedAt` (two business days, or PRINT_FALLBACK_AFTER). */
  readonly printDeadline: (notifiedAt: number) => number;
  /** How long a notification link works. */
  readonly linkExpiry: (notifiedAt: number) => number;
}
