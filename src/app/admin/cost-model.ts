/**
 * The cost model of the statistics page (issue: "postage, production cost and handling
 * time with and without the service, as editable figures") and the estimates a manual
 * print confirmation records as its receipt. All money in øre, time in minutes.
 * The defaults are examples to be replaced by each municipality's own figures.
 */
import type { FieldProblem } from '../../domain/errors.js';

/** The figures, all editable on the statistics page. */
export interface CostModel {
  /** Postage per letter (øre). */
  readonly portoOre: number;
  /** Paper, toner and envelope for a letter printed in-house (øre). */
  readonly produksjonOre: number;
  /** Staff time per paper letter without the service: print, fold, envelope, post (minutes). */
  readonly minutterUtenTjenesten: number;
  /** Staff time per manually printed letter with the service (minutes). */
  readonly minutterManuellPrint: number;
  /** Cost of one hour of staff time (øre). */
  readonly timekostnadOre: number;
}

/** Example defaults (2025 price level); shown as such in the UI. */
export const DEFAULT_COST_MODEL: CostModel = {
  portoOre: 2300,
  produksjonOre: 300,
  minutterUtenTjenesten: 3,
  minutterManuellPrint: 2,
  timekostnadOre: 55000,
};

/** Grams per A4 sheet (80 g/m²) and per C5 envelope, for the manual print receipt. */
export const GRAM_PER_ARK = 5;
export const GRAM_PER_KONVOLUTT = 5;

/** Parses a money field in kroner ("23,50") to øre; undefined when not a non-negative number. */
export function kronerToOre(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim().replace(/\s/g, '').replace(',', '.'));
  return Number.isFinite(n) && n >= 0 && n < 1e7 ? Math.round(n * 100) : undefined;
}

/** Parses a minutes field ("2,5"). */
export function parseMinutes(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim().replace(',', '.'));
  return Number.isFinite(n) && n >= 0 && n < 10_000 ? n : undefined;
}

/** Øre as a kroner field value ("23,00"). */
export function oreToField(ore: number): string {
  return (ore / 100).toFixed(2).replace('.', ',');
}

/** Minutes as a field value ("2,5"). */
export function minutesToField(min: number): string {
  return String(min).replace('.', ',');
}

/** The cost model's fields as typed in the statistics form (kroner and minutes as text). */
export interface CostModelFields {
  readonly porto: string;
  readonly produksjon: string;
  readonly minUten: string;
  readonly minManuell: string;
  readonly timekost: string;
}

/** The default model as form fields. */
export function defaultCostModelFields(): CostModelFields {
  return {
    porto: oreToField(DEFAULT_COST_MODEL.portoOre),
    produksjon: oreToField(DEFAULT_COST_MODEL.produksjonOre),
    minUten: minutesToField(DEFAULT_COST_MODEL.minutterUtenTjenesten),
    minManuell: minutesToField(DEFAULT_COST_MODEL.minutterManuellPrint),
    timekost: oreToField(DEFAULT_COST_MODEL.timekostnadOre),
  };
}

/** The model typed into the form; a field that cannot be read adds a problem naming it and keeps the default. */
export function costModelOf(fields: CostModelFields, problems: FieldProblem[]): CostModel {
  const money = (field: keyof CostModelFields, label: string, fallback: number): number => {
    const v = kronerToOre(fields[field]);
    if (v === undefined) problems.push({ field, message: `Ugyldig beløp i «${label}»: skriv kroner, f.eks. 23,50` });
    return v ?? fallback;
  };
  const minutes = (field: keyof CostModelFields, label: string, fallback: number): number => {
    const v = parseMinutes(fields[field]);
    if (v === undefined) problems.push({ field, message: `Ugyldig antall minutter i «${label}»` });
    return v ?? fallback;
  };
  return {
    portoOre: money('porto', 'Porto per brev', DEFAULT_COST_MODEL.portoOre),
    produksjonOre: money('produksjon', 'Produksjonskostnad per brev', DEFAULT_COST_MODEL.produksjonOre),
    minutterUtenTjenesten: minutes(
      'minUten',
      'Håndteringstid uten tjenesten',
      DEFAULT_COST_MODEL.minutterUtenTjenesten,
    ),
    minutterManuellPrint: minutes(
      'minManuell',
      'Håndteringstid for manuell print',
      DEFAULT_COST_MODEL.minutterManuellPrint,
    ),
    timekostnadOre: money('timekost', 'Timekostnad', DEFAULT_COST_MODEL.timekostnadOre),
  };
}
