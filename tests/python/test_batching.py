"""Non-blocking batched logging against a real server: batch sizes, order per key, the flush interval,
the full-queue policies (block, spill) and non-finite values."""
import math
import os
import threading
import time
import unittest
from unittest import mock

from harness import Server, temp_dir

import runledger as rl
from runledger.pipeline import Pipeline

server = None


def setUpModule():
    global server
    server = Server()


def tearDownModule():
    server.cleanup()


def start(test, **kwargs):
    kwargs.setdefault("capture", False)
    kwargs.setdefault("spool_root", temp_dir(test))
    return rl.start_run(uri=server.url, token=server.token, mode="online", **kwargs)


class BatchingTest(unittest.TestCase):
    def test_batches_hold_at_most_1000_metrics_and_keep_order_per_key(self):
        run = start(self, name="batching", lanes=3)
        seen = []
        run._pipeline.on_batch = lambda lane, rows: seen.append((lane, rows))
        for step in range(5500):
            run.log({"loss": 1.0 / (step + 1), "acc": step / 5500, "lr": 0.001}, step=step)
        self.assertTrue(run.flush(60))
        run.end()
        self.assertLessEqual(max(len(rows) for _, rows in seen), 1000)
        self.assertEqual(sum(len(rows) for _, rows in seen), 16500)
        for key in ("loss", "acc", "lr"):
            lanes = {lane for lane, rows in seen if any(r[0] == key for r in rows)}
            self.assertEqual(len(lanes), 1, "a key is sent by one lane only")
            steps = [r[3] for _, rows in seen for r in rows if r[0] == key]
            self.assertEqual(steps, list(range(5500)), "sent in logging order")
            # get-history is ordered by (segment, step): a point that overtook an earlier one would
            # have started a second segment and shown up as steps going backwards.
            history = [int(m["step"]) for m in server.history(run.run_id, key)]
            self.assertEqual(history, list(range(5500)))

    def test_points_reach_the_server_within_the_flush_interval_without_a_flush(self):
        run = start(self, name="interval", flush_interval=0.5)
        run.log({"only": 1.5}, step=7)
        deadline = time.monotonic() + 5
        while not server.history(run.run_id, "only") and time.monotonic() < deadline:
            time.sleep(0.1)
        elapsed = 5 - (deadline - time.monotonic())
        self.assertEqual(server.history(run.run_id, "only")[0]["value"], 1.5)
        self.assertLess(elapsed, 3.0)  # 0.5 s interval; generous for a loaded CI machine
        run.end()

    def test_non_finite_values_arrive_as_logged(self):
        run = start(self, name="nonfinite")
        for step, v in enumerate([float("nan"), math.inf, -math.inf, -0.0, 1e-300]):
            run.log({"v": v}, step=step)
        run.end()
        values = [m["value"] for m in server.history(run.run_id, "v")]
        self.assertEqual(values[:3], ["NaN", "Infinity", "-Infinity"])
        self.assertEqual(values[4], 1e-300)

    def test_bad_keys_and_values_fail_in_log_before_anything_is_queued(self):
        run = start(self, name="badkeys")
        with self.assertRaisesRegex(ValueError, "a//b"):
            run.log({"ok": 1, "a//b": 2})
        with self.assertRaisesRegex(TypeError, "'text'"):
            run.log({"text": "hello"})
        run.end()
        self.assertEqual(server.history(run.run_id, "ok"), [])

    def test_block_policy_waits_for_room_and_drops_nothing(self):
        gate = threading.Event()
        delivered = []

        class StalledSink:
            kind = "spool"  # no retries: it just waits on the gate

            def send(self, rows):
                gate.wait(30)
                delivered.extend(rows)

            def sync(self):
                pass

            def close(self):
                pass

        p = Pipeline([StalledSink()], max_queued=1000, flush_interval=0.05)
        done = threading.Event()

        def produce():
            for step in range(5000):
                p.put({"k": 0}, [float(step)], 0, step)
            done.set()

        threading.Thread(target=produce, daemon=True).start()
        self.assertFalse(done.wait(0.7), "log() blocks while the queue is full")
        gate.set()
        self.assertTrue(done.wait(30))
        self.assertTrue(p.close(30))
        self.assertEqual([r[3] for r in delivered], list(range(5000)))
        self.assertGreater(p.stats["blocked_s"], 0.3)

    def test_spill_policy_writes_to_disk_while_full_then_delivers_everything_in_order(self):
        spool = temp_dir(self)
        run = start(self, name="spill", lanes=1, max_queued=1000, full_policy="spill", spool_root=spool)
        gate = threading.Event()
        lane = run._pipeline.lanes[0]
        real_send = lane.sink.send
        lane.sink.send = lambda rows: (gate.wait(30), real_send(rows))
        t0 = time.monotonic()
        for step in range(20000):
            run.log({"s": float(step)}, step=step)
        self.assertLess(time.monotonic() - t0, 10, "log() never blocked on the stalled server")
        spill = run._pipeline.spill
        self.assertTrue(spill.active)
        self.assertGreater(spill.total_points, 10000)
        self.assertTrue(os.listdir(spool), "the spill is on disk")
        gate.set()
        run.end()
        self.assertEqual([int(m["step"]) for m in server.history(run.run_id, "s")], list(range(20000)))
        self.assertEqual(os.listdir(spool), [], "a drained spill is removed")

    def test_finds_the_server_from_the_data_dir_alone(self):
        spool = temp_dir(self)
        env = {"RUNLEDGER_HOME": server.data_dir, "RUNLEDGER_SPOOL_DIR": spool}
        with mock.patch.dict(os.environ, env):
            for name in ("RUNLEDGER_URI", "RUNLEDGER_TOKEN", "MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "RUNLEDGER_MODE"):
                os.environ.pop(name, None)
            with rl.start_run(name="discovered", capture=False) as run:
                run.log({"x": 1.0})
        self.assertFalse(run.stats["offline"])
        self.assertEqual(server.run_by_name("discovered")["status"], "FINISHED")


if __name__ == "__main__":
    unittest.main()
