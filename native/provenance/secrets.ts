// What must never be stored as provenance: environment variables that look like secrets, passwords
// in git remote URLs, and secret-looking command-line options. The Python client filters the same
// way before sending; the server filters again, because an older or hand-written client might not.

/** The list (TOKEN, KEY, SECRET, PASSWORD, CREDENTIAL) plus PASSWD, matched anywhere in the name. */
export const SECRET_NAME = /TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `https://user:ghp_x@host/repo.git` → `https://host/repo.git`; scp-style `git@host:repo` is kept (no secret). */
export function stripUrlCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}

/** `--api-key X`, `--token=X`, `PASSWORD=X` in argv → the value replaced by `***`. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (eq > 0 && isSecretName(name)) out.push(`${name}=***`);
    else if (/^--?[A-Za-z]/.test(a) && eq < 0 && isSecretName(a) && i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
      out.push(a, '***');
      i++;
    } else out.push(a);
  }
  return out;
}
