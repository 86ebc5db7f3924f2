// VERIFY.txt: the auditor commands, inside the bundle for convenience. It is attacker-controlled
// until verified, so it points at the published guide (docs/auditing.md) as the authority.
export function verifyText(root: string, digestNote: string): string {
  return `How to verify this Runledger run bundle without Runledger
=========================================================

Do not trust this file or anything else in the bundle until the checks below pass; use the
auditor guide published with Runledger (docs/auditing.md), and the lab's allowed_signers file,
obtained out of band.

  unzip -q ${root}.runbundle -d work && cd work/${root}
  [ -z "$(find . ! -type f ! -type d)" ] || echo "FAIL symlink/special"
  ssh-keygen -Y find-principals -f allowed_signers -s signatures/tagmanifest-sha256.txt.sshsig
  ssh-keygen -Y verify -f allowed_signers -I <principal> -n runledger-bundle-v1 \\
      -s signatures/tagmanifest-sha256.txt.sshsig < tagmanifest-sha256.txt
  openssl pkeyutl -verify -pubin -inkey <principal>.pem -rawin \\
      -in tagmanifest-sha256.txt -sigfile signatures/tagmanifest-sha256.txt.sig
  sha256sum --strict -c tagmanifest-sha256.txt
  sha256sum --strict -c manifest-sha256.txt
  diff <(find data -type f | LC_ALL=C sort) <(sed -E 's/^[0-9a-f]{64}  //' manifest-sha256.txt | LC_ALL=C sort)
  sha256sum tagmanifest-sha256.txt      # the bundle digest: ${digestNote}
`;
}
