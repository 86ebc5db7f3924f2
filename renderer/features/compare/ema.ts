// Debiased exponential moving average, as TensorBoard smooths scalars: the running average starts
// at 0 and is divided by (1 - weight^n), so the first points are not dragged towards zero. Non-finite
// values pass through unsmoothed and do not enter the average (a NaN would poison everything after it).

/** `weight` in [0, 1): 0 returns the values unchanged. */
export function debiasedEma(values: ArrayLike<number>, weight: number): Float64Array<ArrayBuffer> {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const out = new Float64Array(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    n++;
    out[i] = w === 0 ? v : last / (1 - w ** n);
  }
  return out;
}
