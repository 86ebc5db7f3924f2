"""Dataset fingerprints: a streamed SHA-256 and size of a file, or of a directory (a deterministic hash
over its sorted relative paths and each file's hash, so the same tree hashes the same on any machine).
For CSV files the client can also profile (columns, types, rows, empty cells), which the server uses
when it cannot read the file itself; Parquet is profiled by the server (DuckDB) when readable."""
import csv
import hashlib
import os

CHUNK = 1 << 20
CLIENT_PROFILE_MAX_BYTES = 256 * 1024 * 1024


def file_sha256(path):
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def tree_files(root):
    """Sorted '/'-separated relative paths of the regular files under `root` (symlinks to files count)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            full = os.path.join(dirpath, name)
            if os.path.isfile(full):
                out.append(os.path.relpath(full, root).replace(os.sep, "/"))
    return sorted(out, key=lambda p: p.encode("utf-8", "surrogateescape"))


def hash_path(path):
    """(sha256 hex, total size in bytes, number of files) of a file or a directory tree."""
    if os.path.isfile(path):
        digest, size = file_sha256(path)
        return digest, size, 1
    if not os.path.isdir(path):
        raise FileNotFoundError("no file or directory at %s" % path)
    h = hashlib.sha256(b"runledger-tree-v1\n")
    total = 0
    files = tree_files(path)
    for rel in files:
        digest, size = file_sha256(os.path.join(path, rel))
        total += size
        # Length-prefixed, so no file name can imitate the boundary between two entries.
        name = rel.encode("utf-8", "surrogateescape")
        h.update(b"%d:%s %s %d\n" % (len(name), name, digest.encode("ascii"), size))
    return h.hexdigest(), total, len(files)


def _cell_type(value):
    try:
        int(value)
        return "BIGINT"
    except ValueError:
        pass
    try:
        float(value)
        return "DOUBLE"
    except ValueError:
        pass
    return "BOOLEAN" if value.lower() in ("true", "false") else "VARCHAR"


_WIDER = {("BIGINT", "DOUBLE"): "DOUBLE", ("DOUBLE", "BIGINT"): "DOUBLE"}


def csv_profile(path, max_bytes=CLIENT_PROFILE_MAX_BYTES):
    """Columns (with DuckDB-style type names), row count and empty cells per column; None when too big or unreadable."""
    if not path.lower().endswith((".csv", ".tsv")) or os.path.getsize(path) > max_bytes:
        return None
    try:
        with open(path, "r", encoding="utf-8", newline="") as f:
            sample = f.read(64 * 1024)
            f.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
            except csv.Error:
                dialect = csv.excel_tab if path.lower().endswith(".tsv") else csv.excel
            reader = csv.reader(f, dialect)
            header = next(reader, None)
            if header is None:
                return None
            types = [None] * len(header)
            nulls = [0] * len(header)
            rows = 0
            for row in reader:
                rows += 1
                for i in range(len(header)):
                    cell = row[i] if i < len(row) else ""
                    if cell == "":
                        nulls[i] += 1
                        continue
                    t = _cell_type(cell)
                    if types[i] is None or types[i] == t:
                        types[i] = t
                    else:
                        types[i] = _WIDER.get((types[i], t), "VARCHAR")
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return {
        "format": "csv",
        "columns": [{"name": n, "type": t or "VARCHAR"} for n, t in zip(header, types)],
        "rows": rows,
        "null_counts": dict(zip(header, nulls)),
    }
