/** The letters' work policy from the settings (src/domain/pending-work.ts): for the worker part and the admin web. */
import type { Settings } from '../config/schema.js';
import type { WorkPolicy } from '../domain/pending-work.js';
import { addIsoDuration, parseIsoDuration } from '../domain/time/index.js';

/** The work policy from the settings. */
export function workPolicy(settings: Settings): WorkPolicy {
  const retention = parseIsoDuration(settings.RETENTION);
  const reminder = settings.REMINDER_BEFORE === undefined ? undefined : parseIsoDuration(settings.REMINDER_BEFORE);
  return {
    purgeAt: (sentAt) => addIsoDuration(sentAt, retention),
    reminderBeforeMs: reminder === undefined ? undefined : addIsoDuration(0, reminder),
  };
}
