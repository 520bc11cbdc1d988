/** The payload every forsendelse job carries, checked with zod (docs/architecture.md, conventions: one zod-checked payload per job). */
import { z } from 'zod';
import { PermanentJobError, type Json } from '../storage/ports.js';

const forsendelseJobPayload = z.object({ forsendelseId: z.string().uuid() });

/** The forsendelse id of a job's payload; a malformed payload fails the job for good. */
export function forsendelseIdOf(payload: Json): string {
  const parsed = forsendelseJobPayload.safeParse(payload);
  if (!parsed.success) throw new PermanentJobError(`Ugyldig jobbdata: ${parsed.error.message}`);
  return parsed.data.forsendelseId;
}
