"""The Python client's cost and throughput (run by bench/client.bench.ts against real local servers).

Prints one JSON object:
- overhead_2 / overhead_10: µs spent inside one log() call (2 or 10 metrics; median, mean, p99) in a
  loop that does 100 µs of "training" between calls, so the queue never fills (what a training step pays);
- server: metric points per second one process pushes to a real Runledger server through the batching
  lanes, from the first log() until the last point is acknowledged;
- bare: the same against a server that only parses the JSON (bench/bare-server.mjs): the client's own
  ceiling, whatever the store costs;
- spool: the same into the offline spool (fsync per flush).
"""
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))
import runledger as rl  # noqa: E402
from runledger.pipeline import Pipeline  # noqa: E402
from runledger.rest import RestClient  # noqa: E402
from runledger.sinks import ServerSink  # noqa: E402

POINTS = int(os.environ.get("BENCH_CLIENT_POINTS", "2000000"))
CALLS = int(os.environ.get("BENCH_CLIENT_CALLS", "20000"))
KEYS = ["metric_%d" % i for i in range(10)]


def push(run):
    calls = POINTS // len(KEYS)
    t0 = time.perf_counter()
    for step in range(calls):
        run.log({"metric_0": step * 0.5, "metric_1": 0.1, "metric_2": 0.2, "metric_3": 0.3, "metric_4": 0.4,
                 "metric_5": 0.5, "metric_6": 0.6, "metric_7": 0.7, "metric_8": 0.8, "metric_9": 0.9}, step=step)
    run.flush()
    total = time.perf_counter() - t0
    return {"points": calls * len(KEYS), "seconds": total, "points_per_s": calls * len(KEYS) / total, "batches": run.stats["batches"]}


def throughput(mode, spool_root=None):
    kwargs = {"mode": mode, "capture": False}
    if spool_root:
        kwargs["spool_root"] = spool_root
    with rl.start_run(experiment="bench-client", name="throughput-%s" % mode, **kwargs) as run:
        return push(run)


class _BareRun(rl.Run):
    """Run.log over lanes that post to the bare server (which has no runs to create)."""

    def __init__(self, uri, lanes=4):  # noqa: super().__init__ deliberately skipped
        self._ended = False
        self._pipeline = Pipeline([ServerSink(RestClient(uri, None), "bench-run") for _ in range(lanes)])
        self._backend = type("B", (), {"offline": False})()


def bare_throughput(uri):
    run = _BareRun(uri)
    out = push(run)
    run._pipeline.close()
    return out


def overhead(metrics_per_call):
    """Per-call time inside log(): median (what a call costs) and mean (with the rare call that waits
    for the GIL while a lane thread encodes a batch)."""
    with rl.start_run(experiment="bench-client", name="overhead-%d" % metrics_per_call, capture=False) as run:
        values = {k: 0.5 for k in KEYS[:metrics_per_call]}
        spent = [0.0] * CALLS
        clock = time.perf_counter
        for step in range(CALLS):
            t = clock()
            run.log(values, step=step)
            spent[step] = clock() - t
            until = clock() + 100e-6
            while clock() < until:  # the training step
                pass
    spent.sort()
    return {"median_us": spent[CALLS // 2] * 1e6, "mean_us": sum(spent) / CALLS * 1e6, "p99_us": spent[int(CALLS * 0.99)] * 1e6}


def calibration_ns():
    """ns per iteration of an empty Python loop: how fast this machine runs Python, to scale the µs above."""
    t = time.perf_counter()
    for _ in range(2000000):
        pass
    return (time.perf_counter() - t) / 2000000 * 1e9


def main():
    out = {"server": throughput("online"), "loop_ns": calibration_ns()}
    if os.environ.get("BENCH_BARE_URI"):
        out["bare"] = bare_throughput(os.environ["BENCH_BARE_URI"])
    with tempfile.TemporaryDirectory() as spool:
        out["spool"] = throughput("offline", spool)
    out["overhead_2"] = overhead(2)
    out["overhead_10"] = overhead(10)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
