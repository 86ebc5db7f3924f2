"""Offline spool: written when the server cannot be reached (or RUNLEDGER_MODE=offline), imported by
`runledger sync`, idempotently; a torn last record is imported up to the tear and reported; a run whose
server went away mid-run continues in the spool and syncs back into the same run."""
import os
import socket
import time
import unittest

from harness import Server, cli, clean_env, run_script, spool_runs, temp_dir

from runledger.spool import read_records

server = None


def setUpModule():
    global server
    server = Server()


def tearDownModule():
    server.cleanup()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OFFLINE_RUN = """
import os, runledger as rl
os.makedirs("data", exist_ok=True)
with open("data/train.csv", "w") as f:
    f.write("a,b\\n1,x\\n,y\\n3,\\n")
with open("model.pt", "wb") as f:
    f.write(os.urandom(5000))
with rl.start_run(experiment="offline-exp", name="offline-run", config={"lr": 0.01, "opt": {"name": "adam"}}, tags={"priority": "p0"}) as run:
    run.log_dataset("data/train.csv", name="train-csv", context="train")
    for step in range(2500):
        run.log({"loss": 1.0 / (step + 1), "lr": 0.01}, step=step)
    run.log_artifact("model.pt", "checkpoints/model.pt")
    print("SPOOL", run.spool_folder)
"""


class SpoolSyncTest(unittest.TestCase):
    def test_unreachable_server_spools_then_sync_imports_once(self):
        spool = temp_dir(self)
        env = clean_env(spool, {"RUNLEDGER_URI": "http://127.0.0.1:%d" % closed_port()})
        p = run_script(OFFLINE_RUN, env, cwd=temp_dir(self))
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertIn("runledger sync", p.stderr.decode())
        [folder] = spool_runs(spool)
        records = list(read_records(folder))
        self.assertEqual(records[0]["type"], "run")
        self.assertEqual([r["seq"] for r in records], list(range(len(records))), "every line passes its checksum")
        self.assertEqual(records[-1]["type"], "end")
        self.assertTrue(os.listdir(os.path.join(folder, "artifacts")))

        code, out, err = cli("sync", spool, "--data", server.data_dir)
        self.assertEqual(code, 0, out + err)
        self.assertIn("imported", out)
        self.assertIn("5,000 points", out)
        run = server.run_by_name("offline-run")
        self.assertEqual(run["status"], "FINISHED")
        self.assertEqual(run["experiment"], "offline-exp")
        self.assertEqual(run["params"], {"lr": "0.01", "opt.name": "adam"})
        self.assertEqual(run["tags"]["priority"], "p0")
        self.assertEqual(len(server.history(run["run_id"], "loss")), 2500)
        self.assertEqual([a["path"] for a in run["artifacts"] if a["path"].startswith("checkpoints")], ["checkpoints/model.pt"])
        [ds] = run["provenance"]["datasets"]
        self.assertEqual((ds["name"], ds["rows"], ds["null_counts"]), ("train-csv", 3, {"a": 1, "b": 1}))
        self.assertEqual(run["provenance"]["environment"]["python"].split(".")[0], "3")

        code, out, _ = cli("sync", folder, "--data", server.data_dir)
        self.assertEqual(code, 0)
        self.assertIn("up to date", out)
        runs = server.rpc("runs.list", {"filter": "attributes.run_name = 'offline-run'"})
        self.assertEqual(len(runs), 1, "the second sync created no run")
        again = server.run_by_name("offline-run")
        self.assertEqual(len(server.history(run["run_id"], "loss")), 2500)
        self.assertEqual([m["count"] for m in again["metric_summaries"] if m["key"] == "loss"], [2500], "and no point twice")

    def test_offline_mode_spools_even_with_a_server_up(self):
        spool = temp_dir(self)
        env = server.client_env(spool, {"RUNLEDGER_MODE": "offline"})
        p = run_script("import runledger as rl\nwith rl.start_run(name='forced-offline', capture=False) as r:\n    r.log({'x': 1.0})\n", env)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertEqual(len(spool_runs(spool)), 1)
        status, _ = server.call("POST", "/api/rpc/runs.get", {"run": "forced-offline"})
        self.assertEqual(status, 404, "nothing reached the server")

    def test_a_torn_last_record_is_imported_up_to_the_tear_and_reported(self):
        spool = temp_dir(self)
        source = (
            "import os, runledger as rl\n"
            "run = rl.start_run(name='torn-run', capture=False)\n"
            "for step in range(1000):\n"
            "    run.log({'loss': 0.5}, step=step)\n"
            "run.flush()\n"
            "for step in range(1000, 1500):\n"
            "    run.log({'loss': 0.5}, step=step)\n"
            "run.flush()\n"
            "os._exit(0)  # a crash: no end record\n"
        )
        p = run_script(source, clean_env(spool, {"RUNLEDGER_MODE": "offline"}))
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        [folder] = spool_runs(spool)
        path = os.path.join(folder, "records.jsonl")
        records = len(list(read_records(folder)))
        with open(path, "rb+") as f:  # the crash tore the last line mid-write
            f.truncate(os.path.getsize(path) - 37)
        code, out, err = cli("sync", spool, "--data", server.data_dir)
        self.assertEqual(code, 0, out + err)
        self.assertIn("torn record", out)
        self.assertIn("imported the %d records before it" % (records - 1), out)
        run = server.run_by_name("torn-run")
        self.assertEqual(run["status"], "RUNNING")
        self.assertEqual([int(m["step"]) for m in server.history(run["run_id"], "loss")], list(range(1000)))
        code, out, _ = cli("sync", spool, "--data", server.data_dir)
        self.assertEqual(code, 0)
        self.assertIn("up to date", out)
        self.assertEqual(len(server.history(run["run_id"], "loss")), 1000)

    def test_a_run_whose_server_goes_away_continues_in_the_spool_and_syncs_into_the_same_run(self):
        own = Server()
        self.addCleanup(own.cleanup)
        spool = temp_dir(self)
        go = os.path.join(temp_dir(self), "go")
        source = (
            "import os, time, runledger as rl\n"
            "run = rl.start_run(name='failover-run', capture=False)\n"
            "for step in range(1000):\n"
            "    run.log({'loss': 0.5}, step=step)\n"
            "run.flush()\n"
            "print('RUN', run.run_id, flush=True)\n"
            "while not os.path.exists(%r):\n"
            "    time.sleep(0.05)\n"
            "for step in range(1000, 2000):\n"
            "    run.log({'loss': 0.5}, step=step)\n"
            "run.end()\n"
            "print('SPOOL', run.spool_folder)\n"
        ) % go
        env = own.client_env(spool, {"RUNLEDGER_RETRY_SECONDS": "1"})
        import subprocess
        import sys
        folder = temp_dir(self)
        with open(os.path.join(folder, "train_script.py"), "w") as f:
            f.write(source)
        proc = subprocess.Popen([sys.executable, "train_script.py"], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        run_id = proc.stdout.readline().decode().split()[1]
        own.stop()
        open(go, "w").close()
        code = proc.wait(60)
        stderr = proc.stderr.read().decode()
        self.assertEqual(code, 0, stderr)
        self.assertIn("logging to the spool", stderr)
        restarted = Server(data_dir=own.data_dir)
        self.addCleanup(restarted.stop)
        code, out, err = cli("sync", spool, "--data", own.data_dir)
        self.assertEqual(code, 0, out + err)
        run = restarted.rpc("runs.get", {"run": run_id})
        self.assertEqual(run["status"], "FINISHED")
        self.assertEqual([int(m["step"]) for m in restarted.history(run_id, "loss")], list(range(2000)))
        self.assertEqual(len(restarted.rpc("runs.list", {})), 1)


if __name__ == "__main__":
    unittest.main()
