// Runs the Python client's own suite (tests/python/test_*.py, stdlib unittest) with this machine's
// python3, so `npm test` covers it. Each Python test module starts a REAL server
// (`node bin/runledger.mjs serve --ready-json`) and real child training processes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PYTHON = process.env.RUNLEDGER_PYTHON || 'python3';

function probe(): { ok: true; version: string } | { ok: false; reason: string } {
  const r = spawnSync(PYTHON, ['-c', 'import sys; assert sys.version_info >= (3, 8), sys.version; print(sys.version.split()[0])'], { encoding: 'utf8' });
  if (r.error) return { ok: false, reason: `${PYTHON}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `${PYTHON} is not Python 3.8+: ${(r.stderr || '').trim().split('\n').pop()}` };
  return { ok: true, version: r.stdout.trim() };
}

const python = probe();
if (!python.ok) console.warn(`SKIPPING the Python client suite (tests/python): ${python.reason}. Install python3 (3.8+) to run it.`);

describe('Python client (clients/python) against a real server', () => {
  it.skipIf(!python.ok)(`python3 -m unittest discover -s tests/python passes`, () => {
    const r = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests/python', '-v'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 420_000,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
    });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    // unittest's summary, e.g. "Ran 32 tests in 71.2s" then "OK" (or "FAILED (failures=1)").
    const ran = /Ran (\d+) tests?/.exec(output);
    expect(r.error, output.slice(-4000)).toBeUndefined();
    expect(r.status, output.slice(-8000)).toBe(0);
    expect(Number(ran?.[1] ?? 0)).toBeGreaterThanOrEqual(30);
    expect(output).toMatch(/\nOK( \(|\s*$)/);
  }, 480_000);
});
