"""A run: what a training script holds while it logs.

    with runledger.start_run(experiment="credit-risk", name="xgb-baseline", config=cfg) as run:
        run.log_dataset("data/train.parquet", name="credit_risk_v2.1")
        for step, batch in enumerate(loader, 1):
            run.log({"train_loss": loss, "lr": lr}, step=step)
        run.log_artifact("model.pt")
"""
import os
import sys
import tempfile
import threading
import time
import traceback

from . import exit_hooks, provenance
from .backend import Backend, default_user
from .datasets import csv_profile, hash_path
from .discovery import find_server, server_answers, spool_dir
from .params import checked_value, flatten_params
from .pipeline import Pipeline
from .rest import RestClient, RunledgerError
from .sinks import ServerSink
from .spill import Spill

CLIENT_VERSION = "0.1.0"
MAX_INT = 2 ** 53 - 1  # the server keeps steps and timestamps exact up to here and refuses beyond


class Run:
    def __init__(self, experiment=None, name=None, config=None, tags=None, capture=True, mode=None, uri=None, token=None,
                 spool_root=None, lanes=None, flush_interval=1.0, max_queued=200000, full_policy=None, retry_seconds=None,
                 capture_env_vars=()):
        env = os.environ
        mode = (mode or env.get("RUNLEDGER_MODE") or "auto").lower()
        if mode not in ("auto", "online", "offline"):
            raise ValueError("mode must be auto, online or offline, got %r" % mode)
        retry = float(env.get("RUNLEDGER_RETRY_SECONDS", 15) if retry_seconds is None else retry_seconds)
        self.name = name or "run-" + time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        self._params = flatten_params(config) if config is not None else {}
        all_tags = {k: checked_value(k, v, "tag") for k, v in (tags or {}).items()}
        self._ended = False
        self._end_lock = threading.RLock()  # a signal handler may end the run while end() runs
        on = provenance.switches(capture)
        try:
            self.captured = provenance.collect(on, self._params, capture_env_vars)
        except Exception as err:  # noqa: BLE001 - capture must never stop a training run
            sys.stderr.write("runledger: provenance capture failed: %s\n" % err)
            self.captured = ({}, None, None)
        code = self.captured[1]
        all_tags.setdefault("mlflow.user", default_user())
        all_tags.setdefault("mlflow.source.name", os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else "")
        all_tags.setdefault("runledger.client", "python/" + CLIENT_VERSION)
        if code and code.get("commit"):
            all_tags.setdefault("mlflow.source.git.commit", code["commit"])  # MLflow's own UI reads this tag
        header = {"experiment": experiment, "run_name": self.name, "start_time": int(time.time() * 1000),
                  "user": all_tags["mlflow.user"], "tags": all_tags}
        self.spool_root = spool_root or spool_dir()
        rest, server = None, None
        reason = "RUNLEDGER_MODE=offline"
        if mode != "offline":
            found = find_server(uri, token)
            if found and server_answers(found[0]):
                server = found
                rest = RestClient(found[0], found[1])
            elif mode == "online":
                raise RunledgerError("no Runledger server answers (%s); start one with `runledger serve`, or log offline"
                                     % (found[0] if found else "none configured: set RUNLEDGER_URI"))
            else:
                reason = "no server answers at %s" % found[0] if found else "no server configured or running"
        self._backend = backend = Backend(rest, self.spool_root, header, retry)
        backend.offline_reason = None if rest else reason
        backend.start()
        if rest is None and mode == "auto":
            sys.stderr.write("runledger: %s; logging offline to %s\n" % (reason, backend.spool.folder))
        n_lanes = int(lanes or env.get("RUNLEDGER_LANES", 4)) if not backend.offline else 1
        sinks = [backend.go_offline(reason)] if backend.offline else [ServerSink(RestClient(*server[:2]), backend.run_id) for _ in range(n_lanes)]
        policy = full_policy or env.get("RUNLEDGER_QUEUE_FULL", "block")
        spill = Spill(lambda: dict(header, run_id=backend.run_id), self.spool_root) if policy == "spill" else None
        self._pipeline = Pipeline(sinks, flush_interval=flush_interval, max_queued=max_queued, full_policy=policy,
                                  retry_seconds=retry, on_offline=backend.go_offline, spill=spill)
        if spill is not None:
            spill.pipeline = self._pipeline
        if self._params:
            backend.params(self._params)
        self._send_provenance()
        exit_hooks.register(self)

    @property
    def run_id(self):
        """The server's run id (None for a run logged offline from the start: it gets one at sync)."""
        return self._backend.run_id

    @property
    def spool_folder(self):
        return self._backend.spool.folder if self._backend.spool else None

    @property
    def stats(self):
        return dict(self._pipeline.stats, offline=self._backend.offline)

    def _send_provenance(self):
        env, code, diff = self.captured
        if code is not None and diff:
            import hashlib
            with tempfile.NamedTemporaryFile("wb", suffix=".diff", delete=False) as f:
                f.write(diff)
            try:
                self._backend.artifact(f.name, "provenance/git.diff")
            finally:
                os.unlink(f.name)
            code = dict(code, diff_artifact="provenance/git.diff", diff_sha256=hashlib.sha256(diff).hexdigest(), diff_bytes=len(diff))
        if env or code:
            try:
                self.provenance = self._backend.provenance({"environment": env, "code": code})
            except RunledgerError as err:
                sys.stderr.write("runledger: the server refused the provenance snapshot: %s\n" % err)

    # ---- logging ----

    def log(self, metrics, step=None, timestamp=None):
        """Queues metric values (numbers, numpy scalars, 0-d tensors); returns at once."""
        if self._ended:
            raise RunledgerError("run %s has ended; start a new one to log more" % self.name)
        ts = int(time.time() * 1000) if timestamp is None else int(timestamp)
        if step is None:
            step = 0
        else:
            step = int(step)
            if not -MAX_INT <= step <= MAX_INT:
                raise ValueError("step %d is outside ±2^53" % step)
        try:
            values = list(map(float, metrics.values()))  # numpy scalars and 0-d tensors convert here
        except (TypeError, ValueError):
            for key, value in metrics.items():
                try:
                    float(value)
                except (TypeError, ValueError):
                    raise TypeError("metric %r: %r is not a number" % (key, value)) from None
            raise
        self._pipeline.put(metrics, values, ts, step)

    def log_metric(self, key, value, step=None, timestamp=None):
        self.log({key: value}, step=step, timestamp=timestamp)

    def log_params(self, params):
        flat = flatten_params(params)
        changed = [k for k, v in flat.items() if k in self._params and self._params[k] != v]
        if changed:
            raise ValueError("params are immutable; already logged with other values: %s" % ", ".join(changed))
        self._params.update(flat)
        self._backend.params(flat)

    def set_tags(self, tags):
        self._backend.tags({k: checked_value(k, v, "tag") for k, v in tags.items()})

    def log_dataset(self, path_or_uri, name, context=None, digest=None):
        """Fingerprints a dataset (streamed SHA-256; a directory hashes its sorted tree) and links it to the run.

        Returns what the server stored (profile, and `digest_changed` when an earlier run used this
        name with other data), or None while offline."""
        if not isinstance(name, str) or not 0 < len(name) <= 500:
            raise ValueError("dataset name must be 1 to 500 characters, got %r" % (name,))
        local = path_or_uri[7:] if path_or_uri.startswith("file://") else path_or_uri
        if "://" in local:
            if not digest:
                raise ValueError("%s is not a local path: pass digest= (the data's checksum) to log it" % path_or_uri)
            body = {"name": name, "uri": path_or_uri, "digest": digest, "context": context}
        else:
            local = os.path.abspath(local)
            sha, size, _ = hash_path(local)
            body = {"name": name, "uri": local, "digest": sha, "size_bytes": size, "context": context}
            if self._backend.offline:
                body["profile"] = csv_profile(local) if os.path.isfile(local) else None
        answer = self._backend.dataset(body)
        if answer is not None and answer.get("profiled_by") != "server" and "profile" not in body and os.path.isfile(body["uri"]):
            profile = csv_profile(body["uri"])  # the server could not read it: send what we can compute
            if profile:
                answer = self._backend.dataset(dict(body, profile=profile))
        if answer and answer.get("digest_changed"):
            sys.stderr.write("runledger: dataset %r changed: %s used digest %s, this run has %s\n"
                             % (name, answer.get("previous_run_id"), answer.get("previous_digest"), answer["digest"]))
        return answer

    def log_artifact(self, local_path, artifact_path=None):
        """Uploads a file (or every file of a directory) under `artifact_path` (default: its name)."""
        base = artifact_path or os.path.basename(os.path.normpath(local_path))
        if os.path.isdir(local_path):
            for root, _, files in os.walk(local_path):
                for f in sorted(files):
                    rel = os.path.relpath(os.path.join(root, f), local_path).replace(os.sep, "/")
                    self._backend.artifact(os.path.join(root, f), base + "/" + rel)
        else:
            self._backend.artifact(local_path, base)

    def log_text(self, text, artifact_path):
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
            f.write(text)
        try:
            self._backend.artifact(f.name, artifact_path)
        finally:
            os.unlink(f.name)

    def flush(self, timeout=None):
        """Blocks until every point logged so far is on the server (or in the spool); False on timeout."""
        return self._pipeline.flush(timeout)

    # ---- ending ----

    def end(self, status="FINISHED", timeout=None):
        with self._end_lock:
            if self._ended:
                return
            self._ended = True
        exit_hooks.unregister(self)
        if not self._pipeline.close(timeout):
            # Not delivered in time (a signal's grace period): what is left goes to the spool, not away.
            self._pipeline.go_offline("could not flush within %ss" % timeout)
            self._pipeline.spill_remaining()
        self._backend.end(status)
        if self._backend.offline:
            sys.stderr.write("runledger: run %r is in the spool %s; import it with: npx runledger sync %s\n"
                             % (self.name, self.spool_folder, self.spool_folder))
        if self._pipeline.errors:
            raise RunledgerError("%d metric points were refused by the server; first: %s"
                                 % (self._pipeline.stats["refused_points"], self._pipeline.errors[0]))

    def _end_from_exception(self, kind, value, tb):
        if issubclass(kind, SystemExit) and value.code in (None, 0):
            return self.end("FINISHED")
        status = "KILLED" if issubclass(kind, KeyboardInterrupt) else "FAILED"
        try:
            self.log_text("".join(traceback.format_exception(kind, value, tb)), "traceback.txt")
            self.set_tags({"runledger.error": ("%s: %s" % (kind.__name__, value))[:1000]})
        except Exception as err:  # noqa: BLE001 - the original exception matters more
            sys.stderr.write("runledger: could not store the traceback: %s\n" % err)
        self.end(status)

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.end("FINISHED")
        elif not self._ended:
            self._end_from_exception(kind, value, tb)
        return False


def start_run(**kwargs):
    """Starts a run (see Run for the options); use it as a context manager."""
    return Run(**kwargs)


def active_run():
    return exit_hooks._active[-1] if exit_hooks._active else None
