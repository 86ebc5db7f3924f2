// `GET /api/artifacts/raw?run=<id>&path=<artifact path>`: the bytes of an image artifact, for the
// run detail's <img> previews (same origin, so the page's strict CSP needs no new source). Only the
// image types the preview knows are served, typed by extension; an SVG opened directly in a tab is
// a sandboxed document with no script, and inside <img> it never runs script anyway.
import fs from 'node:fs';
import type http from 'node:http';
import type { Core } from '../core';
import { imageType } from '../api/artifact-preview';
import { invalidParam, notFound } from '../mlflow/errors';
import type { Fields } from '../mlflow/request-fields';

export const RAW_ARTIFACT_PATH = '/api/artifacts/raw';

/** Served with every raw artifact: no script, no plugins, no framing, no sniffing into HTML. */
export const RAW_ARTIFACT_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

export async function serveArtifactRaw(core: Core, query: Fields, res: http.ServerResponse): Promise<void> {
  const run = typeof query.run === 'string' ? query.run : '';
  const artifactPath = typeof query.path === 'string' ? query.path : '';
  if (run === '' || artifactPath === '') throw invalidParam("'run' and 'path' are required");
  const type = imageType(artifactPath);
  if (!type) throw invalidParam('Only image artifacts (PNG, JPEG, GIF, WebP, SVG) are served raw; other kinds preview through artifacts.preview');
  const row = await core.artifacts.get(run, artifactPath);
  if (!row) throw notFound(`Artifact '${artifactPath}' not found in run '${run}'`);
  const file = core.artifacts.blobPath(row.sha256);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) throw notFound(`Artifact '${artifactPath}' is recorded but its bytes are missing from the store`);
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': stat.size,
    'Content-Security-Policy': RAW_ARTIFACT_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(file).on('error', reject).pipe(res).on('finish', resolve).on('error', reject);
  });
}
