/**
 * A postal address as the envelope window prints it (the cover, src/pdf/forside.ts), and as
 * the print provider's manifest gives it (docs/operations.md "Print provider"): each field on
 * one line, and no country for an address in Norway. The manifest copied the sender's text
 * as sent, so `"land": "Svalbard"` or `"NORGE"`, which the cover prints as a Norwegian address,
 * read as a foreign one to a provider that follows the docs, and a tab the cover prints as a
 * space stayed a tab (found in review).
 */
import type { PostAdresse } from './model.js';
import { namesNorway } from './validation/address-rules.js';

/** Line breaks and tabs in a row, which a field prints as one space. */
const BREAKS_AND_TABS = /[\t\n\v\f\r\u0085\u2028\u2029]+/gu;

/**
 * A field as one line: a tab (the font's tab is no space) and, in a letter stored before
 * intake refused them, a line break print as a space.
 */
export function oneLine(field: string | undefined): string {
  return (field ?? '').replace(BREAKS_AND_TABS, ' ').trim();
}

/** `adresse` as the envelope prints it: fields on one line, empty ones left out, and `land` only for an address abroad. */
export function envelopeAddress(adresse: PostAdresse): PostAdresse {
  const field = (value: string | undefined): string | undefined => {
    const line = oneLine(value);
    return line === '' ? undefined : line;
  };
  const optional = {
    adresse1: field(adresse.adresse1),
    adresse2: field(adresse.adresse2),
    adresse3: field(adresse.adresse3),
    postnr: field(adresse.postnr),
    poststed: field(adresse.poststed),
    // Read as the cover reads it: on one line first (trim() keeps U+0085).
    land: namesNorway(oneLine(adresse.land)) ? undefined : field(adresse.land),
  };
  return {
    navn: oneLine(adresse.navn),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}
