"""Where a run's records go besides metrics: the server (MLflow REST API and Runledger's provenance
endpoints), or the run's spool once the server is out of reach. Each call is tried online with retries;
when the server stays away, the run switches to its spool for good (the spool's header carries the
server's run id, so `runledger sync` appends to the same run) and the record goes there instead."""
import getpass
import mimetypes
import os
import sys
import threading
import time
import urllib.parse

from .rest import RunledgerError, ServerUnavailable, with_retries
from .sinks import SpoolSink
from .spool import SpoolWriter

MLFLOW = "/api/2.0/mlflow/"
RUNLEDGER = "/api/2.0/runledger/"


def _kv(d):
    return [{"key": k, "value": v} for k, v in d.items()]


class Backend:
    def __init__(self, rest, spool_root, header, retry_seconds):
        self.rest = rest  # None: offline from the start
        self.spool_root = spool_root
        self.header = header  # run name, experiment, start time, tags: the spool header if one is needed
        self.retry_seconds = retry_seconds
        self.run_id = None
        self.experiment_id = None
        self.spool = None
        self.offline_reason = None
        self._lock = threading.Lock()

    # ---- run creation ----

    def start(self):
        if self.rest is None:
            self.go_offline("RUNLEDGER_MODE=offline" if self.offline_reason is None else self.offline_reason)
            return
        h = self.header
        try:
            self.experiment_id = with_retries(lambda: self._experiment_id(h.get("experiment")), self.retry_seconds)
            body = {"experiment_id": self.experiment_id, "run_name": h["run_name"], "start_time": h["start_time"],
                    "user_id": h["user"], "tags": _kv(h["tags"])}
            run = with_retries(lambda: self.rest.post(MLFLOW + "runs/create", body), self.retry_seconds)
            self.run_id = run["run"]["info"]["run_id"]
        except ServerUnavailable as err:
            self.go_offline(str(err))

    def _experiment_id(self, name):
        if not name:
            return "0"
        try:
            return self.rest.get(MLFLOW + "experiments/get-by-name", experiment_name=name)["experiment"]["experiment_id"]
        except RunledgerError as err:
            if err.error_code != "RESOURCE_DOES_NOT_EXIST":
                raise
        try:
            return self.rest.post(MLFLOW + "experiments/create", {"name": name})["experiment_id"]
        except RunledgerError as err:  # created by another process since we looked
            if err.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
            return self.rest.get(MLFLOW + "experiments/get-by-name", experiment_name=name)["experiment"]["experiment_id"]

    # ---- offline switch ----

    def go_offline(self, reason):
        """Returns the spool sink for metrics; creates the spool once."""
        with self._lock:
            if self.spool is None:
                header = dict(self.header)
                header["run_id"] = self.run_id
                self.spool = SpoolWriter(self.spool_root, header)
                self.offline_reason = reason
                if self.rest is not None:
                    sys.stderr.write("runledger: the server did not answer (%s); logging to the spool %s\n" % (reason, self.spool.folder))
            return SpoolSink(self.spool)

    @property
    def offline(self):
        return self.spool is not None

    def _send(self, online, kind, fields):
        if self.spool is None:
            try:
                return with_retries(online, self.retry_seconds)
            except ServerUnavailable as err:
                self.go_offline(str(err))
        self.spool.append(kind, fields)
        self.spool.sync()
        return None

    # ---- records ----

    def params(self, params):
        self._batched("params", params)

    def tags(self, tags):
        self._batched("tags", tags)

    def _batched(self, kind, values):
        items = list(values.items())
        for i in range(0, len(items), 100):  # the server takes at most 100 params (or tags) per batch
            chunk = dict(items[i:i + 100])
            self._send(lambda: self.rest.post(MLFLOW + "runs/log-batch", {"run_id": self.run_id, kind: _kv(chunk)}), kind, {kind: chunk})

    def provenance(self, body):
        answer = self._send(lambda: self.rest.post(RUNLEDGER + "runs/log-provenance", dict(body, run_id=self.run_id)), "provenance", body)
        return answer.get("provenance") if answer else None

    def dataset(self, body):
        answer = self._send(lambda: self.rest.post(RUNLEDGER + "runs/log-dataset", dict(body, run_id=self.run_id)), "dataset", body)
        return answer.get("dataset") if answer else None

    def artifact(self, local_path, artifact_path):
        media_type = mimetypes.guess_type(artifact_path)[0] or "application/octet-stream"
        if self.spool is None:
            url = "/api/2.0/mlflow-artifacts/artifacts/%s/%s/artifacts/%s" % (
                self.experiment_id, self.run_id, urllib.parse.quote(artifact_path, safe="/"))

            def upload():
                with open(local_path, "rb") as f:
                    return self.rest.request("PUT", url, f, media_type, content_length=os.path.getsize(local_path))
            try:
                return with_retries(upload, self.retry_seconds)
            except ServerUnavailable as err:
                self.go_offline(str(err))
        self.spool.add_artifact(local_path, artifact_path, media_type)
        self.spool.sync()
        return None

    def end(self, status, end_time=None):
        end_time = end_time or int(time.time() * 1000)
        self._send(lambda: self.rest.post(MLFLOW + "runs/update", {"run_id": self.run_id, "status": status, "end_time": end_time}),
                   "end", {"status": status, "end_time": end_time})
        if self.spool is not None:
            self.spool.close()
        if self.rest is not None:
            self.rest.close()


def default_user():
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry in some containers
        return os.environ.get("USER", "")
