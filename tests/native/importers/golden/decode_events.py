"""Reference decoder for the TensorBoard golden files (stdlib only, independent of the TypeScript reader).

Writes, for each run folder given, every scalar point (step, wall time, value as the file holds it),
the hparams and the text summaries, so the importer test can check every point it stored.
Regenerate:  python3 tests/native/importers/golden/decode_events.py ../shared/fixtures/tensorboard/lr1e-3_bs64 > …json
"""
import json, math, os, struct, sys

def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1; r |= (c & 0x7F) << s; s += 7
        if c < 0x80:
            return r, i

def fields(b):
    i, out = 0, []
    while i < len(b):
        k, i = varint(b, i)
        f, w = k >> 3, k & 7
        if w == 0: v, i = varint(b, i)
        elif w == 1: v, i = b[i:i + 8], i + 8
        elif w == 5: v, i = b[i:i + 4], i + 4
        elif w == 2:
            n, i = varint(b, i); v, i = b[i:i + n], i + n
        else: raise ValueError("wire type %d" % w)
        out.append((f, w, v))
    return out

def records(path):
    d = open(path, "rb").read(); i = 0
    while i + 12 <= len(d):
        n = struct.unpack("<Q", d[i:i + 8])[0]
        yield d[i + 12:i + 12 + n]
        i += 16 + n

def pvalue(b):  # google.protobuf.Value
    for f, w, v in fields(b):
        if f == 2: x = struct.unpack("<d", v)[0]; return repr(int(x)) if x == int(x) and abs(x) < 1e16 else repr(x)
        if f == 3: return v.decode()
        if f == 4: return "true" if v else "false"
    return ""

def num(x):
    return x if math.isfinite(x) else ("NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity"))

def decode_run(run_dir):
    files = []
    for root, dirs, names in os.walk(run_dir):
        dirs.sort()
        files += sorted(os.path.join(root, n) for n in names if "tfevents" in n)
    out = {"scalars": {}, "params": {}, "metric_names": [], "texts": [], "histograms": {}}
    plugin = {}
    for path in files:
        for rec in records(path):
            wall, step, summary = 0.0, 0, None
            for f, w, v in fields(rec):
                if f == 1: wall = struct.unpack("<d", v)[0]
                elif f == 2: step = v
                elif f == 5: summary = v
            if summary is None: continue
            for f, w, val in fields(summary):
                tag, simple, tensor, histo = "", None, None, None
                for f3, w3, v3 in fields(val):
                    if f3 == 1: tag = v3.decode()
                    elif f3 == 2: simple = struct.unpack("<f", v3)[0]
                    elif f3 == 5: histo = v3
                    elif f3 == 8: tensor = v3
                    elif f3 == 9:
                        for f4, _, v4 in fields(v3):
                            if f4 != 1: continue
                            pd = dict((a, c) for a, _, c in fields(v4))
                            plugin[tag] = pd.get(1, b"").decode()
                            if plugin[tag] == "hparams":
                                for kind, _, body in fields(pd.get(2, b"")):
                                    if kind == 2:
                                        for fe, _, ve in fields(body):
                                            if fe == 5:
                                                name = dict((a, c) for a, _, c in fields(dict((a, c) for a, _, c in fields(ve))[1]))
                                                out["metric_names"].append(((name.get(1, b"").decode() + "/") if name.get(1) else "") + name.get(2, b"").decode())
                                    if kind == 3:
                                        for fe, _, ve in fields(body):
                                            if fe == 1:
                                                e = dict((a, c) for a, _, c in fields(ve))
                                                out["params"][e[1].decode()] = pvalue(e.get(2, b""))
                point = None
                if simple is not None: point = simple
                elif tensor is not None and plugin.get(tag) == "scalars":
                    t = dict((a, c) for a, _, c in fields(tensor))
                    raw = t.get(4) or t.get(5) or t.get(6)  # tensor_content, else float_val / double_val
                    point = struct.unpack("<f", raw[:4])[0] if t.get(1) == 1 else struct.unpack("<d", raw[:8])[0]
                elif tensor is not None and plugin.get(tag) == "text":
                    strings = [c.decode() for a, _, c in fields(tensor) if a == 8]
                    out["texts"].append({"tag": tag, "step": step, "text": "\n\n".join(strings)})
                if histo is not None or (tensor is not None and plugin.get(tag) == "histograms"):
                    out["histograms"][tag] = out["histograms"].get(tag, 0) + 1
                if point is not None:
                    out["scalars"].setdefault(tag, []).append([step, wall, num(point)])
    return out

if __name__ == "__main__":
    runs = {os.path.basename(os.path.normpath(p)): decode_run(p) for p in sys.argv[1:]}
    json.dump(runs, sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")
