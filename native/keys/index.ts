// native/keys: the workstation's Ed25519 signing key and the trust store. Self-contained (node:crypto
// and node:fs only; nothing from the store or the server), so the bundle writer (native/bundle) and
// the audit log (native/audit, issue #7) can both sign with it.
//
//   initKey(dataDir, { principal, passphrase | null })  creates <data>/keys/signing-key.json (0600):
//       the Ed25519 seed under scrypt (N=2^17,r=8,p=1, recorded in the file) + AES-256-GCM.
//   loadSigner(dataDir, passphrase) → Signer { fingerprint, principal, publicKey, publicKeyBlob, sign(bytes) }
//       KeyError codes: NO_KEY, PASSPHRASE_REQUIRED, BAD_PASSPHRASE, BAD_KEY_FILE.
//   readKeyFile(dataDir)  public parts without unlocking; identityOf(blob, principal, ns) the identity card.
//   fingerprint: `SHA256:…` exactly as `ssh-keygen -lf` prints it (fingerprintOfBlob).
//   sshsigSign / parseSshsig / sshsigVerify   OpenSSH SSHSIG (`ssh-keygen -Y sign|verify`).
//   TrustStore(dataDir)   <data>/trust/allowed_signers + revoked_keys: decide(blob, ns), add, revoke.
//
// Domain separation: sign only bytes you built, with a prefix no other use shares (see Signer.sign).
export { initKey, readKeyFile, hasKey, keyFilePath, unlockSeed, KeyError, DEFAULT_SCRYPT, defaultPrincipal, principalProblem, type KeyFile, type ScryptParams } from './key-file';
export { loadSigner, signerFromPrivateKey, verifyEd25519, identityOf, type Signer } from './signer';
export { sshsigSign, parseSshsig, sshsigVerify, type SshsigParsed } from './sshsig';
export { TrustStore, TrustError, parseAllowedSignersLine, allowedSignersLine, type TrustEntry, type TrustDecision, type TrustState } from './trust-store';
export { fingerprintOfBlob, publicKeyBlob, publicKeyFromBlob, rawPublicKey, openSshLine, parseOpenSshLine, spkiPem } from './ssh-wire';
