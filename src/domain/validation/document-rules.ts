/**
 * Rules for the declared documents (docs/interfaces.md §8 "Files"): at least one, file names short,
 * without folders or reserved characters and unique ignoring case, PDF when printed.
 */
import type { FieldProblem } from '../errors.js';
import type { DokumentSpec, MetadataEntry } from '../model.js';
import { TEXT_LIMITS } from './length-rules.js';
import { codePoint, isBlank, problem, quote } from './problem.js';

/** Longest file name the real service accepts (docs/interfaces.md §8). */
export const MAX_FILNAVN_LENGTH = 226;

/**
 * A media type as HTTP writes it (RFC 9110 §8.3.1): type "/" subtype, then optional
 * `; name=value` parameters (value a token or a quoted string). No control characters
 * anywhere: the value is sent back as a Content-Type header on every download.
 */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(
  `^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*"))*[ \\t]*$`,
);

/** True when `mimetype` is a well-formed media type (RFC 9110), e.g. `application/pdf; x=y`. */
export function isMediaType(mimetype: string): boolean {
  return MEDIA_TYPE.test(mimetype);
}

// A folder separator (rejected since 2015-01) or a character Windows cannot store.
const FORBIDDEN_FILNAVN_CHARS = /["<>?*|:\\/]/;

/**
 * Characters a file name may not hold, beyond the control characters refused in every text:
 * tab and line breaks, C1 controls, the bidirectional formatting characters, with which
 * "faktura\u202Efdp.exe" shows as "fakturaexe.pdf" in the archive or the recipient's downloads,
 * and the invisible ones (zero width space, joiners, word joiner, byte order mark), with which
 * two names that look the same are different files (found in a review).
 */
const INVISIBLE_FILNAVN_CHARS = /[\t\r\n\u0080-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;

/** True when the MIME type names PDF, ignoring case and parameters (`application/PDF; x=y`). */
export function isPdfMimetype(mimetype: string): boolean {
  return (mimetype.split(';')[0] ?? '').trim().toLowerCase() === 'application/pdf';
}

/** True when the document is part of the printed letter: the forsendelse may be printed and the document is not excluded. */
export function goesToPrint(dokument: DokumentSpec, kunDigitalLevering: boolean): boolean {
  return !kunDigitalLevering && !dokument.ekskluderesFraPrint;
}

/** Problems of the document list as a whole and of each document. */
export function dokumenterProblems(dokumenter: readonly DokumentSpec[], kunDigitalLevering: boolean): FieldProblem[] {
  if (dokumenter.length === 0) {
    return [problem('dokumenter', 'Mangler dokumenter', 'må inneholde minst ett dokument')];
  }
  const problems: FieldProblem[] = [];
  // A letter that may go on paper with every document left out of print would reach its
  // recipient as a cover page in an envelope (found in review): refused at intake.
  if (!kunDigitalLevering && !dokumenter.some((d) => goesToPrint(d, kunDigitalLevering))) {
    problems.push(
      problem(
        'dokumenter',
        'Ingenting å skrive ut',
        'har bare dokumenter med ekskluderesFraPrint, men forsendelsen kan sendes på papir: ta med minst ett dokument i utskriften, eller sett kunDigitalLevering',
      ),
    );
  }
  // Case-insensitive per the V10 docs; remembers the first index that used each name.
  const firstUse = new Map<string, number>();
  dokumenter.forEach((dokument, i) => {
    const path = `dokumenter[${i}]`;
    problems.push(...filnavnProblems(dokument.filnavn, `${path}.filnavn`));
    const key = dokument.filnavn.toLowerCase();
    const earlier = firstUse.get(key);
    if (isBlank(dokument.filnavn)) {
      // Already reported as missing; two blank names are not also a clash.
    } else if (earlier === undefined) {
      firstUse.set(key, i);
    } else {
      problems.push(
        problem(
          `${path}.filnavn`,
          'Filnavn ikke unikt',
          `${quote(dokument.filnavn)} er allerede brukt av dokumenter[${earlier}] (store og små bokstaver regnes som like)`,
        ),
      );
    }
    if (isBlank(dokument.mimetype)) {
      problems.push(problem(`${path}.mimetype`, 'Mangler mimetype', 'må fylles ut'));
    } else if (dokument.mimetype.length > TEXT_LIMITS.mimetype) {
      problems.push(
        problem(
          `${path}.mimetype`,
          'For lang tekst',
          `kan ha høyst ${TEXT_LIMITS.mimetype} tegn (har ${dokument.mimetype.length})`,
        ),
      );
    } else if (!isMediaType(dokument.mimetype)) {
      problems.push(
        problem(
          `${path}.mimetype`,
          'Ugyldig mimetype',
          `må være en medietype som type/undertype, uten kontrolltegn (fikk ${quote(JSON.stringify(dokument.mimetype))})`,
        ),
      );
    } else if (goesToPrint(dokument, kunDigitalLevering) && !isPdfMimetype(dokument.mimetype)) {
      problems.push(
        problem(
          `${path}.mimetype`,
          'Ugyldig mimetype',
          `må være application/pdf for dokumenter som kan sendes på papir (fikk ${quote(dokument.mimetype)}); ` +
            'sett ekskluderesFraPrint eller kunDigitalLevering for andre filtyper',
        ),
      );
    }
    problems.push(...ekstraMetadataProblems(dokument.ekstraMetadata, `${path}.ekstraMetadata`));
  });
  return problems;
}

/** Problems of one file name at `path`. */
export function filnavnProblems(filnavn: string, path: string): FieldProblem[] {
  if (isBlank(filnavn)) return [problem(path, 'Mangler filnavn', 'må fylles ut')];
  const problems: FieldProblem[] = [];
  if (filnavn.length > MAX_FILNAVN_LENGTH) {
    problems.push(
      problem(path, 'For langt filnavn', `kan ha høyst ${MAX_FILNAVN_LENGTH} tegn (har ${filnavn.length})`),
    );
  }
  if (/^[\s.]+$/.test(filnavn)) {
    // "." and ".." name folders in every file system the letter is saved to.
    problems.push(problem(path, 'Ugyldig filnavn', `kan ikke bestå av bare punktum (fikk ${quote(filnavn)})`));
  }
  const invisible = INVISIBLE_FILNAVN_CHARS.exec(filnavn)?.[0];
  if (invisible !== undefined) {
    const code = codePoint(invisible);
    problems.push(
      problem(
        path,
        'Ugyldig filnavn',
        `kan ikke inneholde tegnet ${code} (linjeskift, tabulator, kontroll- eller retningstegn)`,
      ),
    );
  }
  if (FORBIDDEN_FILNAVN_CHARS.test(filnavn)) {
    problems.push(
      problem(
        path,
        'Ugyldig filnavn',
        `kan ikke inneholde mappe eller noen av tegnene " < > ? * | : \\ / (fikk ${quote(filnavn)})`,
      ),
    );
  }
  return problems;
}

/** Problems of a list of Noark extra metadata at `path`: keys must be unique (docs/interfaces.md §5 entry, §8). */
export function ekstraMetadataProblems(entries: readonly MetadataEntry[], path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const firstUse = new Map<string, number>();
  entries.forEach((entry, i) => {
    // An entry is found by its key (REST v1's schema requires it): one without it names nothing.
    if (isBlank(entry.key)) {
      problems.push(problem(`${path}[${i}].key`, 'Mangler metadatanøkkel', 'må fylles ut'));
      return;
    }
    const earlier = firstUse.get(entry.key);
    if (earlier === undefined) {
      firstUse.set(entry.key, i);
    } else {
      problems.push(
        problem(
          `${path}[${i}].key`,
          'Metadatanøkkel ikke unik',
          `${quote(entry.key)} er allerede brukt av ${path}[${earlier}]`,
        ),
      );
    }
  });
  return problems;
}
