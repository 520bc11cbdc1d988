/** Form and list building blocks: labelled fields with their errors, error summary, pager. */
import type { Child } from 'hono/jsx';
import type { FieldProblem } from '../../../domain/errors.js';

/** Problems keyed by form field id. */
export type FieldErrors = ReadonlyMap<string, string>;

/** The field's error and the aria attributes tying the control to its hint and error. */
function fieldState(props: { id: string; hint?: string; errors?: FieldErrors }) {
  const error = props.errors?.get(props.id);
  const describedBy = [props.hint ? `${props.id}-hint` : '', error ? `${props.id}-feil` : '']
    .filter((s) => s !== '')
    .join(' ');
  return {
    error,
    aria: {
      'aria-invalid': error ? 'true' : undefined,
      'aria-describedby': describedBy === '' ? undefined : describedBy,
    },
  };
}

/** Label, hint and error around a form control (shared by text fields and text areas). */
function FieldFrame(props: {
  id: string;
  label: string;
  hint?: string;
  required?: boolean;
  error?: string;
  children?: Child;
}) {
  return (
    <div class={`felt${props.error ? ' felt-feil' : ''}`}>
      <label for={props.id}>
        {props.label}
        {props.required ? <span class="pakrevd"> (må fylles ut)</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="feiltekst" id={`${props.id}-feil`}>
          {props.error}
        </p>
      ) : null}
      {props.children}
    </div>
  );
}

/** A labelled text input with hint and error, wired with aria-describedby. */
export function TextField(props: {
  id: string;
  label: string;
  value?: string;
  type?: string;
  hint?: string;
  errors?: FieldErrors;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'email' | 'tel' | 'decimal';
  pattern?: string;
  maxlength?: number;
  size?: 'kort' | 'middels' | 'lang';
  name?: string;
  step?: string;
  min?: string;
}) {
  const { error, aria } = fieldState(props);
  return (
    <FieldFrame {...props} error={error}>
      <input
        id={props.id}
        name={props.name ?? props.id}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        class={props.size ? `bredde-${props.size}` : undefined}
        required={props.required}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        pattern={props.pattern}
        maxlength={props.maxlength}
        step={props.step}
        min={props.min}
        {...aria}
      />
    </FieldFrame>
  );
}

/** A labelled textarea with hint and error. */
export function TextArea(props: {
  id: string;
  label: string;
  value?: string;
  hint?: string;
  errors?: FieldErrors;
  rows?: number;
  required?: boolean;
  name?: string;
}) {
  const { error, aria } = fieldState(props);
  return (
    <FieldFrame {...props} error={error}>
      <textarea id={props.id} name={props.name ?? props.id} rows={props.rows ?? 4} required={props.required} {...aria}>
        {props.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

/** A labelled select. */
export function Select(props: {
  id: string;
  label: string;
  options: readonly { value: string; label: string }[];
  value?: string;
  errors?: FieldErrors;
  name?: string;
}) {
  const error = props.errors?.get(props.id);
  return (
    <div class={`felt${error ? ' felt-feil' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {error ? (
        <p class="feiltekst" id={`${props.id}-feil`}>
          {error}
        </p>
      ) : null}
      <select id={props.id} name={props.name ?? props.id} aria-describedby={error ? `${props.id}-feil` : undefined}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A checkbox with its label after it. */
export function Checkbox(props: {
  id: string;
  label: string;
  checked?: boolean;
  name?: string;
  value?: string;
  hint?: string;
}) {
  return (
    <div class="avkryss">
      <input
        type="checkbox"
        id={props.id}
        name={props.name ?? props.id}
        value={props.value ?? 'ja'}
        checked={props.checked}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** The error summary at the top of a form: focusable, each problem linking to its field. */
export function ErrorSummary(props: {
  problems: readonly FieldProblem[];
  fieldIdOf: (field: string) => string | undefined;
}) {
  if (props.problems.length === 0) return null;
  return (
    <div class="feiloppsummering" role="alert" tabindex={-1} id="feiloppsummering">
      <h2>Skjemaet har feil</h2>
      <ul>
        {props.problems.map((p) => {
          const id = props.fieldIdOf(p.field);
          return <li>{id === undefined ? p.message : <a href={`#${id}`}>{p.message}</a>}</li>;
        })}
      </ul>
    </div>
  );
}

/** Page links for a list of `total` items shown `limit` at a time. */
export function Pager(props: {
  total: number;
  limit: number;
  offset: number;
  href: (offset: number) => string;
  /** The next page's address where it is not `href(offset + limit)` (a list paged by cursor). */
  nextHref?: string;
}) {
  const { total, limit, offset } = props;
  if (total <= limit) return null;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.ceil(total / limit);
  return (
    <nav class="sider" aria-label="Sidevelger">
      {offset > 0 ? (
        <a href={props.href(Math.max(0, offset - limit))} rel="prev">
          ← Forrige side
        </a>
      ) : (
        <span aria-hidden="true" />
      )}
      <span>
        Side {page} av {pages}
      </span>
      {offset + limit < total ? (
        <a href={props.nextHref ?? props.href(offset + limit)} rel="next">
          Neste side →
        </a>
      ) : (
        <span aria-hidden="true" />
      )}
    </nav>
  );
}

/** A definition list of label/value rows. */
export function Facts(props: { rows: readonly (readonly [string, Child])[] }) {
  return (
    <dl class="fakta">
      {props.rows.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </>
      ))}
    </dl>
  );
}
