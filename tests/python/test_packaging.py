"""`pip install ./clients/python` works offline: the in-tree, stdlib-only build backend makes a valid
pure-Python wheel (checked here directly), and pip installs it with no index (when pip is present)."""
import base64
import hashlib
import os
import subprocess
import sys
import unittest
import zipfile

from harness import CLIENT, temp_dir

sys.path.insert(0, os.path.join(CLIENT, "_build"))
import runledger_build  # noqa: E402


def pip_available():
    return subprocess.run([sys.executable, "-m", "pip", "--version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


class PackagingTest(unittest.TestCase):
    def test_the_backend_builds_a_wheel_whose_record_matches_its_files(self):
        out = temp_dir(self)
        name = runledger_build.build_wheel(out)
        self.assertEqual(name, "runledger-0.1.0-py3-none-any.whl")
        with zipfile.ZipFile(os.path.join(out, name)) as zf:
            names = zf.namelist()
            self.assertIn("runledger/__init__.py", names)
            self.assertIn("runledger/run.py", names)
            self.assertFalse([n for n in names if "__pycache__" in n or n.startswith("tests")])
            meta = zf.read("runledger-0.1.0.dist-info/METADATA").decode()
            self.assertIn("Requires-Python: >=3.8", meta)
            for row in zf.read("runledger-0.1.0.dist-info/RECORD").decode().splitlines():
                path, digest, size = row.split(",")
                if digest:
                    data = zf.read(path)
                    self.assertEqual(digest, "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode())
                    self.assertEqual(int(size), len(data))
        self.assertTrue(runledger_build.build_sdist(out).endswith(".tar.gz"))

    @unittest.skipUnless(pip_available(), "pip is not installed for this python3 (the wheel itself is checked above)")
    def test_pip_installs_it_with_no_index(self):
        target = temp_dir(self)
        p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-index", "--no-cache-dir", "--disable-pip-version-check", "-q", "--target", target, CLIENT],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        check = subprocess.run([sys.executable, "-c", "import runledger, sys; sys.stdout.write(runledger.__file__)"], cwd=target,
                               env={"PYTHONPATH": target, "PATH": os.environ.get("PATH", "")}, stdout=subprocess.PIPE, timeout=60)
        self.assertTrue(check.stdout.decode().startswith(target))


if __name__ == "__main__":
    unittest.main()
