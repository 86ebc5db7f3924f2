// The signed top of a bag: the tag manifest over the tag files, then the three signatures from one
// key over it (BUNDLE.md §4.2): SSHSIG (`ssh-keygen -Y verify`), raw Ed25519 (`openssl pkeyutl
// -rawin`), and a DSSE envelope per Statement (in-toto tooling), plus the public key as a hint.
import { identityOf, sshsigSign, type Signer } from '../keys';
import { SSH_NAMESPACE } from './bundle-constants';
import { formatManifest } from './manifest';
import { type BagFile, bufferFile } from './payload-file';
import { dsseEnvelope } from './statement';

/** Tag manifest + signature files for the given tag files (statements among them, in path order). */
export function signTagFiles(tagFiles: readonly BagFile[], signer: Signer): BagFile[] {
  const tagmanifest = Buffer.from(formatManifest(tagFiles.map((f) => ({ sha256: f.sha256, path: f.path }))));
  const statements = tagFiles.filter((f) => f.path.startsWith('provenance/')).sort((a, b) => (a.path < b.path ? -1 : 1));
  const envelopes = statements.map((s) => {
    if (!('data' in s.source)) throw new Error('statements are built in memory');
    return `${JSON.stringify(dsseEnvelope(signer, s.source.data))}\n`;
  });
  const id = identityOf(signer.publicKeyBlob, signer.principal, SSH_NAMESPACE);
  return [
    bufferFile('tagmanifest-sha256.txt', tagmanifest),
    bufferFile('signatures/provenance.intoto.jsonl', envelopes.join('')),
    bufferFile('signatures/signer.pub', `${id.openssh}\n`),
    bufferFile('signatures/signer.pub.pem', id.pem),
    bufferFile('signatures/tagmanifest-sha256.txt.sig', signer.sign(tagmanifest)),
    bufferFile('signatures/tagmanifest-sha256.txt.sshsig', sshsigSign(signer, SSH_NAMESPACE, tagmanifest)),
  ];
}
