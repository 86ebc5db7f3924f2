"""Non-blocking metric logging: log() only appends to an in-memory queue; background lanes batch the
points into log-batch requests (at most 1000 metrics each, at least once per flush interval), retry
with backoff, and fall back to the spool when the server stays away.

Order per key is kept by giving each key one lane for the run's lifetime: a lane sends its batches
one at a time, in order. Several lanes let several requests be in flight (the server commits them
together) without ever letting a later point of a key overtake an earlier one, which the server
would read as a resumed run (a step going backwards starts a new segment).
"""
import collections
import sys
import threading
import time

from .params import validate_key
from .rest import RunledgerError, ServerUnavailable, with_retries


class Lane:
    def __init__(self, index, pipeline):
        self.index = index
        self.pipeline = pipeline
        self.q = collections.deque()
        self.wake = threading.Event()
        self.cond = threading.Condition()
        self.taken = 0  # points popped for sending (under cond)
        self.done = 0  # points delivered or definitively refused (under cond)
        self.sink = None
        self.thread = threading.Thread(target=self._loop, name="runledger-lane-%d" % index, daemon=True)

    def backlog_target(self):
        with self.cond:
            return self.taken + len(self.q)

    def _loop(self):
        p = self.pipeline
        while True:
            self.wake.wait(p.flush_interval)
            self.wake.clear()
            while self.q:
                with self.cond:
                    n = min(len(self.q), p.batch_size)
                    rows = [self.q.popleft() for _ in range(n)]
                    self.taken += n
                p.deliver(self, rows)
                with self.cond:
                    self.done += n
                    self.cond.notify_all()
            self.sink.sync()  # spool sinks fsync here: once per flush, not per batch
            with self.cond:
                self.cond.notify_all()
            if p.closing and not self.q:
                return


class Pipeline:
    def __init__(self, sinks, batch_size=1000, flush_interval=1.0, max_queued=200000, full_policy="block",
                 retry_seconds=15.0, on_offline=None, spill=None):
        if full_policy not in ("block", "spill"):
            raise ValueError("full_policy must be 'block' or 'spill'")
        self.batch_size = min(1000, int(batch_size))  # the server refuses more than 1000 metrics per batch
        self.flush_interval = float(flush_interval)
        self.capacity = max(self.batch_size, int(max_queued) // len(sinks))
        self.full_policy = full_policy
        self.retry_seconds = float(retry_seconds)
        self.on_offline = on_offline  # () -> SpoolSink: called once when the server is given up on
        self.spill = spill  # a Spill (spill.py) when full_policy == "spill"
        self.closing = False
        self.lanes = [Lane(i, self) for i in range(len(sinks))]
        for lane, sink in zip(self.lanes, sinks):
            lane.sink = sink
        self.key_lane = {}
        self.key_append = {}  # key -> its lane's deque.append: one dict lookup per point on the hot path
        self._since_check = 0
        self.stats = {"batches": 0, "points": 0, "max_batch": 0, "retries": 0, "refused_points": 0, "blocked_s": 0.0}
        self.errors = []
        self._offline_lock = threading.Lock()
        self.on_batch = None  # test hook: (lane_index, rows) after each delivered batch
        for lane in self.lanes:
            lane.thread.start()

    # ---- producer side (the training loop's thread) ----

    def _lane_for(self, key):
        validate_key(key, "metric")
        lane = self.lanes[len(self.key_lane) % len(self.lanes)]  # round-robin: keys spread evenly
        self.key_lane[key] = lane
        self.key_append[key] = lane.q.append
        return lane

    def put(self, metrics, values, ts, step):
        """The log() hot path: metrics is the caller's dict, values its values as floats (same order)."""
        if self.spill is not None and self.spill.active:
            self.spill.put([(k, v, ts, step) for k, v in zip(metrics, values)])
            return
        appenders = self.key_append
        if not metrics.keys() <= appenders.keys():
            for key in metrics:  # new keys: all checked before any point of this call is queued
                if key not in appenders:
                    self._lane_for(key)
        for key, value in zip(metrics, values):
            appenders[key]((key, value, ts, step))
        # The lanes are looked at once per batch's worth of points, not on every call: the queue bound
        # is soft by at most one batch, and log() stays a few dict lookups and appends.
        self._since_check += len(values)
        if self._since_check >= self.batch_size:
            self._since_check = 0
            self._check_lanes()

    def _check_lanes(self):
        for lane in self.lanes:
            n = len(lane.q)
            if n >= self.batch_size:
                if not lane.wake.is_set():
                    lane.wake.set()
                if n >= self.capacity:
                    self._full(lane)

    def put_direct(self, rows):
        """For the spill pump: into the lanes, never back into the spill."""
        for row in rows:
            (self.key_append.get(row[0]) or self._lane_for(row[0]).q.append)(row)
        for lane in self.lanes:
            lane.wake.set()

    def _full(self, lane):
        if self.full_policy == "spill":
            # From the next call until the spill is drained, new points go to disk, after what is queued.
            self.spill.start()
            return
        start = time.monotonic()
        with lane.cond:
            # Down to half, not just below full: otherwise every further log() call would block again.
            while len(lane.q) > self.capacity // 2 and not self.closing:
                lane.wake.set()
                lane.cond.wait(0.5)
        self.stats["blocked_s"] += time.monotonic() - start

    # ---- lane side ----

    def deliver(self, lane, rows):
        try:
            if lane.sink.kind == "server":
                with_retries(lambda: lane.sink.send(rows), self.retry_seconds, sleep=self._retry_sleep)
            else:
                lane.sink.send(rows)
        except ServerUnavailable as err:
            self.go_offline(str(err))
            lane.sink.send(rows)
        except RunledgerError as err:
            # Refused (4xx): retrying cannot help. Loud, counted, and raised again at end_run.
            self.stats["refused_points"] += len(rows)
            self.errors.append(str(err))
            sys.stderr.write("runledger: the server refused %d metric points: %s\n" % (len(rows), err))
            return
        with self._offline_lock:
            st = self.stats
            st["batches"] += 1
            st["points"] += len(rows)
            st["max_batch"] = max(st["max_batch"], len(rows))
        if self.on_batch is not None:
            self.on_batch(lane.index, rows)

    def _retry_sleep(self, seconds):
        self.stats["retries"] += 1
        time.sleep(seconds)

    def go_offline(self, reason):
        """Every lane switches to the spool (once): the server did not answer for retry_seconds."""
        with self._offline_lock:
            if all(lane.sink.kind == "spool" for lane in self.lanes):
                return
            spool_sink = self.on_offline(reason)
            for lane in self.lanes:
                if lane.sink.kind != "spool":
                    lane.sink.close()
                    lane.sink = spool_sink

    # ---- both ----

    def flush(self, timeout=None):
        """Waits until every point queued before the call is delivered; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        targets = [(lane, lane.backlog_target()) for lane in self.lanes]
        for lane, _ in targets:
            lane.wake.set()
        for lane, target in targets:
            with lane.cond:
                while lane.done < target:
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        return False
                    lane.wake.set()
                    lane.cond.wait(0.2 if left is None else min(left, 0.2))
        return True

    def spill_remaining(self):
        """After a close that timed out (and go_offline): every point still queued goes to the spool now."""
        for lane in self.lanes:
            with lane.cond:
                rows = list(lane.q)
                lane.q.clear()
            for i in range(0, len(rows), self.batch_size):
                lane.sink.send(rows[i:i + self.batch_size])
            lane.sink.sync()

    def close(self, timeout=None):
        ok = True
        if self.spill is not None:
            ok = self.spill.drain(timeout)
        ok = self.flush(timeout) and ok
        self.closing = True
        for lane in self.lanes:
            lane.wake.set()
        for lane in self.lanes:
            lane.thread.join(timeout)
        seen = set()
        for lane in self.lanes:
            if id(lane.sink) not in seen:
                seen.add(id(lane.sink))
                lane.sink.close()
        return ok
