"""Runledger's Python client: standard library only, Python 3.8+.

Logs to a Runledger server (found through RUNLEDGER_URI / MLFLOW_TRACKING_URI or the local data dir),
or, when none answers, to an offline spool that `runledger sync` imports later. Captures the run's
code, data, config and context automatically.

    import runledger as rl
    with rl.start_run(experiment="credit-risk", name="xgb-baseline", config=cfg) as run:
        run.log({"train_loss": loss}, step=step)
"""
from .datasets import hash_path
from .params import flatten_params, param_value
from .rest import RunledgerError, ServerUnavailable
from .run import CLIENT_VERSION, Run, active_run, start_run

__version__ = CLIENT_VERSION
__all__ = ["Run", "RunledgerError", "ServerUnavailable", "active_run", "flatten_params", "hash_path", "param_value", "start_run"]
