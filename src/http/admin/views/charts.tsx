/**
 * Charts as inline SVG (no script, no CDN). Each chart has a title and a description for
 * screen readers (role="img"), and the page shows the same numbers in a table.
 */

/** One series of a stacked bar chart. */
export interface Series {
  readonly name: string;
  /** Fill colour; the palette keeps ≥ 3:1 contrast against white and between neighbours. */
  readonly colour: string;
  readonly values: readonly number[];
}

/** Colours of the delivery series. */
export const FARGER = { digitalt: '#0a4a85', papir: '#b35900', annet: '#6b6b6b' } as const;

/** Axis ticks: a step of 1, 2 or 5 × 10ⁿ giving at most six whole-number ticks up to at least `max`. */
export function axisTicks(max: number): number[] {
  const rough = Math.max(1, max) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude);
  const top = Math.max(step, Math.ceil(Math.max(1, max) / step) * step);
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return ticks;
}

/** A stacked vertical bar chart over `labels`. */
export function StackedBarChart(props: {
  id: string;
  title: string;
  description: string;
  labels: readonly string[];
  series: readonly Series[];
}) {
  const width = 760;
  const height = 300;
  const left = 48;
  const bottom = 56;
  const top = 16;
  const plotW = width - left - 12;
  const plotH = height - top - bottom;
  const totals = props.labels.map((_, i) => props.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const ticks = axisTicks(Math.max(0, ...totals));
  const max = ticks[ticks.length - 1] ?? 1;
  const n = Math.max(1, props.labels.length);
  const slot = plotW / n;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const labelEvery = Math.ceil(n / 12);
  return (
    <figure class="diagramramme">
      <svg
        class="diagram"
        id={props.id}
        role="img"
        aria-labelledby={`${props.id}-tittel ${props.id}-beskrivelse`}
        viewBox={`0 0 ${width} ${height + 24}`}
        width={width}
        height={height + 24}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={`${props.id}-tittel`}>{props.title}</title>
        <desc id={`${props.id}-beskrivelse`}>{props.description}</desc>
        {ticks.map((t) => (
          <g>
            <line x1={left} x2={width - 12} y1={y(t)} y2={y(t)} stroke="#c8cdd3" stroke-width="1" />
            <text x={left - 6} y={y(t) + 4} text-anchor="end" font-size="12" fill="#1b1b1b">
              {String(t)}
            </text>
          </g>
        ))}
        {props.labels.map((label, i) => {
          let base = 0;
          const x = left + i * slot + (slot - barW) / 2;
          return (
            <g>
              {props.series.map((s) => {
                const v = s.values[i] ?? 0;
                const rect =
                  v === 0 ? null : (
                    <rect x={x} y={y(base + v)} width={barW} height={y(base) - y(base + v)} fill={s.colour} />
                  );
                base += v;
                return rect;
              })}
              {i % labelEvery === 0 && (
                <text
                  x={x + barW / 2}
                  y={top + plotH + 16}
                  font-size="11"
                  text-anchor="end"
                  fill="#1b1b1b"
                  transform={`rotate(-40 ${x + barW / 2} ${top + plotH + 16})`}
                >
                  {label}
                </text>
              )}
            </g>
          );
        })}
        <line x1={left} x2={width - 12} y1={top + plotH} y2={top + plotH} stroke="#1b1b1b" stroke-width="1" />
        {props.series.map((s, i) => (
          <g>
            <rect x={left + i * 150} y={height + 6} width="14" height="14" fill={s.colour} />
            <text x={left + i * 150 + 20} y={height + 18} font-size="13" fill="#1b1b1b">
              {s.name}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** A horizontal bar chart of a few labelled values. */
export function HorizontalBarChart(props: {
  id: string;
  title: string;
  description: string;
  rows: readonly { label: string; value: number }[];
  colour: string;
}) {
  const width = 560;
  const rowH = 30;
  const left = 120;
  const height = props.rows.length * rowH + 10;
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <figure class="diagramramme">
      <svg
        class="diagram"
        id={props.id}
        role="img"
        aria-labelledby={`${props.id}-tittel ${props.id}-beskrivelse`}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={`${props.id}-tittel`}>{props.title}</title>
        <desc id={`${props.id}-beskrivelse`}>{props.description}</desc>
        {props.rows.map((r, i) => {
          const w = ((width - left - 60) * r.value) / max;
          return (
            <g>
              <text x={left - 8} y={i * rowH + 20} text-anchor="end" font-size="13" fill="#1b1b1b">
                {r.label}
              </text>
              <rect x={left} y={i * rowH + 6} width={Math.max(0, w)} height={rowH - 10} fill={props.colour} />
              <text x={left + w + 6} y={i * rowH + 20} font-size="13" fill="#1b1b1b">
                {String(r.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
