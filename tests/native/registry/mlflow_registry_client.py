"""The unmodified MLflow client against Runledger's registry: log_model(registered_model_name=...),
register_model, transition_model_version_stage, aliases, tags, search, get-latest-versions, and
loading the registered model back by alias. Prints one JSON summary line for the test to check."""
import json
import os

import mlflow
import mlflow.pyfunc
from mlflow import MlflowClient

suffix = os.environ["RUNLEDGER_SMOKE_SUFFIX"]
name = f"churn-{suffix}"
client = MlflowClient()
mlflow.set_experiment(f"registry-{suffix}")


class Echo(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return model_input


with mlflow.start_run(run_name="trained") as run:
    mlflow.log_metric("val_auc", 0.91)
    mlflow.log_metric("latency_ms", 40)
    logged = mlflow.pyfunc.log_model("model", python_model=Echo(), registered_model_name=name)
run_id = run.info.run_id

# A second version of the same model, registered from the run's URI.
mv2 = mlflow.register_model(f"runs:/{run_id}/model", name)
staged = client.transition_model_version_stage(name, mv2.version, "Staging", archive_existing_versions=True)
client.transition_model_version_stage(name, "1", "Production")
client.set_registered_model_alias(name, "champion", mv2.version)
by_alias = client.get_model_version_by_alias(name, "champion")
client.set_registered_model_tag(name, "team", "risk")
client.set_model_version_tag(name, mv2.version, "validated", "yes")
latest = client.get_latest_versions(name, stages=["Staging", "Production"])
versions = client.search_model_versions(f"name = '{name}'")
models = client.search_registered_models(filter_string=f"name LIKE 'churn-{suffix}%'")
download_uri = client.get_model_version_download_uri(name, mv2.version)
loaded = mlflow.pyfunc.load_model(f"models:/{name}@champion")
prediction = loaded.predict([1, 2, 3])
client.delete_registered_model_alias(name, "champion")
rm = client.get_registered_model(name)

print(
    "SUMMARY "
    + json.dumps(
        {
            "mlflow_version": mlflow.__version__,
            "name": name,
            "run_id": run_id,
            "logged_model_uri": logged.model_uri,
            "v2": mv2.version,
            "v2_source": mv2.source,
            "v2_run_id": mv2.run_id,
            "staged_stage": staged.current_stage,
            "by_alias_version": by_alias.version,
            "latest": sorted([f"{v.version}:{v.current_stage}" for v in latest]),
            "versions": sorted(v.version for v in versions),
            "models": [m.name for m in models],
            "download_uri": download_uri,
            "prediction": list(prediction),
            "aliases_after_delete": dict(rm.aliases),
            "tags": dict(rm.tags),
        }
    )
)
