"""log_dataset: streamed SHA-256 of files and directory trees, the server's DuckDB profile of a real
Parquet file with nulls (written here with DuckDB), the changed-digest flag, and the client's CSV
profile when the server cannot read the file."""
import hashlib
import os
import subprocess
import unittest

from harness import NODE, REPO, Server, cli, clean_env, run_script, spool_runs, temp_dir

import runledger as rl
from runledger.datasets import hash_path

server = None

WRITE_PARQUET = """
import { DuckDBInstance } from '@duckdb/node-api';
const [file, rows] = process.argv.slice(1);
const con = await (await DuckDBInstance.create(':memory:')).connect();
await con.run(`COPY (SELECT i AS id,
                           CASE WHEN i % 4 = 0 THEN NULL ELSE i * 0.5::DOUBLE END AS score,
                           CASE WHEN i % 10 = 0 THEN NULL ELSE 'user_' || i END AS name
                    FROM range(${Number(rows)}) t(i)) TO '${file}' (FORMAT parquet)`);
"""


def write_parquet(path, rows):
    subprocess.run([NODE, "--input-type=module", "-e", WRITE_PARQUET, path, str(rows)], cwd=REPO, check=True)


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def setUpModule():
    global server
    server = Server()


def tearDownModule():
    server.cleanup()


def start(test, name):
    return rl.start_run(name=name, uri=server.url, token=server.token, mode="online", capture=False, spool_root=temp_dir(test))


class DatasetTest(unittest.TestCase):
    def test_parquet_profile_with_nulls_and_the_changed_digest_flag(self):
        folder = temp_dir(self)
        first = os.path.join(folder, "train-v1.parquet")
        write_parquet(first, 1000)
        with start(self, "ds-first") as run:
            ds = run.log_dataset(first, name="credit_risk_v2.1", context="train")
            first_id = run.run_id
        self.assertEqual(ds["digest"], sha256_file(first))
        self.assertEqual(ds["size_bytes"], os.path.getsize(first))
        self.assertEqual(ds["profiled_by"], "server")
        self.assertEqual(ds["rows"], 1000)
        self.assertEqual(ds["columns"], [{"name": "id", "type": "BIGINT"}, {"name": "score", "type": "DOUBLE"}, {"name": "name", "type": "VARCHAR"}])
        self.assertEqual(ds["null_counts"], {"id": 0, "score": 250, "name": 100})
        self.assertRegex(ds["schema_sha256"], "^[0-9a-f]{64}$")
        self.assertFalse(ds["digest_changed"])

        second = os.path.join(folder, "train-v2.parquet")
        write_parquet(second, 999)
        with start(self, "ds-second") as run:
            ds2 = run.log_dataset(second, name="credit_risk_v2.1", context="train")
        self.assertTrue(ds2["digest_changed"])
        self.assertEqual((ds2["previous_digest"], ds2["previous_run_id"]), (ds["digest"], first_id))
        self.assertEqual(ds2["schema_sha256"], ds["schema_sha256"], "same columns, same schema checksum")
        code, out, _ = cli("runs", "show", "ds-second", "--data", server.data_dir)
        self.assertIn("CHANGED (%s used sha256:%s)" % (first_id, ds["digest"][:12]), out)
        self.assertFalse(server.run_by_name("ds-first")["provenance"]["datasets"][0]["digest_changed"], "the earlier run is not flagged")

    def test_a_folder_of_parquet_files_is_hashed_as_a_tree_and_profiled_as_one_table(self):
        folder = os.path.join(temp_dir(self), "parts")
        os.makedirs(os.path.join(folder, "year=2026"))
        write_parquet(os.path.join(folder, "year=2026", "part-0.parquet"), 100)
        write_parquet(os.path.join(folder, "part-1.parquet"), 50)
        with start(self, "ds-folder") as run:
            ds = run.log_dataset(folder, name="partitioned")
        self.assertEqual(ds["digest"], hash_path(folder)[0])
        self.assertEqual((ds["rows"], ds["profiled_by"]), (150, "server"))

    def test_directory_hash_depends_on_names_and_contents_not_on_creation_order(self):
        def tree(order):
            root = temp_dir(self)
            for rel, data in order:
                os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
                with open(os.path.join(root, rel), "wb") as f:
                    f.write(data)
            return root
        files = [("a.txt", b"alpha"), ("sub/b.bin", b"\x00" * 3000000), ("sub/c.txt", b"gamma")]
        one, two = tree(files), tree(list(reversed(files)))
        self.assertEqual(hash_path(one), hash_path(two))
        self.assertEqual(hash_path(one)[1:], (3000010, 3))
        renamed = tree([("a2.txt", b"alpha")] + files[1:])
        changed = tree([("a.txt", b"alphA")] + files[1:])
        self.assertNotEqual(hash_path(one)[0], hash_path(renamed)[0])
        self.assertNotEqual(hash_path(one)[0], hash_path(changed)[0])
        self.assertEqual(hash_path(os.path.join(one, "sub", "b.bin"))[0], hashlib.sha256(b"\x00" * 3000000).hexdigest())

    def test_the_client_profile_is_used_when_the_server_cannot_read_the_file(self):
        spool = temp_dir(self)
        source = (
            "import runledger as rl\n"
            "with open('eval.csv', 'w') as f:\n"
            "    f.write('x,y,label\\n1,2.5,a\\n2,,b\\n,4.0,\\n')\n"
            "with rl.start_run(name='csv-offline', capture=False) as run:\n"
            "    run.log_dataset('eval.csv', name='eval-csv', context='eval')\n"
        )
        cwd = temp_dir(self)
        p = run_script(source, clean_env(spool, {"RUNLEDGER_MODE": "offline"}), cwd=cwd)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        os.remove(os.path.join(cwd, "eval.csv"))  # gone by the time the spool is synced
        code, out, err = cli("sync", spool_runs(spool)[0], "--data", server.data_dir)
        self.assertEqual(code, 0, out + err)
        [ds] = server.run_by_name("csv-offline")["provenance"]["datasets"]
        self.assertEqual(ds["profiled_by"], "client")
        self.assertEqual(ds["profile_note"], "not readable from the server")
        self.assertEqual(ds["rows"], 3)
        self.assertEqual(ds["columns"], [{"name": "x", "type": "BIGINT"}, {"name": "y", "type": "DOUBLE"}, {"name": "label", "type": "VARCHAR"}])
        self.assertEqual(ds["null_counts"], {"x": 1, "y": 1, "label": 1})


if __name__ == "__main__":
    unittest.main()
