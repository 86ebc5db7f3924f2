"""Test support: a REAL Runledger server (node bin/runledger.mjs serve, real DuckDB file in a temp dir),
the `runledger` CLI, and child Python processes that use the client as a training script would."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLIENT = os.path.join(REPO, "clients", "python")
BIN = os.path.join(REPO, "bin", "runledger.mjs")
if CLIENT not in sys.path:
    sys.path.insert(0, CLIENT)

NODE = shutil.which("node") or "node"


def temp_dir(test, prefix="runledger-py-"):
    d = tempfile.mkdtemp(prefix=prefix)
    test.addCleanup(shutil.rmtree, d, True)
    return d


class Server:
    def __init__(self, data_dir=None, args=()):
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="runledger-py-store-")
        self.proc = subprocess.Popen(
            [NODE, BIN, "serve", "--data", self.data_dir, "--port", "0", "--ready-json"] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
        )
        deadline = time.monotonic() + 60
        while True:
            line = self.proc.stdout.readline().decode()
            if line.startswith("RUNLEDGER_READY "):
                ready = json.loads(line[len("RUNLEDGER_READY "):])
                break
            if not line or time.monotonic() > deadline:
                self.proc.kill()
                raise RuntimeError("server did not start: %s" % self.proc.stderr.read().decode()[-2000:])
        self.url = ready["url"].rstrip("/")
        self.port = ready["port"]
        self.token = ready["token"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc.stdout.close()
        self.proc.stderr.close()

    def cleanup(self):
        self.stop()
        if self.own_dir:
            shutil.rmtree(self.data_dir, True)

    def call(self, method, path, body=None, query=None):
        url = self.url + path + ("?" + urllib.parse.urlencode(query, doseq=True) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")

    def ok(self, method, path, body=None, query=None):
        status, answer = self.call(method, path, body, query)
        if status != 200:
            raise AssertionError("%s %s → %s %s" % (method, path, status, answer))
        return answer

    def rpc(self, name, args):
        return self.ok("POST", "/api/rpc/" + name, args)

    def history(self, run_id, key):
        return self.ok("GET", "/api/2.0/mlflow/metrics/get-history", query={"run_id": run_id, "metric_key": key}).get("metrics", [])

    def run_by_name(self, name):
        return self.rpc("runs.get", {"run": name})

    def client_env(self, spool_dir, extra=None):
        env = clean_env(spool_dir)
        env["RUNLEDGER_URI"] = self.url
        env["RUNLEDGER_TOKEN"] = self.token
        env.update(extra or {})
        return env


def clean_env(spool_dir, extra=None):
    """The child's environment: no MLflow/Runledger settings of the developer's, a private spool and home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "RUNLEDGER_"))}
    env["PYTHONPATH"] = CLIENT
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["RUNLEDGER_SPOOL_DIR"] = spool_dir
    env["RUNLEDGER_HOME"] = os.path.join(spool_dir, "no-home")
    env.update(extra or {})
    return env


def run_script(source, env, cwd=None, timeout=120, args=()):
    """Runs `source` as a Python script file (so sys.argv[0] is a real file, as for a training script)."""
    folder = cwd or tempfile.mkdtemp(prefix="runledger-py-script-")
    path = os.path.join(folder, "train_script.py")
    with open(path, "w") as f:
        f.write(source)
    return subprocess.run([sys.executable, path] + list(args), env=env, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)


def cli(*args, timeout=120):
    """`runledger …` → (exit code, stdout, stderr)."""
    p = subprocess.run([NODE, BIN] + list(args), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def spool_runs(spool_dir):
    return sorted(os.path.join(spool_dir, d) for d in os.listdir(spool_dir) if os.path.isfile(os.path.join(spool_dir, d, "records.jsonl")))
