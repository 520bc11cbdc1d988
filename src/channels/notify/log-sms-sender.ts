/**
 * The embedded default without SMS_URL: each SMS becomes a small text file in
 * DATA_DIR/outbox next to the .eml files, written atomically, so a newcomer sees what the
 * recipient would have received.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { outboxName } from './outbox-email-sender.js';
import type { SmsMessage, SmsSender } from './sms-sender.js';

/** What was written, for a log line. */
export interface SmsWritten {
  readonly file: string;
  readonly to: string;
  readonly text: string;
}

/** Writes SMS to `<dir>/<id>.sms.txt` instead of sending them. */
export class LogSmsSender implements SmsSender {
  constructor(
    readonly dir: string,
    private readonly options: { readonly onWritten?: (written: SmsWritten) => void } = {},
  ) {}

  /** Writes `Til:`, `Dato:` and the text; a message with an id replaces its own file on a retry. */
  async send(msg: SmsMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${outboxName(msg.id)}.sms.txt`);
    await writeFileAtomic(file, `Til: ${msg.to}\nDato: ${new Date().toISOString()}\n\n${msg.text}\n`);
    this.options.onWritten?.({ file, to: msg.to, text: msg.text });
  }
}
