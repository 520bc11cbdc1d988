/** The manual send form. */
import { KEPT_FILES_FIELD } from '../kept-files.js';
import type { FieldProblem } from '../../../domain/errors.js';
import { BASE } from '../admin-context.js';
import { CSRF_FIELD } from '../csrf.js';
import { sendFieldIdOf, type SendValues } from '../send-form.js';
import { Checkbox, ErrorSummary, Select, TextField } from './components.js';
import { Layout, type PageCtx } from './layout.js';

/** The page. */
export function SendPage(props: {
  ctx: PageCtx;
  avsendere: readonly string[];
  values: SendValues;
  problems: readonly FieldProblem[];
  sendtId?: string;
  /** Files kept from the refused submit before: their names and the token that re-sends them. */
  beholdt?: { token: string; filnavn: readonly string[] };
}) {
  const v = props.values;
  const errors = new Map<string, string>();
  // Every problem next to its field (several for one field are joined).
  for (const p of props.problems) {
    const id = sendFieldIdOf(p.field);
    if (id !== undefined) errors.set(id, errors.has(id) ? `${errors.get(id)} ${p.message}` : p.message);
  }
  const fileError = errors.get('filer');
  const manager = props.ctx.user?.rolle !== 'sender-only';
  return (
    <Layout
      title="Send forsendelse"
      ctx={props.ctx}
      active="send"
      melding={props.sendtId === undefined ? undefined : `Forsendelsen er mottatt med id ${props.sendtId}.`}
    >
      {props.sendtId !== undefined && manager && (
        <p>
          <a href={`${BASE}/forsendelser/${props.sendtId}`}>Se forsendelsen</a>
        </p>
      )}
      <p>
        Brevet går samme vei som brev fra fagsystemene: forside lages, kanal velges (digitalt når mottakeren kan ta imot
        digitalt, ellers papir), og mottakeren varsles.
      </p>
      {props.avsendere.length === 0 ? (
        <p class="melding melding-feil" role="alert">
          Du har ikke tilgang til noen avsender. Kontakt administratoren.
        </p>
      ) : (
        <form
          method="post"
          action={`${BASE}/send?${CSRF_FIELD}=${encodeURIComponent(props.ctx.csrf)}`}
          enctype="multipart/form-data"
          novalidate
        >
          <ErrorSummary problems={props.problems} fieldIdOf={sendFieldIdOf} />
          {props.avsendere.length === 1 ? (
            <p>
              Sendes som avsender <strong>{props.avsendere[0]}</strong>.
              <input type="hidden" name="avsender" value={props.avsendere[0]} />
            </p>
          ) : (
            <Select
              id="avsender"
              label="Avsender"
              value={v.avsender}
              options={props.avsendere.map((a) => ({ value: a, label: a }))}
              errors={errors}
            />
          )}
          <fieldset>
            <legend>Mottaker</legend>
            <TextField
              id="mottakerId"
              label="Fødselsnummer eller organisasjonsnummer"
              hint="11 siffer for en person, 9 for en virksomhet. La feltet stå tomt for å sende kun på papir."
              value={v.mottakerId}
              errors={errors}
              inputmode="numeric"
              size="middels"
              autocomplete="off"
            />
            <TextField id="navn" label="Navn" value={v.navn} errors={errors} required autocomplete="off" />
            <TextField id="adresse1" label="Adresselinje 1" value={v.adresse1} errors={errors} autocomplete="off" />
            <TextField id="adresse2" label="Adresselinje 2" value={v.adresse2} errors={errors} autocomplete="off" />
            <TextField id="adresse3" label="Adresselinje 3" value={v.adresse3} errors={errors} autocomplete="off" />
            <div class="rad">
              <TextField
                id="postnr"
                label="Postnummer"
                value={v.postnr}
                errors={errors}
                inputmode="numeric"
                size="kort"
                autocomplete="off"
              />
              <TextField id="poststed" label="Poststed" value={v.poststed} errors={errors} autocomplete="off" />
              <TextField
                id="land"
                label="Land"
                hint="Tomt for Norge"
                value={v.land}
                errors={errors}
                autocomplete="off"
              />
            </div>
          </fieldset>
          <fieldset>
            <legend>Brevet</legend>
            <TextField
              id="tittel"
              label="Tittel"
              value={v.tittel}
              errors={errors}
              required
              hint="Vises for mottakeren og på forsiden."
            />
            <div class={`felt${fileError ? ' felt-feil' : ''}`}>
              <label for="filer">Dokumenter (PDF)</label>
              <p class="hint" id="filer-hint">
                Velg én eller flere PDF-filer. Den første blir hoveddokumentet.
              </p>
              {fileError && (
                <p class="feiltekst" id="filer-feil">
                  {fileError}
                </p>
              )}
              {props.beholdt !== undefined && (
                <div class="beholdt" id="beholdte-filer">
                  <input type="hidden" name={KEPT_FILES_FIELD} value={props.beholdt.token} />
                  <p>
                    Valgte filer (beholdes, du trenger ikke velge dem på nytt):{' '}
                    <strong>{props.beholdt.filnavn.join(', ')}</strong>. Velg nye filer bare hvis du vil bytte dem ut.
                  </p>
                </div>
              )}
              <input
                id="filer"
                name="filer"
                type="file"
                accept="application/pdf,.pdf"
                multiple
                aria-describedby={fileError ? 'filer-hint filer-feil' : 'filer-hint'}
                aria-invalid={fileError ? 'true' : undefined}
              />
            </div>
            <div class="rad">
              <TextField
                id="eksternref"
                label="Ekstern referanse (valgfritt)"
                value={v.eksternref}
                errors={errors}
                hint="F.eks. saksnummer"
              />
              <TextField
                id="konteringskode"
                label="Konteringskode (valgfritt)"
                value={v.konteringskode}
                errors={errors}
                hint="Brukes i statistikk og faktura"
              />
            </div>
            <Checkbox
              id="taushetsbelagtPost"
              label="Taushetsbelagt post"
              checked={v.taushetsbelagtPost !== undefined}
              hint="Tittelen vises ikke i varselet."
            />
            <Checkbox
              id="kunDigitalLevering"
              label="Kun digital levering (sendes aldri på papir)"
              checked={v.kunDigitalLevering !== undefined}
            />
          </fieldset>
          <fieldset>
            <legend>Utskrift (hvis brevet går på papir)</legend>
            <Select
              id="brevtype"
              label="Brevtype"
              value={v.brevtype ?? 'BPOST'}
              options={[
                { value: 'BPOST', label: 'B-post (økonomi)' },
                { value: 'APOST', label: 'A-post (prioritert)' },
              ]}
            />
            <Checkbox id="tosidig" label="Tosidig utskrift" checked={v.tosidig !== undefined} />
            <Checkbox id="fargePrint" label="Fargeutskrift" checked={v.fargePrint !== undefined} />
          </fieldset>
          <button type="submit">Send forsendelse</button>
        </form>
      )}
    </Layout>
  );
}
