/**
 * Lenient reading of scalar values from the Body (docs/interfaces.md §5, §15 point 4): a missing
 * "required" boolean is false, `0`/`1` are booleans too (SOAP::Lite), blanks around
 * values are ignored, `xsi:nil` means absent. What cannot be read at all is collected
 * as a problem naming the field, so the caller hears about every one at once.
 */
import { ValidationError, type FieldProblem } from '../../domain/errors.js';
import { tryParseXsdDateTime } from '../../domain/time/index.js';
import { child, elementPath, type XmlElement } from './xml-element.js';

/** Reads scalars under one element and remembers what was unreadable. */
export class Binder {
  readonly problems: FieldProblem[] = [];

  /**
   * Text of child `name`, undefined when absent, nil or empty. A value with elements inside
   * (`<tittel>Vedtak <b>om</b> plass</tittel>`) is a problem: its text would be read without
   * the elements' text, and the letter stored with a title the sender did not write.
   */
  str(el: XmlElement | undefined, name: string): string | undefined {
    return this.textOf(child(el, name));
  }

  /** The text of `el` itself, as `str` reads a child's (a list entry such as `giroarkSider`). */
  textOf(el: XmlElement | undefined): string | undefined {
    if (el === undefined || el.nil) return undefined;
    const inner = el.children[0];
    if (inner !== undefined) {
      this.problem(elementPath(el), 'Ugyldig verdi', `kan ikke inneholde elementer (fant «${inner.local}»)`);
      return undefined;
    }
    return el.text === '' ? undefined : el.text;
  }

  /**
   * Whether `el`, an element of a complex type, is there (not absent, not nil). Text in it is
   * a problem: `<digitalAdresse>01019000083</digitalAdresse>` holds no `fnr` element, and was
   * read as a recipient without one, who then got the letter on paper (found in review).
   */
  structure(el: XmlElement | undefined): el is XmlElement {
    if (el === undefined || el.nil) return false;
    const text = el.text.trim();
    if (text !== '')
      this.problem(elementPath(el), 'Ugyldig verdi', `skal inneholde elementer, ikke tekst (fant ${quote(text)})`);
    return true;
  }

  /** Text of child `name` without surrounding blanks; undefined when absent or blank. */
  token(el: XmlElement | undefined, name: string): string | undefined {
    const s = this.str(el, name)?.trim();
    return s === '' ? undefined : s;
  }

  /** xs:boolean; absent, nil or empty is false. */
  bool(el: XmlElement | undefined, name: string, path: string): boolean {
    const s = this.token(el, name);
    if (s === undefined) return false;
    const v = s.toLowerCase();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    this.problem(path, 'Ugyldig verdi', `må være true eller false (fikk ${quote(s)})`);
    return false;
  }

  /** xs:int; absent, nil or empty is undefined. */
  int(el: XmlElement | undefined, name: string, path: string): number | undefined {
    return this.intValue(this.token(el, name), path);
  }

  /** xs:int from a text already read; undefined stays undefined. */
  intValue(text: string | undefined, path: string): number | undefined {
    const s = text?.trim();
    if (s === undefined || s === '') return undefined;
    if (/^[+-]?\d{1,10}$/.test(s)) {
      const n = Number(s);
      if (n >= -2147483648 && n <= 2147483647) return n;
    }
    this.problem(path, 'Ugyldig verdi', `må være et heltall (fikk ${quote(s)})`);
    return undefined;
  }

  /** xs:dateTime as epoch ms (no offset = Oslo time); absent, nil or empty is undefined. */
  dateTime(el: XmlElement | undefined, name: string, path: string): number | undefined {
    const s = this.token(el, name);
    if (s === undefined) return undefined;
    const ms = tryParseXsdDateTime(s);
    if (ms === undefined) {
      this.problem(
        path,
        'Ugyldig dato/tid',
        `må være en xsd:dateTime som 2018-01-01T12:00:00.000+01:00 (fikk ${quote(s)})`,
      );
    }
    return ms;
  }

  /** One of `values`; absent, nil or empty is undefined. */
  oneOf<T extends string>(el: XmlElement | undefined, name: string, path: string, values: readonly T[]): T | undefined {
    const s = this.token(el, name);
    if (s === undefined) return undefined;
    const found = values.find((v) => v === s.toUpperCase());
    if (found === undefined)
      this.problem(path, 'Ugyldig verdi', `må være en av ${values.join(', ')} (fikk ${quote(s)})`);
    return found;
  }

  /** Records a problem as "<reason>: <field> <explanation>" like the domain validation. */
  problem(field: string, reason: string, explanation: string): void {
    this.problems.push({ field, message: `${reason}: ${field} ${explanation}` });
  }

  /** Throws ValidationError if anything was unreadable. */
  check(): void {
    if (this.problems.length > 0) throw new ValidationError(this.problems);
  }
}

/** What `read` reads with a fresh Binder, or ValidationError for what it found unreadable. */
export function checked<T>(read: (b: Binder) => T): T {
  const b = new Binder();
  const value = read(b);
  b.check();
  return value;
}

/** Quotes a caller's value in a message, shortened. */
export function quote(s: string): string {
  return `«${s.length > 60 ? `${s.slice(0, 57)}...` : s}»`;
}
