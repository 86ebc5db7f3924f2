"""Nothing lost at the end: flush at interpreter exit, on SIGTERM (then the process still terminates),
on SIGINT (KeyboardInterrupt goes on); exceptions fail the run with a traceback artifact; SIGKILL loses
at most the last flush interval and the server shows the run as interrupted. Each case is a real child
Python process logging to a real server."""
import signal
import subprocess
import sys
import time
import unittest
import urllib.request

from harness import Server, run_script, temp_dir

server = None


def setUpModule():
    global server
    server = Server(args=["--interrupt-after", "2"])


def tearDownModule():
    server.cleanup()


def artifact_text(run_id, path):
    run = server.rpc("runs.get", {"run": run_id})
    url = "%s/api/2.0/mlflow-artifacts/artifacts/%s/%s/artifacts/%s" % (server.url, run["experiment_id"], run_id, path)
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + server.token})
    with urllib.request.urlopen(req) as resp:
        return resp.read().decode()


LOGGING = """
import sys, time, runledger as rl
run = rl.start_run(name=sys.argv[1], capture=False{extra})
for step in range({points}):
    run.log({{"loss": step * 0.5}}, step=step)
"""


def spawn(test, source, env):
    folder = temp_dir(test)
    path = folder + "/train_script.py"
    with open(path, "w") as f:
        f.write(source)
    proc = subprocess.Popen([sys.executable, path], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def close():
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    test.addCleanup(close)
    return proc


def wait_line(proc, prefix, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline().decode()
        if line.startswith(prefix):
            return line
        if not line:
            break
    raise AssertionError("no %r line; stderr: %s" % (prefix, proc.stderr.read().decode()[-2000:]))


class ExitPathsTest(unittest.TestCase):
    def setUp(self):
        self.env = server.client_env(temp_dir(self))

    def test_points_are_flushed_at_interpreter_exit_without_end_run(self):
        p = run_script(LOGGING.format(extra="", points=3000), self.env, args=["atexit-run"])
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        run = server.run_by_name("atexit-run")
        self.assertEqual(run["status"], "FINISHED")
        self.assertEqual(len(server.history(run["run_id"], "loss")), 3000)

    def test_sigterm_flushes_ends_the_run_killed_and_still_terminates(self):
        source = LOGGING.format(extra="", points=2000) + "print('READY', flush=True)\ntime.sleep(60)\n"
        proc = spawn(self, source.replace("sys.argv[1]", "'sigterm-run'"), self.env)
        wait_line(proc, "READY")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(30), -signal.SIGTERM, "the default SIGTERM behaviour goes on after the flush")
        run = server.run_by_name("sigterm-run")
        self.assertEqual(run["status"], "KILLED")
        self.assertEqual(len(server.history(run["run_id"], "loss")), 2000)

    def test_sigint_flushes_and_keyboard_interrupt_ends_the_run_killed(self):
        source = (
            "import time, runledger as rl\n"
            "with rl.start_run(name='sigint-run', capture=False) as run:\n"
            "    for step in range(1500):\n"
            "        run.log({'loss': 1.0}, step=step)\n"
            "    print('READY', flush=True)\n"
            "    time.sleep(60)\n"
        )
        proc = spawn(self, source, self.env)
        wait_line(proc, "READY")
        proc.send_signal(signal.SIGINT)
        code = proc.wait(30)
        self.assertIn(code, (-signal.SIGINT, 130, 1))
        self.assertIn("KeyboardInterrupt", proc.stderr.read().decode())
        run = server.run_by_name("sigint-run")
        self.assertEqual(run["status"], "KILLED")
        self.assertEqual(len(server.history(run["run_id"], "loss")), 1500)
        self.assertIn("KeyboardInterrupt", artifact_text(run["run_id"], "traceback.txt"))

    def test_an_exception_fails_the_run_and_stores_the_traceback(self):
        source = (
            "import runledger as rl\n"
            "def train(run):\n"
            "    run.log({'loss': 2.0}, step=1)\n"
            "    raise ValueError('diverged at step 1')\n"
            "with rl.start_run(name='failing-run', capture=False) as run:\n"
            "    train(run)\n"
        )
        p = run_script(source, self.env)
        self.assertEqual(p.returncode, 1)
        run = server.run_by_name("failing-run")
        self.assertEqual(run["status"], "FAILED")
        self.assertEqual(run["tags"]["runledger.error"], "ValueError: diverged at step 1")
        text = artifact_text(run["run_id"], "traceback.txt")
        self.assertIn("diverged at step 1", text)
        self.assertIn("in train", text)
        self.assertEqual(len(server.history(run["run_id"], "loss")), 1)

    def test_sigkill_loses_at_most_the_last_flush_interval_and_the_run_shows_interrupted(self):
        source = (
            "import time, runledger as rl\n"
            "run = rl.start_run(name='sigkill-run', capture=False, flush_interval=1.0)\n"
            "step = 0\n"
            "while True:\n"
            "    run.log({'loss': 1.0}, step=step)\n"
            "    if step % 50 == 0:\n"
            "        print('STEP %d %.3f' % (step, time.time()), flush=True)\n"
            "    step += 1\n"
            "    time.sleep(0.001)\n"
        )
        proc = spawn(self, source, self.env)
        logged = []  # (step, wall time) as the child reported them
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline:
            parts = wait_line(proc, "STEP").split()
            logged.append((int(parts[1]), float(parts[2])))
        proc.send_signal(signal.SIGKILL)
        killed_at = time.time()
        proc.wait(10)
        run = server.run_by_name("sigkill-run")
        steps = [int(m["step"]) for m in server.history(run["run_id"], "loss")]
        self.assertEqual(steps, list(range(len(steps))), "what arrived is a gap-free prefix")
        # Everything logged more than one flush interval (plus sending time, generous on a loaded
        # machine) before the kill is there.
        must_have = max(s for s, t in logged if t <= killed_at - 2.5)
        self.assertGreaterEqual(len(steps) - 1, must_have)
        status = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            status = server.rpc("runs.get", {"run": run["run_id"]})["status"]
            if status == "INTERRUPTED":
                break
            time.sleep(0.25)
        self.assertEqual(status, "INTERRUPTED")


if __name__ == "__main__":
    unittest.main()
