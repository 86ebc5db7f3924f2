"""Unit tests without a server: safe params, key rules, server discovery order, the spool line format
and the hand-built log-batch body."""
import dataclasses
import enum
import hashlib
import json
import os
import pathlib
import unittest

from harness import temp_dir

from runledger.discovery import find_server
from runledger.params import flatten_params, param_value, validate_key
from runledger.sinks import encode_log_batch
from runledger.spool import SpoolWriter, encode_record, read_records


class FakeNumpyScalar:
    """What numpy.float32(0.25) and a 0-d torch tensor look like to the client: .item() and an empty shape."""

    shape = ()
    ndim = 0

    def __init__(self, v):
        self.v = v

    def item(self):
        return self.v

    def __float__(self):
        return float(self.v)


class Optimizer(enum.Enum):
    ADAM = "adam"
    SGD = 2


@dataclasses.dataclass
class Data:
    path: pathlib.Path
    batch: int = 64


@dataclasses.dataclass
class Config:
    data: Data
    opt: Optimizer = Optimizer.ADAM
    layers: tuple = (256, 128)


class ParamsTest(unittest.TestCase):
    def test_configs_flatten_to_readable_strings(self):
        cfg = Config(Data(pathlib.Path("/data/train.parquet")))
        flat = flatten_params({"cfg": cfg, "lr": FakeNumpyScalar(0.25), "steps": FakeNumpyScalar(10), "sched": {"warmup": 0.1, "kind": "cos"},
                               "tags": ["a", "b"], "none": None, "flag": True, "momentum": Optimizer.SGD, "empty": {}})
        self.assertEqual(flat, {
            "cfg.data.path": "/data/train.parquet", "cfg.data.batch": "64", "cfg.opt": "adam", "cfg.layers": "[256, 128]",
            "lr": "0.25", "steps": "10", "sched.warmup": "0.1", "sched.kind": "cos", "tags": '["a", "b"]', "none": "None",
            "flag": "True", "momentum": "2", "empty": "{}",
        })

    def test_values_over_one_mebibyte_are_an_error_naming_the_key(self):
        self.assertEqual(len(flatten_params({"ok": "x" * (1024 * 1024)})["ok"]), 1024 * 1024)
        with self.assertRaisesRegex(ValueError, r"'model.vocab' is 1048577 bytes.*refuses larger ones rather than truncating"):
            flatten_params({"model": {"vocab": "x" * (1024 * 1024 + 1)}})

    def test_lists_and_nested_values_are_json(self):
        self.assertEqual(param_value([1, {"b": 2, "a": pathlib.Path("p")}]), '[1, {"b": 2, "a": "p"}]')
        self.assertEqual(param_value(float("nan")), "nan")
        self.assertEqual(param_value(1e-5), "1e-05")

    def test_key_rules_match_the_server(self):
        for good in ("loss", "val/acc", "a.b-c d:e", "ünïcode_κλειδί"):
            self.assertEqual(validate_key(good), good)
        for bad in ("", "a//b", "/abs", "../up", "a/", "./a", "tab\there", "x" * 251, "semi;colon"):
            with self.assertRaises(ValueError, msg=bad):
                validate_key(bad)


class DiscoveryTest(unittest.TestCase):
    def test_order_is_arguments_runledger_mlflow_then_the_data_dir(self):
        home = temp_dir(self)
        with open(os.path.join(home, "running-instance.json"), "w") as f:
            json.dump({"pid": 1, "port": 5917, "url": "http://127.0.0.1:5917/"}, f)
        with open(os.path.join(home, "token"), "w") as f:
            f.write("file-token\n")
        env = {"RUNLEDGER_HOME": home}
        self.assertEqual(find_server(env=env), ("http://127.0.0.1:5917", "file-token", home))
        env["MLFLOW_TRACKING_URI"] = "http://mlflow:5000/"
        env["MLFLOW_TRACKING_TOKEN"] = "mlflow-token"
        self.assertEqual(find_server(env=env), ("http://mlflow:5000", "mlflow-token", "MLFLOW_TRACKING_URI"))
        env["RUNLEDGER_URI"] = "http://box:7000"
        env["RUNLEDGER_TOKEN"] = "rl-token"
        self.assertEqual(find_server(env=env), ("http://box:7000", "rl-token", "RUNLEDGER_URI"))
        self.assertEqual(find_server("http://arg:1", "arg-token", env=env), ("http://arg:1", "arg-token", "argument"))
        self.assertIsNone(find_server(env={"RUNLEDGER_HOME": temp_dir(self), "MLFLOW_TRACKING_URI": "file:///tmp/mlruns"}))


class WireFormatTest(unittest.TestCase):
    def test_spool_lines_carry_a_checksum_of_their_exact_payload_bytes(self):
        line = encode_record({"seq": 3, "type": "metrics", "metrics": [["κ", "NaN", 1, 2]]})
        self.assertTrue(line.endswith(b"}\n"))
        outer = json.loads(line)
        body = line[len(b'{"sha256":"') + 64 + len(b'","record":'):-2]
        self.assertEqual(outer["sha256"], hashlib.sha256(body).hexdigest())
        self.assertEqual(outer["record"]["metrics"], [["κ", "NaN", 1, 2]])

    def test_a_spool_reads_back_in_order(self):
        w = SpoolWriter(temp_dir(self), {"run_name": "r/with odd:name", "tags": {}})
        w.append_metrics([("a", float("inf"), 5, 1), ("a", -0.0, 6, 2)])
        w.close()
        records = list(read_records(w.folder))
        self.assertEqual([r["type"] for r in records], ["run", "metrics"])
        self.assertEqual(records[1]["metrics"], [["a", "Infinity", 5, 1], ["a", -0.0, 6, 2]])
        self.assertIn("r-with-odd-name", os.path.basename(w.folder))

    def test_log_batch_body_is_mlflow_json(self):
        body = json.loads(encode_log_batch("run-1", [("a\"b", 0.1, 1764000000000, 3), ("c", float("-inf"), 1, -1)]))
        self.assertEqual(body, {"run_id": "run-1", "metrics": [
            {"key": 'a"b', "value": 0.1, "timestamp": 1764000000000, "step": 3},
            {"key": "c", "value": "-Infinity", "timestamp": 1, "step": -1},
        ]})


if __name__ == "__main__":
    unittest.main()


class FastPostTest(unittest.TestCase):
    """RestClient.post_json_bytes (the log-batch path): one write per request, keep-alive, and a fresh
    connection when the server closed an idle one."""

    def test_keep_alive_reconnect_and_errors(self):
        import socket
        import threading
        from runledger.rest import RestClient, RunledgerError, ServerUnavailable

        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]
        seen = []

        def serve():
            # Connection 1 answers two requests and then closes (an idle timeout); connection 2
            # answers 400 with Connection: close.
            for replies in ((b'{"n": 1}', b'{"n": 2}'), (None,)):
                conn, _ = listener.accept()
                reader = conn.makefile("rb")
                for body in replies:
                    head = b""
                    while not head.endswith(b"\r\n\r\n"):
                        head += reader.read(1)
                    length = int([h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")][0].split(b":")[1])
                    seen.append((head, reader.read(length)))
                    if body is None:
                        conn.sendall(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 60\r\nConnection: close\r\n\r\n'
                                     b'{"error_code":"INVALID_PARAMETER_VALUE","message":"nope....."}')
                    else:
                        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                reader.close()
                conn.close()

        t = threading.Thread(target=serve, daemon=True)
        t.start()
        client = RestClient("http://127.0.0.1:%d" % port, "tok")
        self.assertEqual(client.post_json_bytes("/x", b'{"a":1}'), {"n": 1})
        self.assertEqual(client.post_json_bytes("/x", b'{"a":2}'), {"n": 2})
        with self.assertRaises(RunledgerError) as ctx:  # the first socket is closed: a new one is opened
            client.post_json_bytes("/x", b'{"a":3}')
        self.assertNotIsInstance(ctx.exception, ServerUnavailable)
        self.assertEqual(ctx.exception.status, 400)
        t.join(5)
        self.assertEqual([body for _, body in seen], [b'{"a":1}', b'{"a":2}', b'{"a":3}'])
        self.assertIn(b"Authorization: Bearer tok\r\n", seen[0][0])
        self.assertIn(b"Host: 127.0.0.1:%d\r\n" % port, seen[0][0])
        listener.close()
        with self.assertRaises(ServerUnavailable):
            client.post_json_bytes("/x", b"{}")
        client.close()
