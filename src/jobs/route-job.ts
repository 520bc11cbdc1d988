/**
 * Job `route` (docs/architecture.md step 5): looks the recipient up in KRR (persons) or among the
 * receiving systems (organisations, matched by orgnr, forsendelseType and security level) and records the channel with the reason in the
 * history. KRR being unreachable throws, so the job is retried with backoff.
 */
import { chooseKanal } from '../domain/channel-choice.js';
import type { JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';

/** The route job handler. */
export function routeJob(deps: DeliveryDeps): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined || state.status !== 'AKSEPTERT' || state.kanal !== undefined) return;
    const digital = state.input.mottaker?.digitalAdresse;
    const krr = digital?.type === 'person' ? await deps.krr.lookup(digital.fnr) : undefined;
    // A letter whose receiving system gave it up for good is not offered to one again.
    const system =
      state.mottakFeiletPermanentAt === undefined ? await deps.mottakersystemer.forLetter(state.input) : undefined;
    const avsender = await deps.config.getAvsender(state.avsender);
    const valg = chooseKanal({
      input: state.input,
      krr,
      mottakersystem: system === undefined ? undefined : { id: system.id, navn: system.navn },
      organisasjonEpost: avsender?.varsling.organisasjonEpost,
    });
    await deps.actors.execute(id, {
      type: 'VelgKanal',
      at: deps.now(),
      kanal: valg.kanal,
      grunn: valg.reason,
      varsling: valg.varsling,
      mottakersystem: valg.mottakersystem,
    });
  };
}
