// Golden-file tests of the provenance parsers on real output from an H200 workstation
// (../shared/fixtures/gpu-workstation), plus tables of awkward inputs. UPDATE_GOLDEN=1 rewrites the
// expected files (review the diff before committing it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFormat, mebibytes, parseGpuList, parseNvidiaSmi, parseQueryCsv, parseSmiTable } from '../../../native/provenance/nvidia-smi';
import { normalizeName, packagesDigest, parsePipFreeze, parsePipListJson, versionOf } from '../../../native/provenance/pip-freeze';
import { cudnnVersion, decodeCode, decodeEnvironment } from '../../../native/provenance/env-snapshot';
import { isSecretName, redactArgv, stripUrlCredentials } from '../../../native/provenance/secrets';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(HERE, '../../../../shared/fixtures/gpu-workstation');
const GOLDEN = path.join(HERE, 'golden');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function golden(name: string, actual: unknown): void {
  const file = path.join(GOLDEN, `${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  expect(actual).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
}

const H200 = { index: 0, name: 'NVIDIA H200', memory_total_mib: 143771 };

describe('nvidia-smi parsers on the workstation fixtures', () => {
  const cases: [file: string, format: string, fields?: string[]][] = [
    ['nvidia-smi.txt', 'table'],
    ['nvidia-smi-L.txt', 'list'],
    ['nvidia-smi-q.txt', 'query-text'],
    ['nvidia-smi-q.xml', 'xml'],
    ['nvidia-smi-query.csv', 'query-csv', ['name', 'memory.total', 'driver_version', 'uuid', 'pci.bus_id']],
    ['nvidia-smi-query-header.csv', 'query-csv'],
  ];
  it.each(cases)('%s (%s) matches its golden file', (file, format, fields) => {
    const text = fixture(file);
    expect(detectFormat(text)).toBe(format);
    golden(file, parseNvidiaSmi(text, fields));
  });

  it('every format that carries them agrees on name, memory, driver and CUDA', () => {
    for (const [file, , fields] of cases) {
      const info = parseNvidiaSmi(fixture(file), fields);
      expect(info.gpus).toHaveLength(1);
      expect(info.gpus[0]).toMatchObject(file === 'nvidia-smi-L.txt' ? { index: 0, name: 'NVIDIA H200' } : H200);
      if (info.driver !== null) expect(info.driver).toBe('580.159.04');
      if (info.cuda !== null) expect(info.cuda).toBe('13.0');
    }
  });
});

describe('nvidia-smi awkward inputs', () => {
  it.each([
    ['143771 MiB', 143771],
    ['143771', 143771],
    ['140.4 GiB', 143770],
    ['[N/A]', null],
    ['', null],
    ['lots', null],
  ])('mebibytes(%j) = %j', (text, mib) => expect(mebibytes(text)).toBe(mib));

  it('reads several GPUs, [N/A] cells and an explicit index column', () => {
    const csv = 'index, name, memory.total [MiB], driver_version\n1, NVIDIA A100-SXM4-80GB, 81920 MiB, 535.54.03\n0, Tesla T4, [N/A], 535.54.03\n';
    expect(parseQueryCsv(csv).gpus.map((g) => [g.index, g.name, g.memory_total_mib])).toEqual([
      [1, 'NVIDIA A100-SXM4-80GB', 81920],
      [0, 'Tesla T4', null],
    ]);
  });

  it('without a header uses the named fields, else the default query', () => {
    expect(parseQueryCsv('NVIDIA L4, 23034, 550.1\n').gpus[0]).toMatchObject({ name: 'NVIDIA L4', memory_total_mib: 23034 });
    expect(parseQueryCsv('GPU-1, NVIDIA L4\n', ['uuid', 'name']).gpus[0]).toMatchObject({ uuid: 'GPU-1', name: 'NVIDIA L4' });
  });

  it('-L skips MIG instances; the table ignores the process list; empty output has no GPUs', () => {
    const list = 'GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-a)\n  MIG 1g.5gb     Device  0: (UUID: MIG-b)\nGPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-c)\n';
    expect(parseGpuList(list).gpus.map((g) => g.uuid)).toEqual(['GPU-a', 'GPU-c']);
    const table = fixture('nvidia-smi.txt').replace('No running processes found', '   0   N/A  N/A    4242    C   python                                  1234MiB');
    expect(parseSmiTable(table).gpus).toHaveLength(1);
    expect(parseNvidiaSmi('').gpus).toEqual([]);
  });
});

describe('pip freeze and pip list', () => {
  it('the fixture freeze and list agree package for package, with one digest', () => {
    const freeze = parsePipFreeze(fixture('pip-freeze.txt'));
    const list = parsePipListJson(fixture('pip-list.json'));
    expect(freeze.ignored).toEqual([]);
    expect(freeze.packages.map((p) => [p.name, p.version])).toEqual(list.packages.map((p) => [p.name, p.version]));
    expect(packagesDigest(freeze.packages)).toBe(packagesDigest(list.packages));
    golden('pip-freeze.txt', { count: freeze.packages.length, sha256: packagesDigest(freeze.packages), packages: freeze.packages.map((p) => `${p.name}==${p.version}`) });
    expect(versionOf(freeze.packages, 'torch')).toBe('2.11.0');
    expect(versionOf(freeze.packages, 'NVIDIA_CUDNN_CU13')).toBe('9.19.0.56');
  });

  it('reads every line kind pip writes and ignores the rest', () => {
    const text = [
      '# Editable install with no version control (mylib==0.1)',
      '-e /home/me/src/mylib',
      '-e git+https://github.com/org/tool.git@abc123#egg=Tool_Kit',
      'Torch==2.11.0+cu130',
      'zope.interface===7.0',
      'local-pkg @ file:///wheels/local_pkg-1.0-py3-none-any.whl',
      'extras[gpu]==1.2',
      '## !! Could not determine repository location',
      '--index-url https://example.invalid/simple',
      'bare',
      '',
    ].join('\n');
    const { packages, ignored } = parsePipFreeze(text);
    expect(packages.map((p) => [p.name, p.version, p.kind])).toEqual([
      ['bare', null, 'unpinned'],
      ['extras', '1.2', 'pinned'],
      ['local-pkg', null, 'url'],
      ['mylib', null, 'editable'],
      ['tool-kit', null, 'editable'],
      ['torch', '2.11.0+cu130', 'pinned'],
      ['zope-interface', '7.0', 'pinned'],
    ]);
    expect(ignored).toHaveLength(3);
    expect(normalizeName('Zope.Interface__x')).toBe('zope-interface-x');
    expect(packagesDigest(parsePipFreeze('b==1\na==2\n').packages)).toBe(packagesDigest(parsePipFreeze('A==2\nB==1\n').packages));
  });
});

describe('environment snapshot decoding', () => {
  it.each([
    ['91900', '9.19.0'],
    ['90100', '9.1.0'],
    ['8907', '8.9.7'],
    ['7605', '7.6.5'],
    ['9.1.0', '9.1.0'],
    [null, null],
  ])('cudnnVersion(%j) = %j', (raw, v) => expect(cudnnVersion(raw)).toBe(v));

  it('takes GPUs and driver from nvidia-smi text, capability from torch, and drops secrets', () => {
    const env = decodeEnvironment({
      torch: '2.11.0+cu130',
      cuda: '13.0',
      cudnn: 91900,
      gpus: [{ index: 0, name: 'NVIDIA H200', memory_total_mib: 143156, compute_capability: '9.0' }],
      nvidia_smi: { text: fixture('nvidia-smi-q.xml') },
      packages: fixture('pip-freeze.txt'),
      env_vars: { CUDA_VISIBLE_DEVICES: '0', HF_TOKEN: 'x', WANDB_API_KEY: 'y', DB_PASSWORD: 'z', MY_SECRET: 's', GCP_CREDENTIALS: 'c' },
      command: ['train.py', '--api_key', 'abc', '--password=hunter2', '--lr', '0.1'],
    });
    expect(env.gpus).toEqual([{ ...H200, uuid: 'GPU-22f345b9-c65c-5b4d-c328-3bf6e86631fa', bus_id: '00000000:00:06.0', compute_capability: '9.0' }]);
    expect([env.driver, env.cuda, env.cudnn, env.package_count]).toEqual(['580.159.04', '13.0', '9.19.0', 197]);
    expect(env.env_vars).toEqual({ CUDA_VISIBLE_DEVICES: '0' });
    expect(env.command).toEqual(['train.py', '--api_key', '***', '--password=***', '--lr', '0.1']);
  });

  it('refuses a commit that is not an object id and strips remote credentials', () => {
    expect(() => decodeCode({ commit: 'HEAD; rm -rf /' })).toThrow(/hex object id/);
    expect(decodeCode({ commit: 'ABCDEF1234', remote: 'https://bot:ghp_x@github.com/o/r.git' })).toMatchObject({ remote: 'https://github.com/o/r.git', dirty: null });
  });
});

describe('secret predicates', () => {
  it.each([
    ['HF_TOKEN', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['api_key', true],
    ['PGPASSWORD', true],
    ['GOOGLE_APPLICATION_CREDENTIALS', true],
    ['MYSQL_PASSWD', true],
    ['CUDA_VISIBLE_DEVICES', false],
    ['NCCL_DEBUG', false],
  ])('isSecretName(%j) = %j', (name, secret) => expect(isSecretName(name)).toBe(secret));

  it.each([
    ['https://user:pass@host/x.git', 'https://host/x.git'],
    ['https://ghp_token@github.com/o/r', 'https://github.com/o/r'],
    ['ssh://git@host:22/r.git', 'ssh://host:22/r.git'],
    ['git@github.com:o/r.git', 'git@github.com:o/r.git'],
    ['/local/path/repo', '/local/path/repo'],
  ])('stripUrlCredentials(%j) = %j', (url, out) => expect(stripUrlCredentials(url)).toBe(out));

  it('redacts the value after a secret-looking option, not the option itself', () => {
    expect(redactArgv(['--token', '-x', '--secret-file', 'f', 'TOKEN=abc', 'plain'])).toEqual(['--token', '-x', '--secret-file', '***', 'TOKEN=***', 'plain']);
  });
});
