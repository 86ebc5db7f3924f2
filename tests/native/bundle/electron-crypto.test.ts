// BUNDLE.md §7.1 item 8: Electron ships BoringSSL, not OpenSSL. The primitives native/keys and
// native/bundle use (Ed25519 from a PKCS#8 seed, JWK export, scrypt with a raised maxmem,
// AES-256-GCM with associated data, SHA-512) must work under ELECTRON_RUN_AS_NODE=1 too. Skipped with
// the reason printed where Electron's runtime is not installed (this project's CI cannot fetch it).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { detectElectronRuntime } from '../../../scripts/electron-runtime.mjs';

const SCRIPT = `
const c = require('node:crypto');
const seed = c.randomBytes(32);
const priv = c.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
const pub = c.createPublicKey(priv);
const x = Buffer.from(pub.export({ format: 'jwk' }).x, 'base64url');
const again = c.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') }, format: 'jwk' });
const msg = Buffer.from('0'.repeat(64) + '  bagit.txt\\n');
const sig = c.sign(null, msg, priv);
if (!c.verify(null, msg, again, sig) || c.verify(null, Buffer.from('x'), again, sig)) throw new Error('ed25519');
const key = c.scryptSync('pw', c.randomBytes(16), 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 2 ** 17 * 8 + 2 ** 20 });
const iv = c.randomBytes(12);
const e = c.createCipheriv('aes-256-gcm', key, iv); e.setAAD(x);
const ct = Buffer.concat([e.update(seed), e.final()]);
const d = c.createDecipheriv('aes-256-gcm', key, iv); d.setAAD(x); d.setAuthTag(e.getAuthTag());
if (!Buffer.concat([d.update(ct), d.final()]).equals(seed)) throw new Error('gcm');
c.createHash('sha512').update(msg).digest();
console.log('CRYPTO OK');
`;

describe('crypto under Electron (BoringSSL)', () => {
  const runtime = detectElectronRuntime({ env: { ...process.env, DISPLAY: process.env.DISPLAY ?? 'not-needed-for-run-as-node' } });
  const binary = runtime.available ? runtime.binary : null;
  if (!runtime.available) console.warn(`skipping the Electron crypto test: ${runtime.reason}`);
  it.skipIf(!binary)('Ed25519, scrypt and AES-256-GCM work under ELECTRON_RUN_AS_NODE=1', () => {
    const r = spawnSync(binary!, ['-e', SCRIPT], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('CRYPTO OK');
  });
});
