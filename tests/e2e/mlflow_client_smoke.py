#!/usr/bin/env python3
"""Drive the unmodified MLflow Python client against a Runledger server and check what comes back.

Usage (the two variables `runledger env` prints):

    MLFLOW_TRACKING_URI=http://127.0.0.1:5917 MLFLOW_TRACKING_TOKEN=... python3 mlflow_client_smoke.py

Uses only the standard library and `mlflow` (pandas and matplotlib only where mlflow itself uses them;
a step whose optional piece is missing is skipped with a printed note). The work is split into sections;
a failed check ends its section, the later sections still run (so one server bug does not hide the
others), and the script exits 1 listing every failed section. On success the last lines are
`SMOKE_SUMMARY {json}` (ids of what was logged, for the caller to verify through the server's own API)
and `OK <n> checks`.

Optional environment: RUNLEDGER_SMOKE_SUFFIX (names the experiments `smoke-<suffix>...`; random by default).
"""

import filecmp
import importlib
import inspect
import json
import math
import os
import sys
import tempfile
import time
import traceback
import uuid
from types import SimpleNamespace

import mlflow
from mlflow.entities import RunTag, ViewType
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient


class SmokeFailure(AssertionError):
    pass


CHECKS = 0
SKIPPED = []
FAILURES = []


def check(cond, msg):
    global CHECKS
    CHECKS += 1
    if not cond:
        raise SmokeFailure(msg)


def check_eq(actual, expected, what):
    check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")


def same_float(a, b):
    """Equality that treats NaN == NaN and tells -0.0 from 0.0."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b


def expect_mlflow_error(fn, code, what):
    """`fn` must raise MlflowException whose error_code is `code` (None: any code)."""
    try:
        fn()
    except MlflowException as e:
        if code is not None:
            check_eq(e.error_code, code, f"{what}: error_code (message: {e.message!r})")
        return e
    raise SmokeFailure(f"{what}: expected MlflowException {code or ''}, nothing was raised")


def log_metrics_at(c, metrics, step, timestamp):
    """mlflow.log_metrics(..., timestamp=) where the client has it (2.13+); else the same log-batch via MlflowClient."""
    if "timestamp" in inspect.signature(mlflow.log_metrics).parameters:
        mlflow.log_metrics(metrics, step=step, timestamp=timestamp)
    else:
        from mlflow.entities import Metric

        run_id = mlflow.active_run().info.run_id
        c.client.log_batch(run_id, metrics=[Metric(k, float(v), timestamp, step) for k, v in metrics.items()])


def skip(name, reason):
    SKIPPED.append(name)
    print(f"SKIP {name}: {reason}", flush=True)


def section(name, fn, c, fatal=False):
    print(f"-- {name}", flush=True)
    before = CHECKS
    try:
        fn(c)
        print(f"   ok ({CHECKS - before} checks)", flush=True)
        return True
    except Exception as e:  # noqa: BLE001 -- a client error is a failure of this section, with its trace
        traceback.print_exc()
        kind = "" if isinstance(e, SmokeFailure) else f"{type(e).__name__}: "
        FAILURES.append(f"[{name}] {kind}{e}")
        print(f"   FAILED: {kind}{e}", flush=True)
        while mlflow.active_run() is not None:  # leave no run open for the next section
            try:
                mlflow.end_run(status="FAILED")
            except Exception:  # noqa: BLE001
                break
        if fatal:
            raise
        return False


# ---------------------------------------------------------------------------------------- sections


def experiments_setup(c):
    check(c.client.get_experiment_by_name(c.exp_name) is None, f"experiment {c.exp_name} should not exist yet")
    exp = mlflow.set_experiment(c.exp_name)
    check_eq(exp.name, c.exp_name, "set_experiment(new).name")
    check_eq(exp.lifecycle_stage, "active", "new experiment lifecycle_stage")
    check(isinstance(exp.experiment_id, str) and exp.experiment_id != "", "experiment_id is a non-empty string")
    c.exp_id = exp.experiment_id
    again = mlflow.set_experiment(c.exp_name)
    check_eq(again.experiment_id, c.exp_id, "set_experiment(existing) experiment_id")
    check_eq(c.client.get_experiment(c.exp_id).name, c.exp_name, "get_experiment(id).name")
    c.summary["experiment_id"] = c.exp_id


def log_run_data(c):
    parent = mlflow.start_run(run_name="smoke-parent", tags={"team": "anchor", "stage": "smoke"})
    c.parent_id = parent.info.run_id
    c.summary["parent_run_id"] = c.parent_id
    check_eq(parent.info.experiment_id, c.exp_id, "parent run experiment_id")
    check_eq(parent.info.run_name, "smoke-parent", "parent run_name")
    check_eq(parent.info.status, "RUNNING", "parent status at start")
    check(parent.info.artifact_uri, "parent has an artifact_uri")

    mlflow.log_param("lr", 0.01)
    mlflow.log_params({"batch_size": 32, "optimizer": "adam", "note": "x" * 10_000})
    mlflow.log_param("lr", 0.01)  # same value again: idempotent
    expect_mlflow_error(lambda: mlflow.log_param("lr", 0.02), "INVALID_PARAMETER_VALUE", "changing a param value")

    t0 = c.t0
    for s in range(5):
        ts = t0 + 1000 * s
        mlflow.log_metric("loss", 1.0 / (s + 1), step=s, timestamp=ts)
        c.loss_points.append((s, ts, 1.0 / (s + 1)))
    for s in (5, 6):
        ts = t0 + 1000 * s
        log_metrics_at(c, {"loss": 0.1 / s, "acc": 0.5 + s / 100}, s, ts)
        c.loss_points.append((s, ts, 0.1 / s))
    # NaN, +-inf, -0.0, 1e308: the first three through log-metric, the rest through log-batch.
    for s, ts, v in c.special_points[:3]:
        mlflow.log_metric("special", v, step=s, timestamp=ts)
    for s, ts, v in c.special_points[3:]:
        log_metrics_at(c, {"special": v}, s, ts)
    mlflow.log_metric("only_nan", float("nan"), step=0, timestamp=t0)
    log_metrics_at(c, {"only_inf": float("inf"), "only_neg_inf": float("-inf")}, 0, t0)
    mlflow.log_metric("plain", 3.5)  # client fills timestamp, step 0

    mlflow.set_tag("phase", "train")
    mlflow.set_tags({"owner": "smoke", "temp": "to-delete", "phase": "train-2"})  # overwrites phase
    mlflow.delete_tag("temp")
    expect_mlflow_error(lambda: c.client.delete_tag(c.parent_id, "never-set"), "RESOURCE_DOES_NOT_EXIST", "delete_tag of an unknown key")

    child = mlflow.start_run(run_name="smoke-child", nested=True)
    c.child_id = child.info.run_id
    c.summary["child_run_id"] = c.child_id
    check(c.child_id != c.parent_id, "nested run has its own id")
    mlflow.log_metric("child_metric", 42.0, step=7)
    mlflow.log_param("child_param", "c")
    mlflow.end_run(status="KILLED")
    check_eq(mlflow.active_run().info.run_id, c.parent_id, "active run after ending the nested run")


def log_artifacts(c):
    check(mlflow.active_run() is not None and mlflow.active_run().info.run_id == c.parent_id, "parent run is active")
    hello = os.path.join(c.work, "hello.txt")
    with open(hello, "w") as f:
        f.write("hello runledger\n")
    c.hello = hello
    mlflow.log_artifact(hello)
    mlflow.log_artifact(hello, artifact_path="sub/dir")
    bundle = os.path.join(c.work, "bundle")
    os.makedirs(os.path.join(bundle, "nested", "deeper"))
    for rel, data in c.bundle_files.items():
        with open(os.path.join(bundle, *rel.split("/")), "wb") as f:
            f.write(data)
    mlflow.log_artifacts(bundle, artifact_path="bundle")
    mlflow.log_dict(c.cfg, "cfg/config.json")
    mlflow.log_text(c.text, "notes/readme.txt")
    c.expected_root.update({"hello.txt": False, "sub": True, "bundle": True, "cfg": True, "notes": True})
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        skip("log_figure", f"matplotlib does not import ({e})")
        return
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [2, 1, 0])
    mlflow.log_figure(fig, "plots/curve.png")
    plt.close(fig)
    c.expected_root["plots"] = True
    c.summary["figure"] = "plots/curve.png"


def log_dataset(c):
    check(mlflow.active_run() is not None and mlflow.active_run().info.run_id == c.parent_id, "parent run is active")
    try:
        import pandas as pd

        mlflow_data = importlib.import_module("mlflow.data")  # not `import mlflow.data`: that would make `mlflow` local
        df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0.0, 1.0, 0.0]})
        dataset = mlflow_data.from_pandas(df, source="file:///tmp/smoke.csv", name="smoke-train", targets="y")
    except Exception as e:  # noqa: BLE001 -- any failure to build the dataset locally means "skip"
        skip("log_input", f"mlflow.data.from_pandas does not work here ({type(e).__name__}: {e})")
        return
    mlflow.log_input(dataset, context="training", tags={"split": "train"})
    c.dataset = dataset
    c.summary["dataset"] = {"name": dataset.name, "digest": dataset.digest}


def end_runs(c):
    if mlflow.active_run() is not None:
        check_eq(mlflow.active_run().info.run_id, c.parent_id, "the active run is the parent")
        mlflow.end_run()  # FINISHED
    check(mlflow.active_run() is None, "no active run after end_run")
    failed = mlflow.start_run(run_name="smoke-failed")
    c.failed_id = failed.info.run_id
    c.summary["failed_run_id"] = c.failed_id
    mlflow.log_metric("loss", 9.0)
    mlflow.end_run(status="FAILED")


def get_run_checks(c):
    run = c.client.get_run(c.parent_id)
    c.parent_run = run
    info, data = run.info, run.data
    check_eq(info.run_id, c.parent_id, "get_run run_id")
    check_eq(info.run_name, "smoke-parent", "get_run run_name")
    check_eq(info.status, "FINISHED", "parent status after end_run")
    check_eq(info.lifecycle_stage, "active", "parent lifecycle_stage")
    check(info.start_time and info.end_time and info.end_time >= info.start_time, f"start/end time: {info.start_time} / {info.end_time}")
    check_eq(data.params, {"lr": "0.01", "batch_size": "32", "optimizer": "adam", "note": "x" * 10_000}, "parent params (10,000-char value whole)")
    for k, v in {"team": "anchor", "stage": "smoke", "phase": "train-2", "owner": "smoke", "mlflow.runName": "smoke-parent"}.items():
        check_eq(data.tags.get(k), v, f"parent tag {k}")
    check("temp" not in data.tags, f"deleted tag 'temp' still present: {data.tags.get('temp')!r}")
    check("mlflow.user" in data.tags and "mlflow.source.name" in data.tags, f"client system tags present: {sorted(data.tags)}")
    check_eq(data.metrics.get("loss"), c.loss_points[-1][2], "latest loss (highest step)")
    check_eq(data.metrics.get("acc"), 0.56, "latest acc")
    check_eq(data.metrics.get("special"), 0.25, "latest 'special'")
    check(math.isnan(data.metrics.get("only_nan", 0.0)), f"only_nan latest is NaN: {data.metrics.get('only_nan')!r}")
    check_eq(data.metrics.get("only_inf"), float("inf"), "only_inf latest (stored faithfully, not clamped)")
    check_eq(data.metrics.get("only_neg_inf"), float("-inf"), "only_neg_inf latest")
    check_eq(data.metrics.get("plain"), 3.5, "plain metric")

    child = c.client.get_run(c.child_id)
    check_eq(child.info.status, "KILLED", "nested run status")
    check_eq(child.data.tags.get("mlflow.parentRunId"), c.parent_id, "nested run mlflow.parentRunId tag")
    check_eq(child.data.metrics, {"child_metric": 42.0}, "nested run metrics")
    check_eq(child.data.params, {"child_param": "c"}, "nested run params")
    check_eq(c.client.get_run(c.failed_id).info.status, "FAILED", "failed run status")
    expect_mlflow_error(lambda: c.client.get_run("0" * 32), "RESOURCE_DOES_NOT_EXIST", "get_run of an unknown id")


def dataset_checks(c):
    if c.dataset is None:
        skip("dataset checks", "no dataset was logged")
        return
    run = c.client.get_run(c.parent_id)
    inputs = run.inputs.dataset_inputs
    check_eq(len(inputs), 1, "number of dataset inputs")
    ds, want = inputs[0].dataset, c.dataset._to_mlflow_entity()
    for field in ("name", "digest", "source_type"):
        check_eq(getattr(ds, field), getattr(want, field), f"dataset {field}")
    for field in ("source", "schema", "profile"):
        check_eq(json.loads(getattr(ds, field) or "null"), json.loads(getattr(want, field)), f"dataset {field} (as JSON)")
    input_tags = {t.key: t.value for t in inputs[0].tags}
    check_eq(input_tags.get("mlflow.data.context"), "training", "dataset input context tag")
    check_eq(input_tags.get("split"), "train", "dataset input custom tag")


def metric_history_checks(c):
    def history(key):
        return sorted(((m.step, m.timestamp, m.value) for m in c.client.get_metric_history(c.parent_id, key)), key=lambda p: (p[0], p[1]))

    for key, expected in (("loss", c.loss_points), ("acc", c.acc_points), ("special", c.special_points)):
        got = history(key)
        check_eq(len(got), len(expected), f"history length of {key} ({got!r})")
        for g, e in zip(got, expected):
            check(g[0] == e[0] and g[1] == e[1] and same_float(g[2], e[2]), f"history point of {key}: expected {e!r}, got {g!r}")
    got = history("only_nan")
    check(len(got) == 1 and math.isnan(got[0][2]), f"only_nan history is one NaN point: {got!r}")
    check_eq(c.client.get_metric_history(c.parent_id, "no-such-metric"), [], "history of an unknown metric")


def list_artifact_checks(c):
    root = {f.path: f for f in c.client.list_artifacts(c.parent_id)}
    check_eq({p: f.is_dir for p, f in root.items()}, c.expected_root, "root artifact listing (path -> is_dir)")
    check_eq(root["hello.txt"].file_size, len("hello runledger\n"), "hello.txt file_size")
    sub = c.client.list_artifacts(c.parent_id, "sub/dir")
    check_eq([(f.path, f.is_dir, f.file_size) for f in sub], [("sub/dir/hello.txt", False, 16)], "listing of sub/dir")
    listed = {f.path: (f.is_dir, f.file_size) for f in c.client.list_artifacts(c.parent_id, "bundle")}
    expected = {f"bundle/{n}": (False, len(d)) for n, d in c.bundle_files.items() if "/" not in n}
    expected["bundle/nested"] = (True, None)
    check_eq(listed, expected, "listing of bundle/")
    check_eq(c.client.list_artifacts(c.parent_id, "does/not/exist"), [], "listing of a missing directory")


def download_one_by_one(c):
    """Each bundle file on its own, so one bad name is reported by name."""
    bad = []
    for rel, data in c.bundle_files.items():
        try:
            p = c.client.download_artifacts(c.parent_id, f"bundle/{rel}", tempfile.mkdtemp(prefix="dl-", dir=c.work))
            with open(p, "rb") as f:
                got = f.read()
            check(got == data, f"downloaded bytes of bundle/{rel} match ({len(got)} bytes, want {len(data)})")
        except MlflowException as e:
            bad.append(f"bundle/{rel}: {e.message.splitlines()[-1][:300]}")
    check(not bad, "downloads that failed: " + " | ".join(bad))


def download_dir(c):
    dl = c.client.download_artifacts(c.parent_id, "bundle", tempfile.mkdtemp(prefix="dl-", dir=c.work))
    for rel, data in c.bundle_files.items():
        p = os.path.join(dl, *rel.split("/"))
        check(os.path.isfile(p), f"downloaded bundle file {rel} exists")
        with open(p, "rb") as f:
            check(f.read() == data, f"downloaded bytes of bundle/{rel} match")


def download_other(c):
    dl_hello = c.client.download_artifacts(c.parent_id, "sub/dir/hello.txt", tempfile.mkdtemp(prefix="dl-", dir=c.work))
    check(filecmp.cmp(dl_hello, c.hello, shallow=False), "downloaded sub/dir/hello.txt matches")
    art_root = c.client.get_run(c.parent_id).info.artifact_uri
    check_eq(mlflow.artifacts.load_dict(f"{art_root}/cfg/config.json"), c.cfg, "load_dict(cfg/config.json)")
    check_eq(mlflow.artifacts.load_text(f"{art_root}/notes/readme.txt"), c.text, "load_text(notes/readme.txt)")
    if "plots" in c.expected_root:
        png = c.client.download_artifacts(c.parent_id, "plots/curve.png", tempfile.mkdtemp(prefix="dl-", dir=c.work))
        with open(png, "rb") as f:
            check(f.read(8) == b"\x89PNG\r\n\x1a\n", "downloaded figure is a PNG")
    p = mlflow.artifacts.download_artifacts(f"runs:/{c.parent_id}/cfg/config.json", dst_path=tempfile.mkdtemp(prefix="dl-", dir=c.work))
    with open(p) as f:
        check_eq(json.load(f), c.cfg, "download_artifacts('runs:/<id>/cfg/config.json')")
    t = time.time()
    expect_mlflow_error(
        lambda: c.client.download_artifacts(c.parent_id, "no-such-file.txt", tempfile.mkdtemp(prefix="dl-", dir=c.work)),
        None,
        "download of a missing artifact",
    )
    check(time.time() - t < 10, f"a missing artifact fails fast, not after retries ({time.time() - t:.1f}s)")


def search_runs_checks(c):
    client, exp_id = c.client, c.exp_id
    for i in range(7):
        with mlflow.start_run(run_name=f"page-{i}", tags={"group": "even" if i % 2 == 0 else "odd"}) as r:
            mlflow.log_param("kind", "page")
            mlflow.log_param("i", i)
            mlflow.log_metric("score", i / 10)
            c.page_ids[i] = r.info.run_id
        time.sleep(0.005)  # distinct start times
    c.summary["page_run_ids"] = [c.page_ids[i] for i in range(7)]
    ids = c.page_ids

    def all_pages(filter_string, order_by, max_results):
        seen, token, pages = [], None, 0
        while True:
            page = client.search_runs([exp_id], filter_string=filter_string, order_by=order_by, max_results=max_results, page_token=token)
            pages += 1
            check(len(page) <= max_results, f"page size {len(page)} <= max_results {max_results}")
            seen.extend(r.info.run_id for r in page)
            token = page.token
            if not token:
                return seen, pages
            check(pages < 50, "pagination terminates")

    got, pages = all_pages("params.kind = 'page' and metrics.score >= 0.2", ["metrics.score DESC"], 2)
    check_eq(got, [ids[i] for i in (6, 5, 4, 3, 2)], "paged search ordered by metrics.score DESC")
    check(pages >= 3, f"5 results at max_results=2 take at least 3 pages (took {pages})")
    got, _ = all_pages("tags.group = 'even' and attributes.run_name LIKE 'page-%'", ["params.i ASC"], 3)
    check_eq(got, [ids[i] for i in (0, 2, 4, 6)], "search on tag + run_name LIKE, ordered by params.i")
    got, _ = all_pages("params.kind = 'page'", ["attributes.start_time ASC"], 100)
    check_eq(got, [ids[i] for i in range(7)], "search ordered by start_time ASC")
    got, _ = all_pages("params.kind = 'page'", None, 4)
    check_eq(got, [ids[i] for i in reversed(range(7))], "default order (start_time DESC), paged by 4")
    got = [r.info.run_id for r in client.search_runs([exp_id], filter_string="metrics.score < 0.15 and metrics.score != 0")]
    check_eq(got, [ids[1]], "numeric filter on metrics")
    got = {r.info.run_id for r in client.search_runs([exp_id], filter_string="attributes.status = 'KILLED'")}
    check_eq(got, {c.child_id}, "filter on attributes.status")
    got = {r.info.run_id for r in client.search_runs([exp_id], filter_string=f"tags.mlflow.parentRunId = '{c.parent_id}'")}
    check_eq(got, {c.child_id}, "filter on tags.mlflow.parentRunId (dotted tag key)")
    got = {r.info.run_id for r in client.search_runs([exp_id], filter_string=f"attributes.run_id IN ('{ids[0]}', '{ids[3]}')")}
    check_eq(got, {ids[0], ids[3]}, "filter run_id IN (...)")
    got = {r.info.run_id for r in client.search_runs([exp_id], filter_string="metrics.only_inf > 1e308")}
    check_eq(got, {c.parent_id}, "filter metrics.only_inf > 1e308")
    if c.dataset is not None:
        got = {r.info.run_id for r in client.search_runs([exp_id], filter_string="datasets.name = 'smoke-train' and datasets.context = 'training'")}
        check_eq(got, {c.parent_id}, "filter on datasets.name / datasets.context")
    expect_mlflow_error(lambda: client.search_runs([exp_id], filter_string="metrics.score > 'a'"), "INVALID_PARAMETER_VALUE", "bad filter")


def pandas_search_checks(c):
    ids = c.page_ids
    check_eq(len(ids), 7, "the seven page runs exist")
    df = mlflow.search_runs(experiment_ids=[c.exp_id], filter_string="params.kind = 'page'", order_by=["metrics.score ASC"])
    check_eq(len(df), 7, "pandas search_runs row count")
    check_eq(list(df["run_id"]), [ids[i] for i in range(7)], "pandas search_runs order")
    for col in ("metrics.score", "params.i", "tags.group", "status", "start_time", "end_time", "artifact_uri"):
        check(col in df.columns, f"pandas search_runs has column {col}: {list(df.columns)}")
    check_eq([float(x) for x in df["metrics.score"]], [i / 10 for i in range(7)], "pandas metrics.score column")
    check_eq(list(df["params.i"]), [str(i) for i in range(7)], "pandas params.i column")
    df_names = mlflow.search_runs(experiment_names=[c.exp_name], filter_string="attributes.run_name = 'smoke-parent'")
    check_eq(list(df_names["run_id"]), [c.parent_id], "pandas search_runs by experiment_names")


def delete_restore_run(c):
    client, exp_id = c.client, c.exp_id
    victim = c.page_ids[3]
    client.delete_run(victim)
    check_eq(client.get_run(victim).info.lifecycle_stage, "deleted", "lifecycle_stage after delete_run")
    active = {r.info.run_id for r in client.search_runs([exp_id], "params.kind = 'page'")}
    check(victim not in active and len(active) == 6, f"deleted run hidden from ACTIVE_ONLY search ({len(active)} found)")
    deleted = {r.info.run_id for r in client.search_runs([exp_id], "params.kind = 'page'", run_view_type=ViewType.DELETED_ONLY)}
    check_eq(deleted, {victim}, "DELETED_ONLY search")
    every = {r.info.run_id for r in client.search_runs([exp_id], "params.kind = 'page'", run_view_type=ViewType.ALL)}
    check_eq(len(every), 7, "ALL search")
    expect_mlflow_error(lambda: client.log_metric(victim, "score", 1.0), "INVALID_PARAMETER_VALUE", "logging to a deleted run")
    client.restore_run(victim)
    check_eq(client.get_run(victim).info.lifecycle_stage, "active", "lifecycle_stage after restore_run")
    check_eq(len(client.search_runs([exp_id], "params.kind = 'page'")), 7, "restored run visible again")


def experiment_lifecycle(c):
    client, suffix = c.client, c.suffix
    other_name = f"smoke-{suffix}-other"
    other_id = client.create_experiment(other_name, tags={"purpose": "rename-me"})
    c.summary["other_experiment_id"] = other_id
    expect_mlflow_error(lambda: client.create_experiment(other_name), "RESOURCE_ALREADY_EXISTS", "duplicate experiment name")
    found = client.search_experiments(filter_string=f"name LIKE 'smoke-{suffix}%'", order_by=["name ASC"])
    check_eq([e.name for e in found], [c.exp_name, other_name], "search_experiments by name LIKE, ordered by name")
    found = client.search_experiments(filter_string=f"tags.purpose = 'rename-me' and name LIKE 'smoke-{suffix}%'")
    check_eq([e.experiment_id for e in found], [other_id], "search_experiments by tag")
    paged, token = [], None
    while True:
        page = client.search_experiments(max_results=1, page_token=token, filter_string=f"name LIKE 'smoke-{suffix}%'")
        paged.extend(e.experiment_id for e in page)
        token = page.token
        if not token:
            break
        check(len(paged) < 50, "search_experiments pagination terminates")
    check_eq(sorted(paged), sorted([c.exp_id, other_id]), "search_experiments pagination (max_results=1)")
    got = client.get_experiment_by_name(other_name)
    check(got is not None and got.experiment_id == other_id, "get_experiment_by_name(other)")
    check_eq(got.tags.get("purpose"), "rename-me", "experiment tag")
    check(client.get_experiment_by_name(f"smoke-{suffix}-missing") is None, "get_experiment_by_name(missing) is None")

    client.delete_experiment(other_id)
    check_eq(client.get_experiment(other_id).lifecycle_stage, "deleted", "experiment lifecycle_stage after delete")
    deleted = {e.experiment_id for e in client.search_experiments(view_type=ViewType.DELETED_ONLY)}
    check(other_id in deleted, "deleted experiment in DELETED_ONLY search")
    active = {e.experiment_id for e in client.search_experiments(view_type=ViewType.ACTIVE_ONLY)}
    check(other_id not in active and c.exp_id in active, "deleted experiment not in ACTIVE_ONLY search")
    by_name = client.get_experiment_by_name(other_name)
    check(by_name is not None and by_name.lifecycle_stage == "deleted", "get_experiment_by_name returns the deleted experiment")
    expect_mlflow_error(lambda: mlflow.set_experiment(other_name), None, "set_experiment on a deleted experiment")
    client.restore_experiment(other_id)
    check_eq(client.get_experiment(other_id).lifecycle_stage, "active", "experiment lifecycle_stage after restore")
    renamed = f"smoke-{suffix}-renamed"
    client.rename_experiment(other_id, renamed)
    c.summary["renamed_experiment_name"] = renamed
    check_eq(client.get_experiment(other_id).name, renamed, "experiment name after rename")
    check(client.get_experiment_by_name(other_name) is None, "old name no longer found after rename")
    check_eq(client.get_experiment_by_name(renamed).experiment_id, other_id, "new name found after rename")


def large_batches(c):
    """The client splits big log_params / log_metrics / set_tags calls into several log-batch requests."""
    with mlflow.start_run(run_name="smoke-large") as r:
        run_id = r.info.run_id
        c.summary["large_run_id"] = run_id
        mlflow.log_params({f"p{i:03d}": i for i in range(250)})
        mlflow.log_metrics({f"m{i:04d}": i * 0.5 for i in range(2500)}, step=3)
        mlflow.set_tags({f"t{i:03d}": f"v{i}" for i in range(150)})
        mlflow.set_tag("long_tag", "y" * 10_000)
    data = c.client.get_run(run_id).data
    check_eq(len(data.params), 250, "params logged through 3 batches")
    check_eq(data.params.get("p249"), "249", "param p249")
    check_eq(len(data.metrics), 2500, "metrics logged through 3 batches")
    check_eq(data.metrics.get("m2499"), 1249.5, "metric m2499")
    check_eq(sum(1 for k in data.tags if k.startswith("t") and k[1:].isdigit()), 150, "tags logged through 2 batches")
    check_eq(data.tags.get("long_tag"), "y" * 10_000, "10,000-char tag value stored whole")


def long_history(c):
    """30,000 points of one metric: get_metric_history pages with max_results=25000 and page tokens."""
    from mlflow.entities import Metric

    with mlflow.start_run(run_name="smoke-long-history") as r:
        run_id = r.info.run_id
        c.summary["long_history_run_id"] = run_id
        for b in range(30):
            c.client.log_batch(run_id, metrics=[Metric("long", float(i), c.t0 + i, i) for i in range(b * 1000, (b + 1) * 1000)])
    hist = c.client.get_metric_history(run_id, "long")
    check_eq(len(hist), 30_000, "history length of a 30,000-point metric")
    check_eq(sorted(m.step for m in hist), list(range(30_000)), "every step of the 30,000-point metric, once")
    check(all(m.value == float(m.step) and m.timestamp == c.t0 + m.step for m in hist), "values and timestamps of the long history")
    check_eq(c.client.get_run(run_id).data.metrics.get("long"), 29_999.0, "latest value of the long metric")


def steps_and_keys(c):
    """A step that goes backwards keeps every point; keys with '/', ' ', ':', '.', '-'."""
    with mlflow.start_run(run_name="smoke-keys") as r:
        run_id = r.info.run_id
        c.summary["keys_run_id"] = run_id
        pts = [(0, 1.0), (1, 0.9), (2, 0.8), (0, 0.7), (1, 0.6)]  # restarted at step 0
        for i, (s, v) in enumerate(pts):
            mlflow.log_metric("train/loss", v, step=s, timestamp=c.t0 + i)
        mlflow.log_metric("a b:c", 1.5)
        mlflow.log_param("x.y-z", "v")
        mlflow.set_tag("k/with.dots", "w")
    hist = sorted((m.timestamp - c.t0, m.step, m.value) for m in c.client.get_metric_history(run_id, "train/loss"))
    check_eq(hist, [(i, s, v) for i, (s, v) in enumerate(pts)], "history of a metric whose step went backwards")
    data = c.client.get_run(run_id).data
    check_eq(data.metrics.get("train/loss"), 0.8, "latest train/loss is the highest step's value")
    check_eq(data.metrics.get("a b:c"), 1.5, "metric key with space and colon")
    got = [x.info.run_id for x in c.client.search_runs([c.exp_id], "metrics.`a b:c` = 1.5 and params.\"x.y-z\" = 'v' and tags.`k/with.dots` = 'w'")]
    check_eq(got, [run_id], "filter with backtick- and double-quoted keys")
    got = [x.info.run_id for x in c.client.search_runs([c.exp_id], "metrics.`train/loss` < 0.85 and metrics.`train/loss` > 0.75")]
    check_eq(got, [run_id], "filter on a metric compares its latest value")


def async_logging(c):
    """`synchronous=False` logs from the client's background queue (log-batch)."""
    with mlflow.start_run(run_name="smoke-async") as r:
        run_id = r.info.run_id
        c.summary["async_run_id"] = run_id
        ops = [mlflow.log_metric("async_m", float(i), step=i, synchronous=False) for i in range(20)]
        ops.append(mlflow.log_param("async_p", "1", synchronous=False))
        ops.append(mlflow.set_tag("async_t", "yes", synchronous=False))
        for op in ops:
            op.wait()
    run = c.client.get_run(run_id)
    check_eq(len(c.client.get_metric_history(run_id, "async_m")), 20, "async metric points")
    check_eq(run.data.params.get("async_p"), "1", "async param")
    check_eq(run.data.tags.get("async_t"), "yes", "async tag")


def resume_and_rename(c):
    """start_run(run_id=...) resumes a finished run; update_run renames it."""
    run_id = c.failed_id
    with mlflow.start_run(run_id=run_id) as r:
        check_eq(r.info.status, "RUNNING", "a resumed run is RUNNING again")
        mlflow.log_metric("resumed", 1.0)
    run = c.client.get_run(run_id)
    check_eq(run.info.status, "FINISHED", "status after the resumed run ends")
    check_eq(run.data.metrics.get("resumed"), 1.0, "metric logged after resuming")
    c.client.update_run(run_id, name="smoke-renamed-run")
    run = c.client.get_run(run_id)
    check_eq(run.info.run_name, "smoke-renamed-run", "run_name after update_run(name=)")
    check_eq(run.data.tags.get("mlflow.runName"), "smoke-renamed-run", "mlflow.runName tag after update_run(name=)")
    c.client.set_terminated(run_id, status="KILLED")
    check_eq(c.client.get_run(run_id).info.status, "KILLED", "set_terminated(status=KILLED)")
    c.summary["renamed_run"] = {"run_id": run_id, "run_name": "smoke-renamed-run"}


def odd_artifact_names(c):
    """File names with URL-special characters. Not '#', '?' or '%XX': MLflow's client puts the path into the
    URL unquoted, so those cannot round-trip through any server (MLflow's own included)."""
    names = {
        "plus+amp&.txt": b"plus\n",
        "semi;colon.txt": b"semi\n",
        "comma,eq=.txt": b"comma\n",
        "tilde~'quote'.txt": b"tilde\n",
        "brackets[1](2).txt": b"brackets\n",
        "dollar$at@.txt": b"dollar\n",
    }
    d = tempfile.mkdtemp(prefix="odd-", dir=c.work)
    for n, data in names.items():
        with open(os.path.join(d, n), "wb") as f:
            f.write(data)
    with mlflow.start_run(run_name="smoke-odd-names") as r:
        run_id = r.info.run_id
        mlflow.log_artifacts(d, artifact_path="odd")
    listed = {f.path for f in c.client.list_artifacts(run_id, "odd")}
    check_eq(listed, {f"odd/{n}" for n in names}, "listing of odd names")
    bad = []
    for n, data in names.items():
        try:
            p = c.client.download_artifacts(run_id, f"odd/{n}", tempfile.mkdtemp(prefix="dl-", dir=c.work))
            with open(p, "rb") as f:
                if f.read() != data:
                    bad.append(f"{n}: bytes differ")
        except MlflowException as e:
            bad.append(f"{n}: {e.message.splitlines()[-1][:200]}")
    check(not bad, "odd-name downloads that failed: " + " | ".join(bad))


def experiment_tags(c):
    c.client.set_experiment_tag(c.exp_id, "exp_tag", "v1")
    mlflow.set_experiment_tags({"exp_tag": "v2", "other": "o"})  # the active experiment is c.exp_id
    tags = c.client.get_experiment(c.exp_id).tags
    check_eq((tags.get("exp_tag"), tags.get("other")), ("v2", "o"), "experiment tags after set_experiment_tag(s)")


def server_side_rules(c):
    """Behaviour of MLflow's server that clients and UIs rely on."""
    from mlflow.entities import Param

    client = c.client
    # A run started without a name gets one from the server, mirrored in the mlflow.runName tag.
    with mlflow.start_run(description="smoke description \u2713") as r:
        run_id = r.info.run_id
        c.summary["rules_run_id"] = run_id
        check(r.info.run_name, f"a run started without run_name gets a generated name: {r.info.run_name!r}")
        generated = r.info.run_name
        mlflow.log_param("unicode", "caf\u00e9\nline2 \u2603")
        mlflow.set_tag("unicode_tag", "\u65e5\u672c\u8a9e")
        # Exact duplicate point stored once; same step, another value: both kept.
        for _ in range(2):
            mlflow.log_metric("dup", 1.0, step=1, timestamp=c.t0)
        mlflow.log_metric("dup", 2.0, step=1, timestamp=c.t0)
        expect_mlflow_error(
            lambda: client.log_batch(run_id, params=[Param("same", "1"), Param("same", "2")]),
            "INVALID_PARAMETER_VALUE",
            "duplicate param keys in one log_batch",
        )
    run = client.get_run(run_id)
    check_eq(run.data.tags.get("mlflow.runName"), generated, "mlflow.runName tag of a generated name")
    check_eq(run.data.tags.get("mlflow.note.content"), "smoke description \u2713", "start_run(description=) tag")
    check_eq(run.data.params.get("unicode"), "caf\u00e9\nline2 \u2603", "unicode/newline param value")
    check_eq(run.data.tags.get("unicode_tag"), "\u65e5\u672c\u8a9e", "unicode tag value")
    dup = sorted(m.value for m in client.get_metric_history(run_id, "dup"))
    check_eq(dup, [1.0, 2.0], "exact duplicate point stored once, other value at the same step kept")
    # Setting the mlflow.runName tag renames the run (set-tag and log-batch).
    client.set_tag(run_id, "mlflow.runName", "renamed-by-set-tag")
    check_eq(client.get_run(run_id).info.run_name, "renamed-by-set-tag", "run_name after set_tag('mlflow.runName')")
    client.log_batch(run_id, tags=[RunTag("mlflow.runName", "renamed-by-batch")])
    check_eq(client.get_run(run_id).info.run_name, "renamed-by-batch", "run_name after log_batch tag mlflow.runName")

    # Unknown ids, limits.
    expect_mlflow_error(lambda: client.get_experiment("987654321"), "RESOURCE_DOES_NOT_EXIST", "get_experiment of an unknown id")
    expect_mlflow_error(lambda: client.search_runs([c.exp_id], max_results=50001), "INVALID_PARAMETER_VALUE", "search_runs max_results > 50000")

    # Experiment names with spaces, unicode and a slash; set_experiment(experiment_id=).
    odd_name = f"smoke-{c.suffix} \u00fcn\u00ef/c\u00f8de"
    odd = mlflow.set_experiment(odd_name)
    check_eq(client.get_experiment_by_name(odd_name).experiment_id, odd.experiment_id, "get_experiment_by_name with spaces/unicode/slash")
    check_eq(mlflow.set_experiment(experiment_id=odd.experiment_id).name, odd_name, "set_experiment(experiment_id=)")
    with mlflow.start_run(run_name="in-odd-experiment") as r2:
        mlflow.set_tag("cross", c.suffix)
    mlflow.set_experiment(c.exp_name)
    with mlflow.start_run(run_name="in-main-experiment") as r3:
        mlflow.set_tag("cross", c.suffix)
    df = mlflow.search_runs(search_all_experiments=True, filter_string=f"tags.cross = '{c.suffix}'")
    check_eq(set(df["run_id"]), {r2.info.run_id, r3.info.run_id}, "search_runs(search_all_experiments=True)")
    got = {x.info.run_id for x in client.search_runs([c.exp_id, odd.experiment_id], f"tags.cross = '{c.suffix}'")}
    check_eq(got, {r2.info.run_id, r3.info.run_id}, "search_runs over two experiment ids")

    # A deleted experiment takes no new runs.
    client.delete_experiment(odd.experiment_id)
    expect_mlflow_error(lambda: client.create_run(odd.experiment_id), "INVALID_PARAMETER_VALUE", "create_run in a deleted experiment")
    client.restore_experiment(odd.experiment_id)


def dataset_twice(c):
    if c.dataset is None:
        skip("dataset logged twice", "no dataset could be built")
        return
    with mlflow.start_run(run_name="smoke-dataset-twice") as r:
        mlflow.log_input(c.dataset, context="training")
        mlflow.log_input(c.dataset, context="training")
    inputs = c.client.get_run(r.info.run_id).inputs.dataset_inputs
    check_eq(len(inputs), 1, "the same dataset logged twice to a run is one input")


def artifact_overwrite_and_size(c):
    """Logging the same path again replaces it; a 24 MiB file round-trips."""
    d = tempfile.mkdtemp(prefix="ow-", dir=c.work)
    f1 = os.path.join(d, "same.txt")
    big = os.path.join(d, "big.bin")
    with open(big, "wb") as f:
        chunk = os.urandom(1 << 20)
        for i in range(24):
            f.write(bytes([i]) + chunk[1:])
    with mlflow.start_run(run_name="smoke-overwrite") as r:
        run_id = r.info.run_id
        with open(f1, "w") as f:
            f.write("first\n")
        mlflow.log_artifact(f1)
        with open(f1, "w") as f:
            f.write("second, longer\n")
        mlflow.log_artifact(f1)
        mlflow.log_artifact(big, artifact_path="large")
    listed = [(x.path, x.file_size) for x in c.client.list_artifacts(run_id)]
    check(("same.txt", len("second, longer\n")) in listed, f"listing after overwrite: {listed}")
    p = c.client.download_artifacts(run_id, "same.txt", tempfile.mkdtemp(prefix="dl-", dir=c.work))
    with open(p) as f:
        check_eq(f.read(), "second, longer\n", "an artifact logged twice has the second content")
    p = c.client.download_artifacts(run_id, "large/big.bin", tempfile.mkdtemp(prefix="dl-", dir=c.work))
    check(filecmp.cmp(p, big, shallow=False), "24 MiB artifact round-trips")


def order_nan_missing(c):
    """MLflow's SQL store sorts NaN, then missing values, last in both directions."""
    ids = {}
    for name, value in (("one", 1.0), ("nan", float("nan")), ("three", 3.0), ("missing", None), ("inf", float("inf"))):
        with mlflow.start_run(run_name=f"ord-{name}") as r:
            mlflow.set_tag("ord_group", c.suffix)
            if value is not None:
                mlflow.log_metric("ord", value)
            ids[name] = r.info.run_id
        time.sleep(0.005)
    flt = f"tags.ord_group = '{c.suffix}'"
    asc = [r.info.run_id for r in c.client.search_runs([c.exp_id], flt, order_by=["metrics.ord ASC"])]
    check_eq(asc, [ids[n] for n in ("one", "three", "inf", "nan", "missing")], "order_by metrics.ord ASC (NaN, then missing, last)")
    desc = [r.info.run_id for r in c.client.search_runs([c.exp_id], flt, order_by=["metrics.ord DESC"])]
    check_eq(desc, [ids[n] for n in ("inf", "three", "one", "nan", "missing")], "order_by metrics.ord DESC (NaN, then missing, last)")
    gt = {r.info.run_id for r in c.client.search_runs([c.exp_id], flt + " and metrics.ord > 0")}
    check_eq(gt, {ids["one"], ids["three"], ids["inf"]}, "metrics.ord > 0 matches neither NaN nor missing")
    ne = {r.info.run_id for r in c.client.search_runs([c.exp_id], flt + " and metrics.ord != 1")}
    check(ids["missing"] not in ne and ids["three"] in ne, f"a run lacking the metric never matches (!= included): {ne}")


def main():
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if not uri or not uri.startswith("http"):
        raise SmokeFailure(f"MLFLOW_TRACKING_URI must be an http(s) URL, got {uri!r}")
    if not os.environ.get("MLFLOW_TRACKING_TOKEN"):
        raise SmokeFailure("MLFLOW_TRACKING_TOKEN is not set")
    print(f"mlflow {mlflow.__version__} from {os.path.dirname(mlflow.__file__)} -> {uri}", flush=True)
    mlflow.set_tracking_uri(uri)
    suffix = os.environ.get("RUNLEDGER_SMOKE_SUFFIX") or uuid.uuid4().hex[:8]
    t0 = int(time.time() * 1000)
    c = SimpleNamespace(
        client=MlflowClient(),
        suffix=suffix,
        exp_name=f"smoke-{suffix}",
        work=tempfile.mkdtemp(prefix="runledger-smoke-"),
        t0=t0,
        summary={"mlflow_version": mlflow.__version__, "experiment_name": f"smoke-{suffix}"},
        loss_points=[],  # (step, timestamp, value)
        acc_points=[(5, t0 + 5000, 0.55), (6, t0 + 6000, 0.56)],
        special_points=[
            (0, t0, float("nan")),
            (1, t0 + 1, float("inf")),
            (2, t0 + 2, float("-inf")),
            (3, t0 + 3, -0.0),
            (4, t0 + 4, 1e308),
            (5, t0 + 5, 0.25),
        ],
        bundle_files={
            "a.txt": b"alpha\n",
            "data.bin": bytes(range(256)) * 64,
            "nested/b.json": json.dumps({"k": [1, 2, 3]}).encode(),
            "nested/deeper/c.csv": b"x,y\n1,2\n",
            "unicode-\u00e9\u00e8.txt": "caf\u00e9 \u2603\n".encode("utf-8"),
            "with space.txt": b"spaces in the name\n",
            "empty.txt": b"",
        },
        cfg={"lr": 0.01, "layers": [64, 32], "name": "smoke", "nested": {"ok": True}},
        text="line one\nline two \u2713\n",
        expected_root={},
        dataset=None,
        page_ids={},
        parent_id=None,
        child_id=None,
        failed_id=None,
        hello=None,
    )
    section("set_experiment (new, then existing)", experiments_setup, c, fatal=True)
    section("start_run (run_name, tags, nested), log_param(s), log_metric(s), set_tag(s), delete_tag", log_run_data, c, fatal=True)
    section("log_artifact, log_artifacts, log_dict, log_text, log_figure", log_artifacts, c)
    section("log_input (mlflow.data.from_pandas)", log_dataset, c)
    section("end_run with status", end_runs, c)
    section("get_run", get_run_checks, c)
    section("run inputs (datasets)", dataset_checks, c)
    section("get_metric_history", metric_history_checks, c)
    section("list_artifacts (root, subdirs)", list_artifact_checks, c)
    section("download_artifacts (each file)", download_one_by_one, c)
    section("download_artifacts (a directory)", download_dir, c)
    section("download_artifacts / load_dict / load_text / figure / missing file", download_other, c)
    section("search_runs: filter, order_by, pagination", search_runs_checks, c)
    section("mlflow.search_runs (pandas)", pandas_search_checks, c)
    section("delete_run / restore_run", delete_restore_run, c)
    section("search_experiments / get_experiment_by_name / delete / restore / rename", experiment_lifecycle, c)
    section("large batches split by the client (250 params, 2500 metrics, 150 tags)", large_batches, c)
    section("get_metric_history of 30,000 points (paged)", long_history, c)
    section("backwards steps and special-character keys", steps_and_keys, c)
    section("asynchronous logging (synchronous=False)", async_logging, c)
    section("resume a run (start_run(run_id=)), update_run name, set_terminated", resume_and_rename, c)
    section("artifact names that need URL quoting", odd_artifact_names, c)
    section("experiment tags (set_experiment_tag(s))", experiment_tags, c)
    section("server-side rules (generated run names, runName tag, duplicates, limits, odd names)", server_side_rules, c)
    section("the same dataset logged twice", dataset_twice, c)
    section("artifact overwrite and a 24 MiB artifact", artifact_overwrite_and_size, c)
    section("order_by with NaN and missing values", order_nan_missing, c)

    print("SMOKE_SUMMARY " + json.dumps(c.summary), flush=True)
    if SKIPPED:
        print(f"skipped steps: {', '.join(SKIPPED)}", flush=True)
    if FAILURES:
        print(f"FAIL: {len(FAILURES)} section(s) failed ({CHECKS} checks run):", file=sys.stderr, flush=True)
        for f in FAILURES:
            print(f"  {f}", file=sys.stderr, flush=True)
        sys.exit(1)
    print(f"OK {CHECKS} checks", flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 -- a fatal section already printed its trace
        if not FAILURES:
            traceback.print_exc()
        print(f"FAIL after {CHECKS} checks: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        sys.exit(1)
