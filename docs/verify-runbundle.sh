#!/usr/bin/env bash
# Auditor's check of a Runledger run bundle with stock tools only: unzip, ssh-keygen (OpenSSH >= 8.1),
# sha256sum, find, diff. Usage: verify-runbundle.sh BUNDLE.runbundle ALLOWED_SIGNERS PRINCIPAL [REVOKED_KEYS]
# Prints "ALL OK" and the bundle digest, or the first failing step; exit 0 only when every step passes.
# See docs/auditing.md for what each step means and what a signature does and does not prove.
set -u
B=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); A=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); P=$3; R=${4:-}
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
unzip -q "$B" -d "$W" || { echo "FAIL unzip"; exit 1; }
set -- "$W"/run-*; [ $# -eq 1 ] && [ -d "$1" ] || { echo "FAIL not exactly one run-* folder"; exit 1; }
cd "$1" || exit 1
# 0: unzip creates symlinks; a bundle has regular files only
[ -z "$(find "$W" ! -type f ! -type d)" ] || { echo "FAIL symlink/special file"; exit 1; }
# 1: the signature over the tag manifest, by a key in the lab's allowed_signers, for our namespace
ssh-keygen -Y verify -f "$A" -I "$P" -n runledger-bundle-v1 ${R:+-r "$R"} \
  -s signatures/tagmanifest-sha256.txt.sshsig < tagmanifest-sha256.txt || { echo "FAIL signature"; exit 1; }
# 2: manifest lines are exactly "<64 hex>  <safe path>"
if grep -Ev '^[0-9a-f]{64}  [A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$' tagmanifest-sha256.txt manifest-sha256.txt; then echo "FAIL manifest format"; exit 1; fi
# 3, 4: every tag file and payload file has the digest its manifest says
sha256sum --strict --quiet -c tagmanifest-sha256.txt || { echo "FAIL tag manifest digests"; exit 1; }
sha256sum --strict --quiet -c manifest-sha256.txt || { echo "FAIL payload digests"; exit 1; }
# 5: nothing extra or missing in data/ (sha256sum -c alone does not see extra files)
diff <(find data -type f | LC_ALL=C sort) <(sed -E 's/^[0-9a-f]{64}  //' manifest-sha256.txt | LC_ALL=C sort) || { echo "FAIL payload completeness"; exit 1; }
# 6: outside data/, only the tag files the tag manifest covers, itself, and the known signature files
diff <(find . -path ./data -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort) \
     <( (sed -E 's/^[0-9a-f]{64}  //' tagmanifest-sha256.txt; echo tagmanifest-sha256.txt
         ls signatures | sed 's|^|signatures/|' \
           | grep -Ex 'signatures/(provenance\.intoto\.jsonl|signer\.pub|signer\.pub\.pem|tagmanifest-sha256\.txt\.(sig|sshsig))'
       ) | LC_ALL=C sort ) || { echo "FAIL unexpected files outside data/"; exit 1; }
echo "ALL OK"
echo "bundle digest rb1:sha256:$(sha256sum tagmanifest-sha256.txt | cut -d' ' -f1)"
