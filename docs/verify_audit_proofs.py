#!/usr/bin/env python3
"""Reference check of a run bundle's audit-log proofs (data/audit/), standard library only.

    python3 verify_audit_proofs.py path/to/run-xxxx/data/audit

Checks that every event in events.jsonl is included, at its own sequence number, in the Merkle tree
(RFC 6962) whose root checkpoint.txt states, through its <seq>.tlog-proof; and that consistency.json
proves this checkpoint extends the previous export's. It does not check the checkpoint's signature:
do that with openssl (BUNDLE.md section 5.4 / docs/auditing.md) against the signer's .pem.
Exit 0 when every proof holds, 1 otherwise.
"""
import base64
import hashlib
import json
import pathlib
import sys


def sha(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def leaf(data):
    return sha(b"\x00", data)


def node(left, right):
    return sha(b"\x01", left, right)


def walk(fn, sn, proof, left, right):
    # RFC 9162 2.1.3.2 / 2.1.4.2: each proof hash sits left or right of the running hash.
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            left(p)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            right(p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0


def verify_inclusion(index, size, leaf_hash, proof, root):
    if not 0 <= index < size:
        return False
    r = [leaf_hash]
    ok = walk(index, size - 1, proof, lambda p: r.__setitem__(0, node(p, r[0])), lambda p: r.__setitem__(0, node(r[0], p)))
    return ok and r[0] == root


def verify_consistency(size1, size2, proof, root1, root2):
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof
    if size1 > size2 or not proof:
        return False
    path = ([root1] if size1 & (size1 - 1) == 0 else []) + list(proof)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr, sr = [path[0]], [path[0]]

    def left(c):
        fr[0], sr[0] = node(c, fr[0]), node(c, sr[0])

    ok = walk(fn, sn, path[1:], left, lambda c: sr.__setitem__(0, node(sr[0], c)))
    return ok and fr[0] == root1 and sr[0] == root2


def main(folder):
    d = pathlib.Path(folder)
    origin, size, root = d.joinpath("checkpoint.txt").read_text("utf-8").split("\n")[:3]
    size, root = int(size), base64.b64decode(root)
    failures = 0
    for line in d.joinpath("events.jsonl").read_text("utf-8").splitlines():
        seq = json.loads(line)["seq"]
        lines = d.joinpath(f"{seq}.tlog-proof").read_text("utf-8").split("\n")
        index = int(lines[1].split(" ")[1])
        proof = [base64.b64decode(x) for x in lines[2 : lines.index("", 2)]]
        ok = index == seq and verify_inclusion(seq, size, leaf(line.encode("utf-8")), proof, root)
        failures += not ok
        print(f"{'OK  ' if ok else 'FAIL'} event {seq} included in {origin} at size {size}")
    c = json.loads(d.joinpath("consistency.json").read_text("utf-8"))
    if c["from"] is not None:
        f = c["from"]
        ok = verify_consistency(f["tree_size"], size, [base64.b64decode(x) for x in c["proof"]], base64.b64decode(f["root_hash"]), root)
        failures += not ok
        print(f"{'OK  ' if ok else 'FAIL'} size {size} extends the previous export's checkpoint at size {f['tree_size']}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
