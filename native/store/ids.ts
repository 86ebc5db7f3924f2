import crypto from 'node:crypto';

/** Readable, time-sortable run ids: `run-20261126-1422-8a3f9c2e` (UTC minute + 8 random hex). */
export function newRunId(now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const day = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  return `run-${day}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}-${crypto.randomBytes(4).toString('hex')}`;
}

/** The run ids MLflow accepts (`mlflow/utils/validation.py` _RUN_ID_REGEX). */
export const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
