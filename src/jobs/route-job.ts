/**
 * Job `route` (docs/architecture.md step 5): chooses the channel of a letter accepted without
 * one (the compose job chooses it on acceptance when it can; see route-choice.ts): KRR for
 * persons, the receiving systems for organisations (matched by orgnr, forsendelseType and
 * security level), and records it with the reason in the history. KRR being unreachable
 * throws, so the job is retried with backoff.
 */
import type { JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';
import { chooseRoute } from './route-choice.js';

/** The route job handler. */
export function routeJob(deps: DeliveryDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined || state.status !== 'AKSEPTERT' || state.kanal !== undefined) return;
    // A letter whose receiving system gave it up for good is not offered to one again.
    const system =
      state.mottakFeiletPermanentAt === undefined ? await deps.mottakersystemer.forLetter(state.input) : undefined;
    const valg = await chooseRoute(state, system, await deps.config.getAvsender(state.avsender), deps.krr);
    await deps.actors.execute(id, { type: 'VelgKanal', at: deps.now(), ...valg });
  };
}
