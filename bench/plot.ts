/**
 * Plot-like PNGs for generated notebooks: white canvas, grid, axes, a noisy scatter band and a curve, like a
 * matplotlib figure of noisy data. The band's noise is what makes the file as big as real plots with
 * texture (a plain line plot deflates to a few kB and would hide the cost of large image payloads).
 */
import { PNG } from 'pngjs';
import { Random } from './random.js';

export interface PlotSpec {
  width: number;
  height: number;
  /** Seeds the curve's shape and the band's noise. */
  seed: number;
  /** Shifts the curve: two specs differing only here differ in pixels, as a re-plotted figure does. */
  phase: number;
  /** Half-height of the noisy band around the curve, as a fraction of the plot area's height. */
  band: number;
  /** Per-channel noise amplitude in the band (0–255). */
  noise: number;
}

export interface EncodeOptions {
  deflateLevel: number;
  /** PNG row filter (0 none … 4 Paeth); pngjs's adaptive choice (-1) is slow in JS and not needed here. */
  filterType: number;
  /** zlib strategy: 0 default, 1 filtered (libpng's choice for filtered rows), 3 RLE (pngjs's default). */
  deflateStrategy: number;
}

/** Close to what libpng writes for matplotlib. */
export const DEFAULT_ENCODING: EncodeOptions = { deflateLevel: 6, filterType: 1, deflateStrategy: 1 };

/** The RGBA pixels of a plot. */
export function drawPlot(spec: PlotSpec): PNG {
  const { width: w, height: h } = spec;
  const png = new PNG({ width: w, height: h });
  const d = png.data;
  d.fill(255);
  const rnd = new Random(spec.seed);
  const left = Math.round(w * 0.1), right = w - Math.round(w * 0.03);
  const top = Math.round(h * 0.04), bottom = h - Math.round(h * 0.09);
  const set = (x: number, y: number, r: number, g: number, b: number) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    const i = (y * w + x) * 4;
    d[i] = r; d[i + 1] = g; d[i + 2] = b; d[i + 3] = 255;
  };

  const gridStep = Math.max(8, Math.round((right - left) / 8));
  for (let x = left; x <= right; x += gridStep) for (let y = top; y <= bottom; y++) set(x, y, 232, 232, 232);
  for (let y = bottom; y >= top; y -= gridStep) for (let x = left; x <= right; x++) set(x, y, 232, 232, 232);

  const amp = 0.2 + rnd.next() * 0.2;
  const freq = 1 + rnd.next() * 4;
  const decay = rnd.next() * 1.5;
  const trend = (rnd.next() - 0.5) * 0.4;
  const plotH = bottom - top;
  const curveY = (x: number): number => {
    const t = (x - left) / (right - left);
    const v = 0.5 + trend * (t - 0.5) + amp * Math.sin(freq * Math.PI * 2 * t + spec.phase) * Math.exp(-decay * t);
    return top + (1 - v) * plotH;
  };

  const half = Math.max(1, Math.round(plotH * spec.band));
  for (let x = left + 1; x < right; x++) {
    const c = Math.round(curveY(x));
    for (let y = Math.max(top, c - half); y <= Math.min(bottom - 1, c + half); y++) {
      // Denser near the curve, like a scatter of residuals.
      const closeness = 1 - Math.abs(y - c) / (half + 1);
      if (rnd.next() > 0.35 + 0.65 * closeness) continue;
      const n = spec.noise;
      set(x, y,
        Math.max(0, 174 - Math.floor(rnd.next() * n)),
        Math.max(0, 199 - Math.floor(rnd.next() * n)),
        Math.max(0, 232 - Math.floor(rnd.next() * n)));
    }
  }

  const thick = Math.max(1, Math.round(h / 200));
  let prev = curveY(left);
  for (let x = left; x <= right; x++) {
    const y = curveY(x);
    const lo = Math.round(Math.min(prev, y)) - thick, hi = Math.round(Math.max(prev, y)) + thick;
    for (let yy = lo; yy <= hi; yy++) set(x, yy, 31, 119, 180);
    prev = y;
  }

  for (let y = top; y <= bottom; y++) for (let t = 0; t < thick; t++) set(left - t, y, 0, 0, 0);
  for (let x = left; x <= right; x++) for (let t = 0; t < thick; t++) set(x, bottom + t, 0, 0, 0);
  const tick = Math.max(3, Math.round(h / 80));
  for (let x = left; x <= right; x += gridStep) for (let t = 0; t < tick; t++) set(x, bottom + t, 0, 0, 0);
  for (let y = bottom; y >= top; y -= gridStep) for (let t = 0; t < tick; t++) set(left - t, y, 0, 0, 0);
  return png;
}

export function encodePng(png: PNG, options: EncodeOptions = DEFAULT_ENCODING): Buffer {
  return PNG.sync.write(png, {
    deflateLevel: options.deflateLevel, deflateStrategy: options.deflateStrategy, filterType: options.filterType, colorType: 6,
  });
}
