"""The "spill" queue policy: when a lane's queue is full, new points go to a spool on disk instead of
blocking the training loop, and a pump thread feeds them back to the lanes once they have caught up.

Order is kept: while spilling, every new point goes to disk (after everything already queued), and the
pump only moves a chunk into the lanes when they are empty, waits until that chunk is delivered, and
then records how far it got in `acked`. The spill folder is an ordinary spool whose header names the
run, so if the process dies `runledger sync` imports what is left (records up to `acked` are skipped).
"""
import json
import os
import threading

from .spool import RECORDS, SpoolWriter

CHUNK_RECORDS = 200


class Spill:
    def __init__(self, make_header, spool_root):
        self._make_header = make_header
        self._root = spool_root
        self.pipeline = None  # set by the run once the pipeline exists
        self.active = False
        # Reentrant: a signal handler that ends the run may interrupt the thread that holds it.
        self.lock = threading.RLock()
        self.writer = None
        self.written = 0  # metric records written to the spill
        self.pumped = 0  # metric records delivered from it
        self.total_points = 0
        self._thread = None
        self._drained = threading.Condition(self.lock)

    def start(self):
        with self.lock:
            if self.active:
                return
            if self.writer is None:
                header = dict(self._make_header())
                header["spill"] = True
                self.writer = SpoolWriter(self._root, header)
                self._reader = open(os.path.join(self.writer.folder, RECORDS), "rb")
                self._reader.readline()  # the header
            self.active = True
        self._thread = threading.Thread(target=self._pump, name="runledger-spill", daemon=True)
        self._thread.start()

    def put(self, rows):
        with self.lock:
            if not self.active:  # the pump caught up meanwhile: back to the lanes
                self.pipeline.put_direct(rows)
                return
            self.writer.append_metrics(rows)
            self.written += 1
            self.total_points += len(rows)

    def _read_chunk(self):
        rows = []
        n = 0
        while n < CHUNK_RECORDS:
            line = self._reader.readline()
            if not line.endswith(b"\n"):
                if line:
                    self._reader.seek(-len(line), os.SEEK_CUR)
                break
            payload = json.loads(line[line.index(b'","record":') + 11:-2].decode("utf-8"))
            rows.extend((k, float(v), t, s) for k, v, t, s in payload["metrics"])
            n += 1
        return n, rows

    def _pump(self):
        pipeline = self.pipeline
        while True:
            pipeline.flush()  # the lanes hold nothing older than the spill now
            with self.lock:
                self.writer.sync()
                if self.pumped >= self.written:
                    # Caught up: new points go to the lanes again; the spill folder is no longer needed.
                    self.active = False
                    self._reader.close()
                    self.writer.remove()
                    self.writer = None
                    self.written = self.pumped = 0
                    self._drained.notify_all()
                    return
            n, rows = self._read_chunk()
            if n == 0:
                continue
            pipeline.put_direct(rows)
            pipeline.flush()
            self.pumped += n
            self._write_acked()

    def _write_acked(self):
        # `runledger sync` skips the records the server already has (the header is record 0).
        path = os.path.join(self.writer.folder, "acked")
        with open(path + ".tmp", "w") as f:
            f.write(str(self.pumped))
        os.replace(path + ".tmp", path)

    def drain(self, timeout=None):
        """Waits until the spill is empty (every spilled point delivered); False on timeout."""
        with self.lock:
            if not self.active:
                return True
            return self._drained.wait_for(lambda: not self.active, timeout)
