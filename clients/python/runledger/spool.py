"""The offline spool: what the client writes when no server can be reached (or RUNLEDGER_MODE=offline),
and where a full queue spills. `runledger sync PATH` imports it (native/provenance/spool-format.ts
is the reader and documents the format):

    <spool root>/<UTC time>-<run name>-<8 hex>/records.jsonl       one record per line, append-only
    <spool root>/<UTC time>-<run name>-<8 hex>/artifacts/<sha256>  artifact bytes

Each line is {"sha256": "<hex of the payload bytes>", "record": <payload>}: a checksum per record
that the reader verifies on the exact bytes. Payloads carry seq (0, 1, 2, ...) and type; record 0 is
the run header. Lines are written whole and fsync'd per flush, so a crash loses at most the records
since the last flush and can tear only the last line.
"""
import hashlib
import json
import math
import os
import re
import shutil
import threading
import time
import uuid

RECORDS = "records.jsonl"
ARTIFACTS = "artifacts"
FORMAT_VERSION = 1
_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


def json_value(v):
    """NaN and ±Infinity as MLflow's JSON spells them (strict JSON has no such numbers)."""
    if v != v:
        return "NaN"
    return _NON_FINITE.get(v, v)


def encode_record(payload):
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
    return b'{"sha256":"' + hashlib.sha256(body).hexdigest().encode("ascii") + b'","record":' + body + b"}\n"


def _folder_name(run_name):
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", run_name or "run").strip("-.")[:60] or "run"
    return "%s-%s-%s" % (stamp, safe, uuid.uuid4().hex[:8])


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class SpoolWriter:
    """One run's spool folder. Thread-safe: the logging threads and the caller's thread share it."""

    def __init__(self, root, header):
        os.makedirs(root, exist_ok=True)
        self.folder = os.path.join(root, _folder_name(header.get("run_name")))
        os.makedirs(os.path.join(self.folder, ARTIFACTS))
        _fsync_dir(root)
        self._lock = threading.Lock()
        self._file = open(os.path.join(self.folder, RECORDS), "ab")
        self._seq = 0
        self.records = 0
        head = {"format": FORMAT_VERSION, "spool_uuid": uuid.uuid4().hex, "created": int(time.time() * 1000)}
        head.update(header)
        self.append("run", head)
        self.sync()

    def append(self, kind, fields):
        with self._lock:
            payload = {"seq": self._seq, "type": kind}
            payload.update(fields)
            self._file.write(encode_record(payload))
            self._seq += 1
            self.records += 1

    def append_metrics(self, rows):
        """rows: [(key, value, timestamp_ms, step), ...]."""
        self.append("metrics", {"metrics": [[k, json_value(v), t, s] for k, v, t, s in rows]})

    def sync(self):
        """Flush and fsync: what was appended survives a crash from here on."""
        with self._lock:
            if self._file.closed:
                return
            self._file.flush()
            os.fsync(self._file.fileno())

    def add_artifact(self, local_path, artifact_path, media_type=None):
        """Copies the file in (content-addressed) and records it under `artifact_path`."""
        digest = hashlib.sha256()
        tmp = os.path.join(self.folder, ARTIFACTS, ".tmp-%s" % uuid.uuid4().hex)
        size = 0
        with open(local_path, "rb") as src, open(tmp, "wb") as dst:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha = digest.hexdigest()
        final = os.path.join(self.folder, ARTIFACTS, sha)
        if os.path.exists(final):
            os.remove(tmp)
        else:
            os.replace(tmp, final)
        self.append("artifact", {"path": artifact_path, "sha256": sha, "size": size, "media_type": media_type})
        return sha

    def close(self):
        self.sync()
        with self._lock:
            self._file.close()

    def remove(self):
        """Deletes the folder (a spill spool whose records all reached the server)."""
        if not self._file.closed:
            with self._lock:
                self._file.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def read_records(folder):
    """Yields the valid payloads of a spool folder in order, stopping at the first bad line (for the
    spill pump and for tests; the server has its own reader)."""
    with open(os.path.join(folder, RECORDS), "rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                return
            head, sep, rest = line.partition(b'","record":')
            if not sep or not head.startswith(b'{"sha256":"'):
                return
            body = rest[:-2]  # drop "}\n"
            if hashlib.sha256(body).hexdigest().encode("ascii") != head[len(b'{"sha256":"'):]:
                return
            yield json.loads(body.decode("utf-8"))
