// The importer registry: the first importer whose detect() recognises a path reads it. Order
// matters where formats nest: an MLflow store can hold TensorBoard files among its artifacts, and a
// Lightning version folder can hold event files next to metrics.csv.
import type { Detection, Importer } from './import-record';
import { tensorboardImporter } from './tensorboard/tensorboard-importer';
import { lightningCsvImporter } from './lightning-csv-importer';
import { mlflowDirImporter } from './mlflow/mlflow-dir-importer';
import { runbundleImporter, spoolImporter } from './unsupported-importers';

export const IMPORTERS: readonly Importer[] = [runbundleImporter, mlflowDirImporter, spoolImporter, lightningCsvImporter, tensorboardImporter];

export async function detectFormat(p: string): Promise<{ importer: Importer; detection: Detection } | null> {
  for (const importer of IMPORTERS) {
    const detection = await importer.detect(p);
    if (detection) return { importer, detection };
  }
  return null;
}
