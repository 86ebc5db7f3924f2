"""Assembles what is captured at run start, each part switchable off:

    start_run(..., capture={"packages": False, "git_diff": False})   or   capture=False
    RUNLEDGER_CAPTURE_DISABLE=packages,git_diff                        (environment, wins over code)
"""
import os
import time

from . import capture_env, capture_git, capture_gpu

PARTS = ("git", "git_diff", "packages", "system", "command", "env_vars", "torch", "nvidia_smi")


def switches(capture, env=None):
    env = os.environ if env is None else env
    if capture is True or capture is None:
        on = {p: True for p in PARTS}
    elif capture is False:
        on = {p: False for p in PARTS}
    elif isinstance(capture, dict):
        unknown = set(capture) - set(PARTS)
        if unknown:
            raise ValueError("unknown capture part(s) %s; known: %s" % (sorted(unknown), ", ".join(PARTS)))
        on = {p: bool(capture.get(p, True)) for p in PARTS}
    else:
        raise TypeError("capture must be True, False or a dict of part -> bool")
    for part in env.get("RUNLEDGER_CAPTURE_DISABLE", "").replace(" ", "").split(","):
        if part in on:
            on[part] = False
    if not on["git"]:
        on["git_diff"] = False
    return on


def collect(on, params, extra_env_vars=(), diff_cap=capture_git.DEFAULT_DIFF_CAP):
    """Returns (environment, code, diff_bytes): the log-provenance body parts, and the diff to upload."""
    started = time.monotonic()
    env = {}
    if on["system"]:
        env.update(capture_env.system_info())
    if on["packages"]:
        env["packages"] = capture_env.packages_text()
    if on["command"]:
        env["command"] = capture_env.command_line()
    if on["env_vars"]:
        env["env_vars"] = capture_env.selected_env_vars(extra=extra_env_vars)
    if on["torch"]:
        info = capture_gpu.torch_info()
        if info:
            env.update({k: v for k, v in info.items() if v is not None})
    if on["nvidia_smi"]:
        smi = capture_gpu.nvidia_smi()
        if smi:
            env["nvidia_smi"] = smi
    env.update(capture_env.config_hints(params))
    code, diff = None, None
    if on["git"]:
        info = capture_git.git_info(with_diff=on["git_diff"], diff_cap=diff_cap)
        if info:
            diff = info.pop("diff", None)
            code = info
    if env:
        env["extra"] = {"capture_seconds": round(time.monotonic() - started, 3)}
    return env, code, diff
