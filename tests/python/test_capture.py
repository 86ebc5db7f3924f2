"""Automatic capture at run start, as `runledger runs show --json` reports it: git state from a real
temporary repository, system and packages, config hints, GPU context (from a stand-in nvidia-smi and
torch), switches, and secret-looking environment variables never captured."""
import json
import os
import stat
import subprocess
import unittest
import urllib.request

from harness import Server, cli, run_script, temp_dir

server = None

SECRETS = {
    "HF_TOKEN": "hf_s3cr3t_value",
    "CUDA_API_KEY": "cuda-key-value",
    "NCCL_PASSWORD": "nccl-pass-value",
    "AWS_SECRET_ACCESS_KEY": "aws-secret-value",
    "SLURM_CREDENTIAL_FILE": "slurm-cred-value",
    "MY_DB_PASSWORD": "db-pass-value",
}

FAKE_TORCH = '''
__version__ = "2.11.0+cu130"
class version:
    cuda = "13.0"
class backends:
    class cudnn:
        @staticmethod
        def version():
            return 91900
class _Props:
    name = "NVIDIA H200"
    total_memory = 150109880320
    major, minor = 9, 0
class cuda:
    @staticmethod
    def is_available():
        return True
    @staticmethod
    def device_count():
        return 1
    @staticmethod
    def get_device_properties(i):
        return _Props()
'''

FAKE_SMI = """#!/bin/sh
echo "index, name, memory.total [MiB], driver_version, uuid, pci.bus_id"
echo "0, NVIDIA H200, 143771 MiB, 580.159.04, GPU-22f345b9-c65c-5b4d-c328-3bf6e86631fa, 00000000:00:06.0"
"""


def setUpModule():
    global server
    server = Server()


def tearDownModule():
    server.cleanup()


def git(cwd, *args):
    return subprocess.run(["git"] + list(args), cwd=cwd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout.decode().strip()


def make_repo(test):
    repo = temp_dir(test)
    git(repo, "init", "-q")
    git(repo, "checkout", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "T")
    with open(os.path.join(repo, "model.py"), "w") as f:
        f.write("LAYERS = 2\n")
    git(repo, "add", "model.py")
    git(repo, "commit", "-q", "-m", "first")
    git(repo, "remote", "add", "origin", "https://alice:ghp_tok3n@example.com/team/repo.git")
    return repo


def show(name):
    code, out, err = cli("runs", "show", name, "--json", "--data", server.data_dir)
    assert code == 0, err
    return json.loads(out), out


SCRIPT = """
import runledger as rl
with rl.start_run(name=%r, config={"data": {"num_workers": 6}, "precision": "bf16", "lr": 0.1}, capture_env_vars=["EXTRA_VAR", "MY_DB_PASSWORD"]%s) as run:
    run.log({"loss": 1.0})
"""


class CaptureTest(unittest.TestCase):
    def test_git_state_of_a_dirty_repository_with_the_diff_as_an_artifact(self):
        repo = make_repo(self)
        with open(os.path.join(repo, "model.py"), "w") as f:
            f.write("LAYERS = 3  # uncommitted experiment\n")
        env = server.client_env(temp_dir(self))
        p = run_script(SCRIPT % ("dirty-run", ""), env, cwd=repo)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        run, _ = show("dirty-run")
        code = run["provenance"]["code"]
        self.assertEqual(code["commit"], git(repo, "rev-parse", "HEAD"))
        self.assertEqual(code["branch"], "main")
        self.assertEqual(code["remote"], "https://example.com/team/repo.git", "credentials stripped")
        self.assertTrue(code["dirty"])
        self.assertIn("train_script.py", code["untracked"])
        self.assertEqual(code["diff_artifact"], "provenance/git.diff")
        self.assertEqual(run["tags"]["mlflow.source.git.commit"], code["commit"])
        url = "%s/api/2.0/mlflow-artifacts/artifacts/%s/%s/artifacts/provenance/git.diff" % (server.url, run["experiment_id"], run["run_id"])
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer " + server.token})) as resp:
            diff = resp.read().decode()
        self.assertIn("+LAYERS = 3  # uncommitted experiment", diff)
        self.assertEqual(len(diff.encode()), code["diff_bytes"])

    def test_clean_repository_and_switched_off_parts(self):
        repo = make_repo(self)
        source = SCRIPT % ("clean-run", ', capture={"packages": False, "git_diff": False}')
        with open(os.path.join(repo, "train_script.py"), "w") as f:
            f.write(source)
        git(repo, "add", "train_script.py")
        git(repo, "commit", "-q", "-m", "script")
        p = run_script(source, server.client_env(temp_dir(self)), cwd=repo)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        run, _ = show("clean-run")
        self.assertFalse(run["provenance"]["code"]["dirty"])
        self.assertIsNone(run["provenance"]["code"]["diff_artifact"])
        self.assertIsNone(run["provenance"]["environment"]["package_count"])
        p = run_script(SCRIPT % ("no-git-run", ""), server.client_env(temp_dir(self), {"RUNLEDGER_CAPTURE_DISABLE": "git,torch"}), cwd=repo)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertIsNone(show("no-git-run")[0]["provenance"]["code"])

    def test_system_packages_config_hints_and_gpu_context(self):
        fakes = temp_dir(self)
        os.makedirs(os.path.join(fakes, "torch"))
        with open(os.path.join(fakes, "torch", "__init__.py"), "w") as f:
            f.write(FAKE_TORCH)
        smi = os.path.join(fakes, "nvidia-smi")
        with open(smi, "w") as f:
            f.write(FAKE_SMI)
        os.chmod(smi, os.stat(smi).st_mode | stat.S_IEXEC)
        env = server.client_env(temp_dir(self), {"CUDA_VISIBLE_DEVICES": "3", "NCCL_DEBUG": "INFO", "EXTRA_VAR": "kept"})
        env["PYTHONPATH"] = fakes + os.pathsep + env["PYTHONPATH"]
        env["PATH"] = fakes + os.pathsep + env["PATH"]
        env.update(SECRETS)
        p = run_script(SCRIPT % ("context-run", ""), env, args=["--lr", "0.1", "--api-key", "sk-live-123", "--token=tok-456"])
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        run, text = show("context-run")
        e = run["provenance"]["environment"]
        import platform
        import socket
        self.assertEqual((e["python"], e["python_implementation"]), (platform.python_version(), platform.python_implementation()))
        self.assertEqual((e["hostname"], e["cpu_count"]), (socket.gethostname(), os.cpu_count()))
        self.assertGreater(e["package_count"], 0)
        self.assertRegex(e["packages_sha256"], "^[0-9a-f]{64}$")
        self.assertEqual((e["workers"], e["mixed_precision"]), (6, "bf16"))
        self.assertEqual((e["torch"], e["cuda"], e["cudnn"], e["driver"]), ("2.11.0+cu130", "13.0", "9.19.0", "580.159.04"))
        self.assertEqual(e["gpus"], [{"index": 0, "name": "NVIDIA H200", "memory_total_mib": 143771, "uuid": "GPU-22f345b9-c65c-5b4d-c328-3bf6e86631fa",
                                      "bus_id": "00000000:00:06.0", "compute_capability": "9.0"}])
        self.assertEqual(e["env_vars"]["CUDA_VISIBLE_DEVICES"], "3")
        self.assertEqual(e["env_vars"]["NCCL_DEBUG"], "INFO")
        self.assertEqual(e["env_vars"]["EXTRA_VAR"], "kept")
        self.assertEqual(e["command"][-5:], ["--lr", "0.1", "--api-key", "***", "--token=***"])
        for name, value in SECRETS.items():
            self.assertNotIn(name, e["env_vars"])
            self.assertNotIn(value, text, "a secret value reached the store")
        self.assertNotIn("sk-live-123", text)
        self.assertNotIn("tok-456", text)
        code, out, _ = cli("runs", "show", "context-run", "--data", server.data_dir)
        self.assertIn("NVIDIA H200, 143,771 MiB, sm 9.0", out)
        self.assertIn("cuDNN 9.19.0", out)

    def test_offline_spool_never_holds_a_secret_either(self):
        spool = temp_dir(self)
        env = server.client_env(spool, {"RUNLEDGER_MODE": "offline"})
        env.update(SECRETS)
        p = run_script(SCRIPT % ("offline-secrets", ""), env)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        for root, _, files in os.walk(spool):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    data = f.read()
                for value in SECRETS.values():
                    self.assertNotIn(value.encode(), data)


if __name__ == "__main__":
    unittest.main()
