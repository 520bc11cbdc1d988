/**
 * saxes' error messages in Norwegian. Faults are read by end users (docs/interfaces.md §14), and saxes
 * writes `line:column: message` in English; the position is kept, the message translated.
 * A message not listed (a newer saxes) gets a generic Norwegian text, never the English.
 */

type Translation = readonly [RegExp, (m: RegExpExecArray) => string];

const q = (s: string | undefined): string => `«${s ?? ''}»`;

/** saxes 6's messages (each `fail(…)` in saxes.js), most frequent first. */
const TRANSLATIONS: readonly Translation[] = [
  [/^undefined entity\.$/, () => 'ukjent entitet (bare &amp; &lt; &gt; &quot; &apos; og tegnreferanser er tillatt)'],
  [/^unexpected end\.$/, () => 'meldingen slutter før XML-en er ferdig'],
  [/^unclosed tag: (.*)$/s, (m) => `elementet ${q(m[1])} er ikke lukket`],
  [/^unmatched closing tag: (.*)\.$/s, (m) => `sluttaggen ${q(m[1])} passer ikke til elementet som er åpent`],
  [/^unexpected close tag\.$/, () => 'uventet sluttagg'],
  [/^documents may contain only one root\.$/, () => 'dokumentet kan bare ha ett rotelement'],
  [/^document must contain a root element\.$/, () => 'dokumentet mangler rotelement'],
  [/^text data outside of root node\.$/, () => 'tekst utenfor rotelementet'],
  [/^unbound namespace prefix: "(.*)"\.$/s, (m) => `prefikset ${q(m[1])} er ikke bundet til noe navnerom`],
  [/^duplicate attribute: (.*)\.$/s, (m) => `attributtet ${q(m[1])} forekommer mer enn én gang`],
  [/^malformed character entity\.$/, () => 'ugyldig tegnreferanse'],
  [/^disallowed character in entity name\.$/, () => 'ugyldig tegn i entitetsnavn'],
  [/^empty entity name\.$/, () => 'tomt entitetsnavn'],
  [/^malformed name: (.*)\.$/s, (m) => `ugyldig navn ${q(m[1])}`],
  [/^disallowed character in tag name\.?$/, () => 'ugyldig tegn i elementnavn'],
  [/^disallowed character in closing tag\.$/, () => 'ugyldig tegn i sluttagg'],
  [/^disallowed character in attribute name\.$/, () => 'ugyldig tegn i attributtnavn'],
  [
    /^disallowed character in processing instruction name\.$/,
    () => 'ugyldig tegn i navnet på en prosesseringsinstruksjon',
  ],
  [/^disallowed character\.$/, () => 'tegn som ikke er tillatt i XML'],
  [/^(attribute without value|value required)\.$/, () => 'attributt uten verdi'],
  [/^(unquoted attribute value|value must be quoted)\.$/, () => 'attributtverdien må stå i anførselstegn'],
  [/^no whitespace between attributes\.$/, () => 'mangler mellomrom mellom attributtene'],
  [/^forward-slash in opening tag not followed by >\.$/, () => 'skråstrek i en starttagg uten > rett etter'],
  [/^weird empty close tag\.$/, () => 'tom sluttagg'],
  [/^malformed comment\.$/, () => 'ugyldig kommentar'],
  [/^the string "\]\]>" is disallowed in char data\.$/, () => 'teksten «]]>» er ikke tillatt i tekstinnhold'],
  [/^processing instruction without a target\.$/, () => 'prosesseringsinstruksjon uten navn'],
  [/^processing instructions are not allowed before root\.$/, () => 'prosesseringsinstruksjon før rotelementet'],
  [
    /^(an|the) XML declaration must (be|appear) at the start of the document\.$/,
    () => 'XML-deklarasjonen må stå helt først',
  ],
  [/^inappropriately located doctype declaration\.$/, () => 'DOCTYPE på feil sted'],
  [
    /XML declaration|standalone value|version number must match|name\/value pairs|^expected (one of|the name)/,
    () => 'ugyldig XML-deklarasjon',
  ],
  [/^whitespace required\.$/, () => 'mangler mellomrom'],
  [/^incorrect syntax\.$/, () => 'ugyldig syntaks'],
  [/prefix|namespace|the URI/, () => 'ugyldig bruk av navnerom'],
];

/** saxes reports `line:column: message`; the Norwegian text with the position as "(linje L, kolonne C)". */
export function saxesMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(text);
  const detail = translate(m?.[3] ?? text);
  return m ? `${detail} (linje ${m[1] ?? '?'}, kolonne ${m[2] ?? '?'})` : detail;
}

/** The Norwegian text of one saxes message. */
function translate(message: string): string {
  for (const [pattern, say] of TRANSLATIONS) {
    const hit = pattern.exec(message);
    if (hit) return say(hit);
  }
  return 'XML-en kan ikke leses';
}
