"""The code state of a run: git commit, branch, remote, dirty flag and the uncommitted diff (the diff
is stored as an artifact, capped in size). Read with `git` itself; a machine without git, or a script
outside a repository, simply has no code section."""
import os
import re
import subprocess
import sys

DEFAULT_DIFF_CAP = 5 * 1024 * 1024


def _git(args, cwd, timeout=10.0):
    env = dict(os.environ)
    env["GIT_OPTIONAL_LOCKS"] = "0"  # `git status` must not take the index lock of the user's repository
    env["LC_ALL"] = "C"
    try:
        out = subprocess.run(["git"] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=timeout, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


def script_dir():
    """The repository a run belongs to is the script's, not necessarily the working directory's."""
    main = sys.argv[0] if sys.argv else ""
    if main and os.path.isfile(main):
        return os.path.dirname(os.path.abspath(main))
    return os.getcwd()


def strip_credentials(url):
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@", r"\1", url)


def git_info(cwd=None, with_diff=True, diff_cap=DEFAULT_DIFF_CAP):
    """{"commit", "branch", "remote", "dirty", "untracked"} plus "diff" (bytes) and "diff_truncated"; None outside a repository."""
    cwd = cwd or script_dir()
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top is None:
        return None
    top = top.decode("utf-8", "replace").strip()
    commit = _git(["rev-parse", "--verify", "-q", "HEAD"], top)
    commit = commit.decode().strip() if commit else None
    branch = _git(["rev-parse", "--abbrev-ref", "HEAD"], top)
    branch = branch.decode().strip() if branch else None
    remote = _git(["config", "--get", "remote.origin.url"], top)
    if not remote:
        names = (_git(["remote"], top) or b"").decode().split()
        remote = _git(["config", "--get", "remote.%s.url" % names[0]], top) if names else None
    status = (_git(["status", "--porcelain=v1", "-z", "--untracked-files=normal"], top) or b"").decode("utf-8", "replace")
    tracked, untracked = [], []
    entries = iter(status.split("\0"))
    for entry in entries:
        if not entry:
            continue
        code, name = entry[:2], entry[3:]
        if code == "??":
            untracked.append(name)
        else:
            tracked.append(name)
            if code[0] in "RC":  # renames and copies carry the old name in the next field
                next(entries, None)
    info = {
        "commit": commit,
        "branch": None if branch in (None, "HEAD") else branch,
        "remote": strip_credentials(remote.decode().strip()) if remote else None,
        # Untracked files (outputs, checkpoints) do not make the code dirty; they are listed.
        "dirty": bool(tracked),
        "untracked": untracked[:1000],
    }
    if with_diff and tracked and commit:
        diff = _git(["diff", "HEAD", "--binary", "--no-color", "--no-ext-diff"], top, timeout=30.0) or b""
        info["diff_truncated"] = len(diff) > diff_cap
        info["diff"] = diff[:diff_cap]
    return info
