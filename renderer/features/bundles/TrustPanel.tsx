// Trust management: the keys in this data dir's allowed_signers, add (an allowed_signers line or an
// OpenSSH public key with a principal), revoke. Every change is audited by the core.
import { useState } from 'react';
import type { ApiClient } from '../../api/api-client';
import { useAsync } from '../../app/use-async';

export function TrustPanel({ client }: { client: ApiClient }) {
  const [token, setToken] = useState(0);
  const [text, setText] = useState('');
  const [principal, setPrincipal] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const keys = useAsync((signal) => client.call('trust.list', {}, { signal }), [client, token]);
  const own = useAsync((signal) => client.call('keys.show', {}, { signal }), [client]);

  const act = async (fn: () => Promise<unknown>, done: string): Promise<void> => {
    setMessage(null);
    try {
      await fn();
      setMessage(done);
      setToken((n) => n + 1);
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  return (
    <section className="bundle-trust-store" aria-label="Trusted keys">
      <h3>Trusted keys</h3>
      {own.status === 'ready' && (
        <p className="muted">
          {own.value ? (
            <>
              Your key: <code>{own.value.fingerprint}</code> ({own.value.principal})
            </>
          ) : (
            'No signing key yet: create one with `runledger keys init`.'
          )}
        </p>
      )}
      {keys.status === 'error' && <p className="error">{keys.error.message}</p>}
      {keys.status === 'ready' && (
        <table>
          <thead>
            <tr>
              <th>Fingerprint</th>
              <th>Principals</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.value.map((k) => (
              <tr key={k.line}>
                <td>
                  <code>{k.fingerprint}</code>
                </td>
                <td>{k.principals.join(', ')}</td>
                <td>{k.revoked ? 'revoked' : k.own ? 'trusted (your key)' : 'trusted'}</td>
                <td>
                  {!k.revoked && !k.own && (
                    <button type="button" onClick={() => window.confirm(`Revoke ${k.fingerprint}? Bundles signed by it will be refused.`) && void act(() => client.call('trust.revoke', { fingerprint: k.fingerprint }), `Revoked ${k.fingerprint}`)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="bundle-trust-add"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => client.call('trust.add', { text, principal: principal.trim() || undefined }), 'Added.');
        }}
      >
        <textarea aria-label="Key to trust" placeholder='alice@lab.example namespaces="runledger-bundle-v1" ssh-ed25519 AAAA…' value={text} onChange={(e) => setText(e.target.value)} />
        <input aria-label="Principal for a bare public key" placeholder="principal (for a bare .pub line)" value={principal} onChange={(e) => setPrincipal(e.target.value)} />
        <button type="submit" disabled={!text.trim()}>
          Trust
        </button>
      </form>
      {message && <p className="muted">{message}</p>}
    </section>
  );
}
