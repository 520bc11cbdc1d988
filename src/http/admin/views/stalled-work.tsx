/**
 * A letter's work that has not gone through (JobAdmin.stalledWork): what the letter waits
 * for, the error of its last try and when it runs next, or that it failed for good and an
 * administrator can run it again under "Jobber". Shown on the letter's page only while there
 * is such work: a clerk asked why a letter has not moved sees it there.
 */
import type { JobRow } from '../../../app/admin/job-admin.js';
import { BASE } from '../admin-context.js';
import { tid } from './format.js';

/** What each kind of work does, as a clerk would say it. */
const ARBEID: Readonly<Record<string, string>> = {
  compose: 'Lage forsendelsesfilen og velge kanal',
  route: 'Velge kanal (Kontakt- og reservasjonsregisteret)',
  notify: 'Varsle mottakeren',
  reminder: 'Påminnelse til mottakeren',
  deadline: 'Lesefristen',
  print: 'Sende til print',
  purge: 'Slette dokumentene',
};

/** The section, or nothing when all the letter's work goes through. */
export function StalledWork(props: { rows: readonly JobRow[] }) {
  if (props.rows.length === 0) return <></>;
  return (
    <section aria-labelledby="h-venter">
      <h2 id="h-venter">Venter på nytt forsøk</h2>
      <ul>
        {props.rows.map((j) => (
          <li>
            <strong>{ARBEID[j.type] ?? j.type}</strong>:{' '}
            {j.state === 'failed'
              ? `feilet for godt ${tid(j.at)} etter ${j.attempts} forsøk`
              : `forsøk ${j.attempts} av ${j.maxAttempts} feilet; neste forsøk ${tid(j.at)}`}
            {j.lastError !== undefined && <> – {j.lastError}</>}
            {j.state === 'failed' && (
              <>
                {' '}
                (<a href={`${BASE}/jobber`}>en administrator kan prøve igjen under Jobber</a>)
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
