"""Where the server is: explicit arguments, then RUNLEDGER_URI/RUNLEDGER_TOKEN, then
MLFLOW_TRACKING_URI/MLFLOW_TRACKING_TOKEN, then the local data dir's running-instance.json and token
(what `runledger serve` writes), so a script on the same machine needs no configuration at all."""
import json
import os
import urllib.request


def data_dir(env=None):
    env = os.environ if env is None else env
    return os.path.abspath(os.path.expanduser(env.get("RUNLEDGER_HOME") or "~/.runledger"))


def spool_dir(env=None):
    env = os.environ if env is None else env
    return os.path.abspath(os.path.expanduser(env.get("RUNLEDGER_SPOOL_DIR") or "~/.runledger/spool"))


def _read_token(directory):
    try:
        with open(os.path.join(directory, "token"), "r", encoding="utf-8") as f:
            token = f.read().strip()
        return token or None
    except OSError:
        return None


def _running_instance(directory):
    try:
        with open(os.path.join(directory, "running-instance.json"), "r", encoding="utf-8") as f:
            inst = json.load(f)
        url = inst.get("url")
        return url.rstrip("/") if isinstance(url, str) and url else None
    except (OSError, ValueError, AttributeError):
        return None


def find_server(uri=None, token=None, env=None):
    """Returns (uri, token, where) or None when nothing names a server."""
    env = os.environ if env is None else env
    local = data_dir(env)
    if uri:
        return uri.rstrip("/"), token or env.get("RUNLEDGER_TOKEN") or _read_token(local), "argument"
    if env.get("RUNLEDGER_URI"):
        return env["RUNLEDGER_URI"].rstrip("/"), token or env.get("RUNLEDGER_TOKEN") or _read_token(local), "RUNLEDGER_URI"
    mlflow_uri = env.get("MLFLOW_TRACKING_URI", "")
    # file:, databricks and sqlite URIs are MLflow stores, not servers we can speak to.
    if mlflow_uri.startswith(("http://", "https://")):
        return mlflow_uri.rstrip("/"), token or env.get("MLFLOW_TRACKING_TOKEN") or _read_token(local), "MLFLOW_TRACKING_URI"
    running = _running_instance(local)
    if running:
        return running, token or _read_token(local), local
    return None


def server_answers(uri, timeout=2.0):
    """Whether GET /health answers (it needs no token)."""
    try:
        with urllib.request.urlopen(uri.rstrip("/") + "/health", timeout=timeout) as resp:
            return resp.status == 200
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
