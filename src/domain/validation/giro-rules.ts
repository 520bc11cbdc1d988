/**
 * Giro pages (V9 dokument.giroarkSider, docs/interfaces.md §5): 1-based page numbers of a
 * document that are printed on giro paper. Each must be a page the document has; a number
 * outside it would otherwise be dropped without a word on its way to the print provider.
 */
import type { FieldProblem } from '../errors.js';
import type { DokumentSpec } from '../model.js';
import { problem } from './problem.js';

/**
 * Problems of the documents' giro pages. `sider[i]` is document i's page count where known
 * (a PDF checked at intake); without it only the form of each number is checked.
 */
export function giroarkSiderProblems(
  dokumenter: readonly Pick<DokumentSpec, 'giroarkSider'>[],
  sider: readonly (number | undefined)[] = [],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  dokumenter.forEach((d, i) => {
    const path = `dokumenter[${i}].giroarkSider`;
    const count = sider[i];
    for (const side of d.giroarkSider) {
      if (!Number.isInteger(side) || side < 1) {
        problems.push(problem(path, 'Ugyldig giroarkside', `må være sidenummer fra 1 og oppover (fikk ${side})`));
      } else if (count !== undefined && side > count) {
        problems.push(
          problem(path, 'Ugyldig giroarkside', `viser til side ${side}, men dokumentet har bare ${count} sider`),
        );
      }
    }
  });
  return problems;
}
