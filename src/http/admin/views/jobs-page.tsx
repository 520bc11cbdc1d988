/** The failed-jobs page: counts, failed jobs with error, letter and actions, and the waiting ones. */
import type { JobOverview, JobRow } from '../../../app/admin/job-admin.js';
import { BASE } from '../admin-context.js';
import { tid, varighet } from './format.js';
import { CsrfField, Layout, type PageCtx } from './layout.js';

/** Norwegian names of the job types (src/jobs/registry.ts). */
export const JOBBTYPE_TEKST: Readonly<Record<string, string>> = {
  compose: 'Sette sammen printfil',
  route: 'Velge kanal',
  notify: 'Varsle mottaker',
  reminder: 'Påminnelse',
  deadline: 'Frist for lesing',
  print: 'Sende til print',
  purge: 'Slette dokumenter',
};

function Forsendelse(props: { job: JobRow }) {
  const id = props.job.forsendelseId;
  return id === undefined ? <span>–</span> : <a href={`${BASE}/forsendelser/${id}`}>{id.slice(0, 8)}…</a>;
}

function Actions(props: { job: JobRow; csrf: string }) {
  return (
    <div class="knapper">
      <form method="post" action={`${BASE}/jobber/prov-igjen`}>
        <CsrfField csrf={props.csrf} />
        <input type="hidden" name="id" value={props.job.id} />
        <button type="submit">Prøv igjen</button>
      </form>
      <form
        method="post"
        action={`${BASE}/jobber/forkast`}
        data-bekreft="Jobben fjernes for godt og kjøres ikke igjen. Forkaste den?"
      >
        <CsrfField csrf={props.csrf} />
        <input type="hidden" name="id" value={props.job.id} />
        <button type="submit" class="sekundar">
          Forkast
        </button>
      </form>
    </div>
  );
}

/** Jobs waiting to run: since when (or, for retries, when next) and their last error. */
function WaitingTable(props: { id: string; caption: string; jobs: readonly JobRow[]; now: number; due?: boolean }) {
  return (
    <div class="tabell">
      <table id={props.id}>
        <caption class="visuelt-skjult">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.due === true ? 'Neste forsøk' : 'Klar siden'}</th>
            <th scope="col">{props.due === true ? 'Om' : 'Ventet'}</th>
            <th scope="col">Jobb</th>
            <th scope="col">Forsendelse</th>
            <th scope="col">Forsøk</th>
            <th scope="col">Siste feil</th>
          </tr>
        </thead>
        <tbody>
          {props.jobs.map((job) => (
            <tr>
              <td class="tid">{tid(job.at)}</td>
              <td>{varighet(Math.abs(props.now - job.at))}</td>
              <td>
                {JOBBTYPE_TEKST[job.type] ?? job.type}
                <div class="hint">{job.id}</div>
              </td>
              <td>
                <Forsendelse job={job} />
              </td>
              <td>{`${job.attempts} av ${job.maxAttempts}`}</td>
              <td class="jobbfeil">{job.lastError ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Says that a list shows only part of its jobs (it said nothing: found in review). */
function Utvalg(props: { vist: number; av: number; hva: string }) {
  if (props.av <= props.vist) return <></>;
  return <p class="hint">{`Viser ${props.hva} ${props.vist} av ${props.av}.`}</p>;
}

/** The page. */
export function JobsPage(props: { ctx: PageCtx; overview: JobOverview; melding?: string; now?: number }) {
  const { counts, failed, waiting, retrying } = props.overview;
  const now = props.now ?? Date.now();
  return (
    <Layout title="Jobber" ctx={props.ctx} active="jobber">
      <div id="melding" tabindex={-1}>
        {props.melding !== undefined && (
          <div class="melding melding-ok" role="status">
            {props.melding}
          </div>
        )}
      </div>
      <p>
        Bakgrunnsarbeid for forsendelsene: varsling, print, frister og sletting. En jobb som har brukt opp forsøkene
        sine står som feilet til noen prøver den igjen eller forkaster den.
      </p>
      <p role="status" id="jobbtall">
        {`Feilet: ${counts.failed} · Venter: ${counts.waiting} · Planlagt: ${counts.delayed} · Kjører: ${counts.active}`}
      </p>
      <h2>Feilede jobber</h2>
      {failed.length === 0 ? (
        <p id="ingen-feilet">Ingen feilede jobber.</p>
      ) : (
        <>
          <Utvalg vist={failed.length} av={counts.failed} hva="de nyeste" />
          {counts.failed > 1 && (
            <form
              method="post"
              action={`${BASE}/jobber/prov-alle-igjen`}
              data-bekreft={`Alle ${counts.failed} feilede jobber legges tilbake i køen og kjøres straks. Fortsette?`}
            >
              <CsrfField csrf={props.ctx.csrf} />
              <button type="submit">{`Prøv alle ${counts.failed} igjen`}</button>
            </form>
          )}
        </>
      )}
      {failed.length > 0 && (
        <div class="tabell">
          <table id="feilede">
            <caption class="visuelt-skjult">Feilede jobber, nyeste først</caption>
            <thead>
              <tr>
                <th scope="col">Feilet</th>
                <th scope="col">Jobb</th>
                <th scope="col">Forsendelse</th>
                <th scope="col">Forsøk</th>
                <th scope="col">Feil</th>
                <th scope="col">Handling</th>
              </tr>
            </thead>
            <tbody>
              {failed.map((job) => (
                <tr>
                  <td class="tid">{tid(job.at)}</td>
                  <td>
                    {JOBBTYPE_TEKST[job.type] ?? job.type}
                    <div class="hint">{job.id}</div>
                  </td>
                  <td>
                    <Forsendelse job={job} />
                  </td>
                  <td>{`${job.attempts} av ${job.maxAttempts}`}</td>
                  <td class="jobbfeil">{job.lastError ?? '–'}</td>
                  <td>
                    <Actions job={job} csrf={props.ctx.csrf} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Prøver igjen</h2>
      {retrying.length === 0 ? (
        <p id="ingen-prover-igjen">Ingen jobber venter på et nytt forsøk.</p>
      ) : (
        <WaitingTable id="prover-igjen" caption="Jobber som feilet og prøves igjen" jobs={retrying} now={now} due />
      )}
      <h2>Ventende jobber</h2>
      {waiting.length === 0 ? (
        <p id="ingen-ventende">Ingen jobber venter.</p>
      ) : (
        <>
          <Utvalg vist={waiting.length} av={counts.waiting} hva="de som har ventet lengst" />
          <WaitingTable
            id="ventende"
            caption="Ventende jobber, den som har ventet lengst først"
            jobs={waiting}
            now={now}
          />
        </>
      )}
    </Layout>
  );
}
