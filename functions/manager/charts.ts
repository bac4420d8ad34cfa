/**
 * Charts drawn on the server as SVG: no chart library in the browser, nothing to load, and the
 * page's content security policy (no inline styles) holds, because SVG presentation attributes
 * are not CSS. Each chart is an image with a text alternative; the figures it draws are also in a
 * table beside it, so nothing is only in the picture.
 */
import { attributes, html, raw, type SafeHtml } from '../commons/pages/html.ts';

export interface ChartSeries {
  name: string;
  values: readonly (number | null)[];
  /** A GOV.UK colour with enough contrast on white. */
  colour: string;
}

export interface BarChartOptions {
  id: string;
  title: string;
  /** Read out instead of the picture; the figures themselves are in the table beside the chart. */
  description: string;
  categories: readonly string[];
  series: readonly ChartSeries[];
  /** Axis label, e.g. `minutes`. */
  unit: string;
  /** Show every n-th category label (long runs of days); all when absent. */
  labelEvery?: number;
}

export const chartColours = { blue: '#1d70b8', darkBlue: '#003078', orange: '#f47738', green: '#00703c', red: '#d4351c' } as const;

const WIDTH = 760;
const HEIGHT = 280;
const MARGIN = { top: 16, right: 16, bottom: 56, left: 56 };
const TEXT = '#0b0c0c';
const GRID = '#b1b4b6';
const FONT = 'arial, sans-serif';

/** A round step for about five gridlines: 1, 2 or 5 times a power of ten. */
export function niceStep(max: number): number {
  if (!(max > 0)) return 1;
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  return step;
}

const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

export function barChart(options: BarChartOptions): SafeHtml {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const all = options.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const step = niceStep(Math.max(0, ...all));
  const top = Math.max(step, Math.ceil(Math.max(0, ...all) / step) * step);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const band = plotWidth / Math.max(1, options.categories.length);
  const barWidth = Math.max(1, (band * 0.8) / Math.max(1, options.series.length));
  const every = options.labelEvery ?? 1;

  const grid: string[] = [];
  for (let value = 0; value <= top + 1e-9; value += step) {
    const at = y(value).toFixed(1);
    grid.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${at}" y2="${at}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${MARGIN.left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle" font-size="12" fill="${TEXT}">${format(value)}</text>`,
    );
  }
  const bars: SafeHtml[] = [];
  options.categories.forEach((category, i) => {
    options.series.forEach((series, s) => {
      const value = series.values[i];
      if (value === null || value === undefined) return;
      const x = MARGIN.left + i * band + band * 0.1 + s * barWidth;
      bars.push(
        html`<rect${attributes({
          x: x.toFixed(1),
          y: y(value).toFixed(1),
          width: barWidth.toFixed(1),
          height: Math.max(0, MARGIN.top + plotHeight - y(value)).toFixed(1),
          fill: series.colour,
          'data-category': category,
          'data-series': series.name,
          'data-value': value,
        })}><title>${series.name}, ${category}: ${format(value)} ${options.unit}</title></rect>`,
      );
    });
  });
  const labels = options.categories.map((category, i) =>
    i % every === 0
      ? html`<text${attributes({
          x: (MARGIN.left + i * band + band / 2).toFixed(1),
          y: HEIGHT - MARGIN.bottom + 16,
          'text-anchor': 'middle',
          'font-size': 11,
          fill: TEXT,
        })}>${category}</text>`
      : '',
  );
  const legend = options.series.map(
    (series, s) =>
      html`<rect x="${MARGIN.left + s * 170}" y="${HEIGHT - 22}" width="12" height="12" fill="${series.colour}"/><text x="${MARGIN.left + s * 170 + 18}" y="${HEIGHT - 12}" font-size="12" fill="${TEXT}">${series.name}</text>`,
  );
  return html`<figure class="dutyline-chart" id="${options.id}"><figcaption class="govuk-heading-s">${options.title}</figcaption><svg${attributes({
    xmlns: 'http://www.w3.org/2000/svg',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    width: '100%',
    role: 'img',
    'aria-label': options.description,
    'font-family': FONT,
    preserveAspectRatio: 'xMinYMin meet',
  })}>${raw(grid.join(''))}<text x="14" y="${MARGIN.top + plotHeight / 2}" transform="rotate(-90 14 ${MARGIN.top + plotHeight / 2})" text-anchor="middle" font-size="12" fill="${TEXT}">${options.unit}</text>${bars}<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="${TEXT}" stroke-width="1"/>${labels}${legend}</svg></figure>`;
}
