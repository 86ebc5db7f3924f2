// A line chart as a PNG, with no dependency: an RGB raster, straight lines between points, light grid,
// and a zlib-compressed IDAT (PNG spec, ISO/IEC 15948). Deterministic: same points, same bytes.
// Non-finite values are skipped (the line breaks there) and marked with a red tick on the x axis.
import zlib from 'node:zlib';

export interface ChartSeries {
  x: number[];
  y: number[];
}

const W = 640;
const H = 320;
const PAD = 24;
type Rgb = readonly [number, number, number];
const BG: Rgb = [255, 255, 255];
const GRID: Rgb = [230, 230, 230];
const AXIS: Rgb = [120, 120, 120];
const LINE: Rgb = [31, 119, 180];
const BAD: Rgb = [214, 39, 40];

class Raster {
  readonly px = Buffer.alloc(W * H * 3);
  constructor() {
    for (let i = 0; i < W * H; i++) BG.forEach((c, k) => (this.px[i * 3 + k] = c));
  }
  set(x: number, y: number, c: Rgb): void {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const i = (Math.round(y) * W + Math.round(x)) * 3;
    this.px[i] = c[0];
    this.px[i + 1] = c[1];
    this.px[i + 2] = c[2];
  }
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb): void {
    const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let i = 0; i <= n; i++) this.set(x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * i) / n, c);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

export function encodePng(px: Buffer, width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) px.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3); // filter byte 0
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function lineChartPng(s: ChartSeries): Buffer {
  const r = new Raster();
  const finite = s.y.map((v, i) => (Number.isFinite(v) && Number.isFinite(s.x[i]) ? i : -1)).filter((i) => i >= 0);
  const xs = finite.map((i) => s.x[i]);
  const ys = finite.map((i) => s.y[i]);
  const [xMin, xMax] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [yMin, yMax] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (yMin === yMax) [yMin, yMax] = [yMin - 1, yMax + 1];
  const px = (x: number): number => PAD + ((x - xMin) / (xMax - xMin || 1)) * (W - 2 * PAD);
  const py = (y: number): number => H - PAD - ((y - yMin) / (yMax - yMin)) * (H - 2 * PAD);
  for (let k = 1; k < 5; k++) {
    r.line(PAD, PAD + (k * (H - 2 * PAD)) / 5, W - PAD, PAD + (k * (H - 2 * PAD)) / 5, GRID);
    r.line(PAD + (k * (W - 2 * PAD)) / 5, PAD, PAD + (k * (W - 2 * PAD)) / 5, H - PAD, GRID);
  }
  r.line(PAD, H - PAD, W - PAD, H - PAD, AXIS);
  r.line(PAD, PAD, PAD, H - PAD, AXIS);
  let prev: [number, number] | null = null;
  for (let i = 0; i < s.x.length; i++) {
    if (!Number.isFinite(s.y[i]) || !Number.isFinite(s.x[i])) {
      if (Number.isFinite(s.x[i])) r.line(px(s.x[i]), H - PAD, px(s.x[i]), H - PAD + 6, BAD);
      prev = null;
      continue;
    }
    const p: [number, number] = [px(s.x[i]), py(s.y[i])];
    if (prev) r.line(prev[0], prev[1], p[0], p[1], LINE);
    else r.set(p[0], p[1], LINE);
    prev = p;
  }
  return encodePng(r.px, W, H);
}
