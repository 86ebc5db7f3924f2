"""Where batches of metric points go: the server's log-batch endpoint, or the run's spool on disk.

The log-batch body is assembled from C-level pieces (one json.dumps for all values, map/zip for the
rest): json.dumps of 1000 small dicts costs about twice as much, and encoding is most of what a
logging lane spends per batch.
"""
import json

LOG_BATCH = "/api/2.0/mlflow/runs/log-batch"
_KEY_PREFIX = {}
# Strict JSON has no NaN/Infinity; MLflow's JSON spells them as strings.
_NON_FINITE = {"NaN": '"NaN"', "Infinity": '"Infinity"', "-Infinity": '"-Infinity"'}
_ITEM = '%s%s,"timestamp":%d,"step":%d}'


def _prefix(key):
    p = _KEY_PREFIX.get(key)
    if p is None:
        if len(_KEY_PREFIX) > 100000:  # a script inventing keys must not grow this without bound
            _KEY_PREFIX.clear()
        p = _KEY_PREFIX[key] = '{"key":%s,"value":' % json.dumps(key, ensure_ascii=False)
    return p


def encode_log_batch(run_id, rows):
    """rows: [(key, value, timestamp_ms, step)] → the JSON body of one log-batch request."""
    keys, values, stamps, steps = zip(*rows)
    text = json.dumps(values)  # floats only: their repr never contains ", "
    parts = text[1:-1].split(", ")
    if "N" in text or "I" in text:
        parts = [_NON_FINITE.get(p, p) for p in parts]
    try:
        prefixes = list(map(_KEY_PREFIX.__getitem__, keys))
    except KeyError:
        prefixes = [_prefix(k) for k in keys]
    items = ",".join(map(_ITEM.__mod__, zip(prefixes, parts, stamps, steps)))
    return ('{"run_id":"%s","metrics":[%s]}' % (run_id, items)).encode("utf-8")


class ServerSink:
    """One per logging lane: each lane has its own keep-alive connection."""

    kind = "server"

    def __init__(self, rest, run_id):
        self.rest = rest
        self.run_id = run_id

    def send(self, rows):
        self.rest.post_json_bytes(LOG_BATCH, encode_log_batch(self.run_id, rows))

    def sync(self):
        pass

    def close(self):
        self.rest.close()


class SpoolSink:
    """Shared by all lanes once a run logs offline; the writer is thread-safe."""

    kind = "spool"

    def __init__(self, writer):
        self.writer = writer

    def send(self, rows):
        self.writer.append_metrics(rows)

    def sync(self):
        self.writer.sync()

    def close(self):
        self.writer.sync()
