// Table tests of path safety: artifact paths (checked before any I/O) and static UI path resolution.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MlflowError } from '../../../native/mlflow/errors';
import { parseArtifactLocation } from '../../../native/mlflow/artifact-proxy';
import { artifactPathProblem, safeArtifactPath } from '../../../native/store/artifact-paths';
import { resolveInside } from '../../../native/server/static-ui';

describe('artifactPathProblem', () => {
  // The predicate sees decoded text; `problem` is a fragment of the reason it must give (null: safe).
  const table: [p: string, problem: string | null][] = [
    ['..', "'..'"],
    ['../x', "'..'"],
    ['a/..', "'..'"],
    ['a/../b', "'..'"],
    ['a/b/../../..', "'..'"],
    ['/etc/passwd', 'absolute'],
    ['//etc/passwd', 'absolute'],
    ['/', 'absolute'],
    ['C:\\x', 'backslash'],
    ['c:/x', 'drive letter'],
    ['C:x', 'drive letter'],
    ['z:', 'drive letter'],
    ['a\\b', 'backslash'],
    ['..\\..\\x', 'backslash'],
    ['\\\\server\\share', 'backslash'],
    ['a\0b', 'NUL'],
    ['\0', 'NUL'],
    ['x.txt\0.png', 'NUL'],
    ['./a', "'.'"],
    ['a/./b', "'.'"],
    ['.', "'.'"],
    ['a\nb', 'control'],
    ['a\rb', 'control'],
    ['a\tb', 'control'],
    ['\u001b[31mred', 'control'],
    ['\u0001', 'control'],
    // Safe: percent signs are literal here (the URL was decoded once already and is never decoded again).
    ['%2e%2e', null],
    ['%2e%2e/%2e%2e/etc', null],
    ['..%2fx', null],
    ['a//b', null],
    ['a/', null],
    ['...', null],
    ['..a', null],
    ['a..', null],
    ['.hidden', null],
    ['résumé/数据.txt', null],
    ['emoji 🙂.png', null],
    ['a\u2215..\u2215b', null], // DIVISION SLASH is not a separator
    ['model/weights.bin', null],
    ['', null],
  ];
  it.each(table)('%j → %s', (p, problem) => {
    const got = artifactPathProblem(p);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toContain(problem);
  });
});

describe('safeArtifactPath', () => {
  it('normalises harmless spellings', () => {
    expect(safeArtifactPath('a//b')).toBe('a/b');
    expect(safeArtifactPath('a/')).toBe('a');
    expect(safeArtifactPath('')).toBe('');
    expect(safeArtifactPath(undefined)).toBe('');
    expect(safeArtifactPath(null)).toBe('');
    expect(safeArtifactPath('résumé/数据.txt')).toBe('résumé/数据.txt');
  });

  it.each(['..', 'a/../b', '/etc/passwd', 'C:\\x', 'c:/x', 'a\\b', 'a\0b', './a', 'a\nb'])('%j → 400 INVALID_PARAMETER_VALUE', (p) => {
    let err: unknown;
    try {
      safeArtifactPath(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MlflowError);
    expect((err as MlflowError).status).toBe(400);
    expect((err as MlflowError).code).toBe('INVALID_PARAMETER_VALUE');
    expect((err as MlflowError).message).toMatch(/^Invalid path/);
  });
});

describe('parseArtifactLocation (the proxy path <exp>/<run>/artifacts/<rel>)', () => {
  it('splits a good path', () => {
    expect(parseArtifactLocation('1/run-abc/artifacts/model/w.bin')).toEqual({ experimentId: '1', runId: 'run-abc', relPath: 'model/w.bin', kind: 'run' });
  });
  it('splits an MLflow 3 logged model path <exp>/models/<model_id>/artifacts/<rel>', () => {
    const id = `m-${'a'.repeat(32)}`;
    expect(parseArtifactLocation(`2/models/${id}/artifacts/data/model.pkl`)).toEqual({ experimentId: '2', runId: id, relPath: 'data/model.pkl', kind: 'model' });
    expect(() => parseArtifactLocation(`2/models/${id}/artifacts/../../x`)).toThrow(MlflowError);
    expect(() => parseArtifactLocation('2/models/m-nothex/artifacts/x')).toThrow(MlflowError);
  });
  it.each([
    '1/run-abc/artifacts/../../../x',
    '1/run-abc/../run-def/artifacts/x',
    '1/../../artifacts/x',
    '../1/run-abc/artifacts/x',
    '/1/run-abc/artifacts/x',
    '1/run-abc/artifacts/a\\..\\..\\x',
    '1/run-abc/artifacts/x\0',
    'c:/1/run-abc/artifacts/x',
    '1/run-abc/notartifacts/x',
    'x/run-abc/artifacts/x',
    '1/.run/artifacts/x',
    '1/run$abc/artifacts/x',
  ])('%j → 400', (p) => {
    expect(() => parseArtifactLocation(p)).toThrow(MlflowError);
  });
});

describe('resolveInside (static UI files)', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-ui-'));
  const root = path.join(base, 'ui');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  const inside: [url: string, rel: string][] = [
    ['/', 'index.html'],
    ['', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/app.js', 'assets/app.js'],
    ['//assets/app.js', 'assets/app.js'],
    ['/assets/../index.html', 'index.html'],
    ['/%61ssets/app.js', 'assets/app.js'],
    ['/%252e%252e/package.json', '%2e%2e/package.json'], // decoded once: a literal folder name
  ];
  it.each(inside)('%j → <root>/%s', (url, rel) => {
    expect(resolveInside(root, url)).toBe(path.join(root, rel));
  });

  const outside = [
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/..%2fpackage.json',
    '/..%2Fpackage.json',
    '/assets/../../package.json',
    '/..',
    '/.',
    '/%2e',
    '/../ui-evil/x.js', // a sibling folder whose name starts with the root's
    '/..%5cpackage.json',
    '/\\..\\package.json',
    '/a\\b',
    '/index.html%00.png',
    '/\0',
    '/%00',
    '/%',
    '/%E0%A4%A',
    '/%C0%AE%C0%AE/package.json', // overlong '.': not valid UTF-8
    '/%ff',
  ];
  it.each(outside)('%j → null', (url) => {
    expect(resolveInside(root, url)).toBeNull();
  });
});
