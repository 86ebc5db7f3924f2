// Numbers as Python writes them (str(float), the csv module, MLflow's metric files): 'nan', 'inf',
// '-inf', '1e-05', '0.1'. JavaScript's Number() reads neither 'nan' nor 'inf', and reads '' and
// '0x10' where Python would fail, so this is strict.
export function pythonFloat(s: string): number | null {
  const t = s.trim().toLowerCase();
  if (t === 'nan' || t === '-nan' || t === '+nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}
