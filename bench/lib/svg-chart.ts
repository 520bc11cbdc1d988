/**
 * A small SVG writer for RESULTS.md: throughput (bars, left axis) and p99 latency (line,
 * right axis) against concurrency. Hand-written so the bench needs no chart dependency.
 */

/** One measured concurrency level. */
export interface SweepPoint {
  readonly concurrency: number;
  readonly perSecond: number;
  readonly p99Ms: number;
}

const W = 640;
const H = 360;
const PAD = { left: 64, right: 72, top: 48, bottom: 56 };

/** A round upper bound for an axis (1, 2 or 5 times a power of ten). */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The chart as an SVG document. */
export function sweepChartSvg(points: readonly SweepPoint[], title: string): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const tMax = niceMax(Math.max(...points.map((p) => p.perSecond)) * 1.1);
  const lMax = niceMax(Math.max(...points.map((p) => p.p99Ms)) * 1.1);
  const slot = plotW / Math.max(1, points.length);
  const r1 = (v: number): number => Math.round(v * 10) / 10;
  const x = (i: number): number => r1(PAD.left + slot * (i + 0.5));
  const yT = (v: number): number => r1(PAD.top + plotH - (v / tMax) * plotH);
  const yL = (v: number): number => r1(PAD.top + plotH - (v / lMax) * plotH);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  for (let k = 0; k <= 5; k++) {
    const y = r1(PAD.top + plotH - (k / 5) * plotH);
    out.push(`<line x1="${PAD.left}" y1="${y}" x2="${PAD.left + plotW}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(
      `<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" fill="#1f5fa8">${+((tMax * k) / 5).toFixed(1)}</text>`,
    );
    out.push(`<text x="${PAD.left + plotW + 6}" y="${y + 4}" fill="#c0392b">${+((lMax * k) / 5).toFixed(0)}</text>`);
  }
  points.forEach((p, i) => {
    const bw = slot * 0.5;
    out.push(
      `<rect x="${x(i) - bw / 2}" y="${yT(p.perSecond)}" width="${bw}" height="${r1(PAD.top + plotH - yT(p.perSecond))}" fill="#1f5fa8" opacity="0.8"/>`,
    );
    out.push(
      `<text x="${x(i)}" y="${yT(p.perSecond) - 4}" text-anchor="middle" fill="#1f5fa8">${p.perSecond.toFixed(1)}/s</text>`,
    );
    out.push(`<text x="${x(i)}" y="${PAD.top + plotH + 18}" text-anchor="middle">${p.concurrency}</text>`);
  });
  const line = points.map((p, i) => `${x(i)},${yL(p.p99Ms)}`).join(' ');
  out.push(`<polyline points="${line}" fill="none" stroke="#c0392b" stroke-width="2"/>`);
  points.forEach((p, i) => {
    out.push(`<circle cx="${x(i)}" cy="${yL(p.p99Ms)}" r="4" fill="#c0392b"/>`);
    out.push(`<text x="${x(i) + 8}" y="${yL(p.p99Ms) + 14}" fill="#c0392b">${p.p99Ms.toFixed(0)} ms</text>`);
  });
  out.push(
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#333"/>`,
  );
  out.push(
    `<text x="${PAD.left + plotW / 2}" y="${H - 14}" text-anchor="middle">concurrency (clients, closed loop)</text>`,
  );
  out.push(
    `<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#1f5fa8">acknowledged forsendelser / s</text>`,
  );
  out.push(
    `<text transform="translate(${W - 14} ${PAD.top + plotH / 2}) rotate(90)" text-anchor="middle" fill="#c0392b">p99 latency (ms)</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
