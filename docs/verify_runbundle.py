#!/usr/bin/env python3
"""Reference verifier for Runledger run bundles (.runbundle), Python 3.8+ standard library only.

    python3 verify_runbundle.py BUNDLE [--allowed-signers FILE] [--revoked-keys FILE] [--json]

BUNDLE is the .runbundle (ZIP) file or the exported folder. It runs the checks of the bundle format
(docs/auditing.md) in order and stops at the first failure, printing its error code:
container (names, STORE only, no links, no duplicates), closed set of files outside data/, the
signatures (SSHSIG and raw Ed25519 over tagmanifest-sha256.txt, one key), the tag manifest, the
payload manifest (complete, Payload-Oxum), every payload SHA-256, and the DSSE/in-toto Statements.
Exit codes: 0 valid and the key is in --allowed-signers; 3 valid but no trusted key said so; 1 invalid.
It never extracts anything to disk. It does not check the audit-log proofs (see docs/auditing.md).
"""
import base64
import hashlib
import json
import os
import re
import stat
import struct
import sys
import zipfile

NAMESPACE = "runledger-bundle-v1"
PATH_RE = re.compile(r"^run-[a-z0-9-]+/([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]+$")
DEVICE_RE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)
LINE_RE = re.compile(r"^([0-9a-f]{64})  ([A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*)$")
FIXED_TAGS = {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "VERIFY.txt", "tagmanifest-sha256.txt"}
SIGNATURES = {"signatures/provenance.intoto.jsonl", "signatures/signer.pub", "signatures/signer.pub.pem",
              "signatures/tagmanifest-sha256.txt.sig", "signatures/tagmanifest-sha256.txt.sshsig"}
STATEMENT_RE = re.compile(r"^provenance/[A-Za-z0-9._-]+\.statement\.json$")


class Fail(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


# ---- Ed25519 verification (RFC 8032 section 6, the reference code) ----
_p = 2 ** 255 - 19
_q = 2 ** 252 + 27742317777372353535851937790883648493
_d = -121665 * pow(121666, _p - 2, _p) % _p
_sqrt_m1 = pow(2, (_p - 1) // 4, _p)


def _recover_x(y, sign):
    if y >= _p:
        return None
    x2 = (y * y - 1) * pow(_d * y * y + 1, _p - 2, _p)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_p + 3) // 8, _p)
    if (x * x - x2) % _p != 0:
        x = x * _sqrt_m1 % _p
    if (x * x - x2) % _p != 0:
        return None
    if (x & 1) != sign:
        x = _p - x
    return x


def _add(P, Q):
    A, B = (P[1] - P[0]) * (Q[1] - Q[0]) % _p, (P[1] + P[0]) * (Q[1] + Q[0]) % _p
    C, D = 2 * P[3] * Q[3] * _d % _p, 2 * P[2] * Q[2] % _p
    E, F, G, H = B - A, D - C, D + C, B + A
    return (E * F, G * H, F * G, E * H)


def _mul(s, P):
    Q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            Q = _add(Q, P)
        P = _add(P, P)
        s >>= 1
    return Q


def _equal(P, Q):
    return (P[0] * Q[2] - Q[0] * P[2]) % _p == 0 and (P[1] * Q[2] - Q[1] * P[2]) % _p == 0


def _decompress(s):
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _p)


_gy = 4 * pow(5, _p - 2, _p) % _p
_G = (_recover_x(_gy, 0), _gy, 1, _recover_x(_gy, 0) * _gy % _p)


def ed25519_verify(public, msg, sig):
    if len(public) != 32 or len(sig) != 64:
        return False
    A, R = _decompress(public), _decompress(sig[:32])
    if A is None or R is None:
        return False
    s = int.from_bytes(sig[32:], "little")
    if s >= _q:
        return False
    h = int.from_bytes(hashlib.sha512(sig[:32] + public + msg).digest(), "little") % _q
    return _equal(_mul(s, _G), _add(R, _mul(h, A)))


# ---- SSH wire formats ----
def _ssh_string(b):
    return struct.pack(">I", len(b)) + b


def _read_strings(buf, n):
    out, pos = [], 0
    for _ in range(n):
        if pos + 4 > len(buf):
            raise ValueError("truncated")
        (ln,) = struct.unpack(">I", buf[pos:pos + 4])
        out.append(buf[pos + 4:pos + 4 + ln])
        pos += 4 + ln
        if pos > len(buf):
            raise ValueError("truncated")
    return out, buf[pos:]


def fingerprint(blob):
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def raw_key(blob):
    (kind, key), rest = _read_strings(blob, 2)
    if kind != b"ssh-ed25519" or len(key) != 32 or rest:
        raise ValueError("not an ssh-ed25519 key")
    return key


def parse_sshsig(armored):
    text = armored.strip()
    if not (text.startswith("-----BEGIN SSH SIGNATURE-----") and text.endswith("-----END SSH SIGNATURE-----")):
        raise ValueError("not an armored SSH signature")
    blob = base64.b64decode("".join(text.splitlines()[1:-1]), validate=True)
    if blob[:6] != b"SSHSIG" or blob[6:10] != b"\x00\x00\x00\x01":
        raise ValueError("bad SSHSIG header")
    (pub, ns, _reserved, alg, sigblob), rest = _read_strings(blob[10:], 5)
    (kind, sig), rest2 = _read_strings(sigblob, 2)
    if rest or rest2 or kind != b"ssh-ed25519":
        raise ValueError("unsupported SSH signature")
    return pub, ns.decode(), alg.decode(), sig


def sshsig_ok(pub, ns, alg, sig, message):
    if ns != NAMESPACE or alg != "sha512":
        return False
    signed = b"SSHSIG" + _ssh_string(NAMESPACE.encode()) + _ssh_string(b"") + _ssh_string(b"sha512") + \
        _ssh_string(hashlib.sha512(message).digest())
    return ed25519_verify(raw_key(pub), signed, sig)


def allowed_keys(path):
    """{blob: principal} for lines valid for our namespace (a strict subset of OpenSSH's format)."""
    keys = {}
    if not path:
        return keys
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^(\S+)\s+(?:(\S*"[^"]*"\S*|\S+)\s+)?ssh-ed25519\s+([A-Za-z0-9+/=]+)', line)
        if not m:
            continue
        opts = m.group(2) or ""
        ns = re.search(r'namespaces="([^"]*)"', opts)
        if ns and NAMESPACE not in ns.group(1).split(","):
            continue
        keys[base64.b64decode(m.group(3))] = m.group(1).split(",")[0]
    return keys


def revoked_keys(path):
    out = set()
    if path:
        for line in open(path, encoding="utf-8"):
            m = re.match(r"^ssh-ed25519\s+([A-Za-z0-9+/=]+)", line.strip())
            if m:
                out.add(base64.b64decode(m.group(1)))
    return out


# ---- Reading the bundle without extracting it ----
class Source:
    def __init__(self, path):
        self.names, self._zip, self._dir = [], None, None
        if os.path.isdir(path):
            self._read_dir(path)
        else:
            self._read_zip(path)

    def _read_zip(self, path):
        with open(path, "rb") as f:
            if f.read(4) != b"PK\x03\x04":
                raise Fail("E_ZIP_STRUCTURE", "not a ZIP file, or data before the first entry")
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise Fail("E_ZIP_STRUCTURE", str(e))
        if self._zip.comment:
            raise Fail("E_ZIP_STRUCTURE", "the archive has a comment")
        infos = self._zip.infolist()
        if len(infos) > 100000:
            raise Fail("E_TOO_LARGE", "more than 100000 entries")
        for i in infos:
            if i.flag_bits & 1:
                raise Fail("E_ZIP_STRUCTURE", i.filename + " is encrypted")
            if i.compress_type != zipfile.ZIP_STORED:
                raise Fail("E_ZIP_STRUCTURE", i.filename + " is compressed")
        for i in infos:
            if not i.filename.endswith("/"):
                check_name(i.filename)
        for i in infos:
            mode = i.external_attr >> 16
            if i.create_system == 3 and mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise Fail("E_LINK", i.filename + " is not a regular file")
        self.names = [i.filename for i in infos if not i.filename.endswith("/")]
        for i in infos:
            if i.compress_size != i.file_size:
                raise Fail("E_RATIO", i.filename + " lies about its size")

    def _read_dir(self, path):
        if not os.path.exists(os.path.join(path, "bagit.txt")):
            kids = os.listdir(path)
            if len(kids) != 1:
                raise Fail("E_BAD_PATH", "not a bag folder")
            path = os.path.join(path, kids[0])
        self._dir = os.path.dirname(os.path.abspath(path))
        root = os.path.basename(os.path.abspath(path))
        for base, dirs, files in os.walk(path):
            for n in dirs + files:
                full = os.path.join(base, n)
                st = os.lstat(full)
                if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
                    raise Fail("E_LINK", full + " is not a regular file")
                if stat.S_ISREG(st.st_mode):
                    rel = root + "/" + os.path.relpath(full, path).replace(os.sep, "/")
                    check_name(rel)
                    self.names.append(rel)

    def read(self, name):
        if self._zip:
            return self._zip.read(name)
        with open(os.path.join(self._dir, *name.split("/")), "rb") as f:
            return f.read()

    def sha256(self, name):
        h, size = hashlib.sha256(), 0
        f = self._zip.open(name) if self._zip else open(os.path.join(self._dir, *name.split("/")), "rb")
        with f:
            for chunk in iter(lambda: f.read(8 << 20), b""):
                h.update(chunk)
                size += len(chunk)
        return h.hexdigest(), size


def check_name(name):
    if len(name) > 240 or not PATH_RE.match(name):
        raise Fail("E_BAD_PATH", "bad path " + repr(name))
    for seg in name.split("/"):
        if seg in (".", "..") or seg.startswith("-") or seg.endswith(".") or DEVICE_RE.match(seg) or len(seg) > 255:
            raise Fail("E_BAD_PATH", "bad path segment " + repr(seg))


def parse_manifest(text, what):
    if "\r" in text or (text and not text.endswith("\n")):
        raise Fail("E_MANIFEST_FORMAT", what + ": LF line ends only, ending with one")
    out, prev = [], None
    for line in text[:-1].split("\n") if text else []:
        m = LINE_RE.match(line)
        if not m:
            raise Fail("E_MANIFEST_FORMAT", what + ": bad line " + repr(line[:80]))
        path = m.group(2)
        if prev is not None and path.encode() <= prev.encode():
            raise Fail("E_MANIFEST_FORMAT", what + ": not sorted, or a duplicate at " + path)
        prev = path
        out.append((m.group(1), path))
    return out


def strict_json(b, code):
    def no_dupes(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise Fail(code, "duplicate JSON key")
        return dict(pairs)
    try:
        return json.loads(b.decode("utf-8"), object_pairs_hook=no_dupes)
    except ValueError as e:
        raise Fail(code, "bad JSON: %s" % e)


def verify(path, allowed_path=None, revoked_path=None):
    report = {"valid": False, "code": None, "message": None, "digest": None, "fingerprint": None, "principal": None, "trusted": False}
    src = Source(path)
    names = src.names
    if len({n.lower() for n in names}) != len(names):
        raise Fail("E_DUPLICATE", "duplicate or case-colliding names")
    roots = {n.split("/")[0] for n in names}
    if len(roots) != 1:
        raise Fail("E_BAD_PATH", "not exactly one top-level folder")
    root = roots.pop()
    rel = {n[len(root) + 1:]: n for n in names}
    outside = [r for r in rel if not r.startswith("data/")]
    for r in outside:
        if not (r in FIXED_TAGS or r in SIGNATURES or STATEMENT_RE.match(r)):
            raise Fail("E_EXTRA_FILE", "unexpected file outside data/: " + r)

    # Signatures first: nothing else is believed before they check out.
    for r in ("tagmanifest-sha256.txt", "signatures/tagmanifest-sha256.txt.sshsig", "signatures/tagmanifest-sha256.txt.sig", "signatures/provenance.intoto.jsonl"):
        if r not in rel:
            raise Fail("E_SIGNATURE", r + " is missing")
    tm = src.read(rel["tagmanifest-sha256.txt"])
    try:
        pub, ns, alg, sig = parse_sshsig(src.read(rel["signatures/tagmanifest-sha256.txt.sshsig"]).decode("latin1"))
    except ValueError as e:
        raise Fail("E_SIGNATURE", "unreadable SSH signature: %s" % e)
    report["fingerprint"] = fingerprint(pub)
    if pub in revoked_keys(revoked_path):
        raise Fail("E_REVOKED", "the signing key is revoked")
    if not sshsig_ok(pub, ns, alg, sig, tm):
        raise Fail("E_SIGNATURE", "bad SSH signature (namespace %s, hash %s)" % (ns, alg))
    if not ed25519_verify(raw_key(pub), tm, src.read(rel["signatures/tagmanifest-sha256.txt.sig"])):
        raise Fail("E_SIGNATURE", "bad raw Ed25519 signature")
    trusted = allowed_keys(allowed_path)
    report["trusted"] = pub in trusted
    report["principal"] = trusted.get(pub)
    report["digest"] = "rb1:sha256:" + hashlib.sha256(tm).hexdigest()

    tags = parse_manifest(tm.decode("latin1"), "tagmanifest-sha256.txt")
    expected = sorted(r for r in outside if r != "tagmanifest-sha256.txt" and not r.startswith("signatures/"))
    if sorted(p for _, p in tags) != expected:
        raise Fail("E_MANIFEST_FORMAT", "the tag manifest does not list exactly the tag files")
    for digest, p in tags:
        if hashlib.sha256(src.read(rel[p])).hexdigest() != digest:
            raise Fail("E_TAG_DIGEST", p + " does not match the tag manifest")

    manifest = parse_manifest(src.read(rel["manifest-sha256.txt"]).decode("latin1"), "manifest-sha256.txt")
    listed = {p for _, p in manifest}
    for p in listed:
        if p not in rel:
            raise Fail("E_MISSING_FILE", p + " is missing")
    for r in rel:
        if r.startswith("data/") and r not in listed:
            raise Fail("E_EXTRA_FILE", r + " is not in the manifest")
    total = 0
    for digest, p in manifest:
        got, size = src.sha256(rel[p])
        total += size
        if got != digest:
            raise Fail("E_PAYLOAD_DIGEST", p + " does not match its SHA-256")
    info = dict(l.split(": ", 1) for l in src.read(rel["bag-info.txt"]).decode("utf-8").splitlines() if ": " in l)
    if info.get("Payload-Oxum") != "%d.%d" % (total, len(manifest)):
        raise Fail("E_OXUM", "Payload-Oxum does not match the payload")

    statements = sorted(r for r in outside if STATEMENT_RE.match(r))
    envelopes = [l for l in src.read(rel["signatures/provenance.intoto.jsonl"]).decode("utf-8").split("\n") if l]
    if len(envelopes) != len(statements):
        raise Fail("E_STATEMENT", "one DSSE envelope per Statement expected")
    for sp, line in zip(statements, envelopes):
        env = strict_json(line.encode(), "E_STATEMENT")
        t = env.get("payloadType")
        if t != "application/vnd.in-toto+json":
            raise Fail("E_STATEMENT", "unknown payloadType %r" % t)
        body = base64.b64decode(env.get("payload", ""))
        if body != src.read(rel[sp]):
            raise Fail("E_STATEMENT", "DSSE payload differs from " + sp)
        pae = b"DSSEv1 %d %s %d " % (len(t), t.encode(), len(body)) + body
        if not any(ed25519_verify(raw_key(pub), pae, base64.b64decode(s.get("sig", ""))) for s in env.get("signatures", [])):
            raise Fail("E_STATEMENT", "no valid DSSE signature on " + sp)
        st = strict_json(body, "E_STATEMENT")
        if st.get("_type") != "https://in-toto.io/Statement/v1" or st.get("predicateType") != "https://slsa.dev/provenance/v1":
            raise Fail("E_STATEMENT", sp + ": unsupported Statement or predicate type")
        base = sp[len("provenance/"):-len(".statement.json")]
        prefix = "data/" if len(statements) == 1 and base == root else "data/runs/" + base + "/"
        want = sorted("%s  %s" % (d, p) for d, p in manifest if prefix == "data/" or p.startswith(prefix) or not p.startswith("data/runs/"))
        got = sorted("%s  %s" % (s["digest"]["sha256"], s["name"]) for s in st.get("subject", []))
        if want != got:
            raise Fail("E_STATEMENT", sp + ": subjects differ from the manifest")
    report["valid"] = True
    return report


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="Verify a Runledger run bundle (stdlib only).")
    ap.add_argument("bundle")
    ap.add_argument("--allowed-signers")
    ap.add_argument("--revoked-keys")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        r = verify(a.bundle, a.allowed_signers, a.revoked_keys)
    except Fail as e:
        r = {"valid": False, "code": e.code, "message": str(e)}
    if a.json:
        print(json.dumps(r, indent=2))
    elif r["valid"]:
        who = ("by %s (%s), TRUSTED" % (r["principal"], r["fingerprint"])) if r["trusted"] else ("by key %s, NOT in allowed_signers" % r["fingerprint"])
        print("VALID %s\nbundle digest %s" % (who, r["digest"]))
    else:
        print("INVALID %s: %s" % (r["code"], r["message"]))
    return 1 if not r["valid"] else (0 if r["trusted"] else 3)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
