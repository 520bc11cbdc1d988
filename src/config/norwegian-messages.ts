/**
 * Plain Norwegian for the settings' validation messages. zod's own Norwegian locale names
 * types in English ("forventet number til å ha >=1", "forventet int, fikk tall"); an
 * operator reading a start-up error should see what to write instead. Issues not covered
 * here fall back to that locale; messages set in the schema win over both.
 */
import { z } from 'zod';

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'et helt tall',
  number: 'et tall',
  string: 'en tekst',
  array: 'en JSON-liste',
  object: 'et JSON-objekt',
  boolean: 'true eller false',
};

/** The message for one settings issue, or undefined to use zod's Norwegian locale. */
function message(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'mangler';
      return TYPE_NAMES[issue.expected] === undefined ? undefined : `må være ${TYPE_NAMES[issue.expected]}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'kan ikke være tom' : `må være minst ${min} tegn`;
      if (issue.origin === 'number') return `må være minst ${issue.inclusive === false ? `større enn ${min}` : min}`;
      if (issue.origin === 'array') return `må ha minst ${min} element`;
      return undefined;
    }
    case 'too_big':
      if (issue.origin === 'number') return `kan være høyst ${Number(issue.maximum)}`;
      if (issue.origin === 'string') return `kan være høyst ${Number(issue.maximum)} tegn`;
      return undefined;
    case 'invalid_value':
      return `må være en av ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'regex')
        return `har feil form (må passe ${String((issue as { pattern?: unknown }).pattern)})`;
      return undefined;
    default:
      return undefined;
  }
}

/** The error map for settingsSchema.safeParse. */
export const settingsErrorMap: z.core.$ZodErrorMap = (issue) => message(issue) ?? z.locales.no().localeError(issue);
