"""The software context of a run: Python, platform, host, CPU, installed packages (importlib.metadata,
no subprocess), the command line and selected environment variables. Anything that looks like a
secret (TOKEN, KEY, SECRET, PASSWORD, CREDENTIAL in the name) is never captured."""
import os
import platform
import re
import socket
import sys

SECRET_NAME = re.compile(r"TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL", re.IGNORECASE)

# Variables that change what a training job does or where it runs.
ENV_PREFIXES = (
    "CUDA_", "NVIDIA_", "NCCL_", "CUBLAS_", "CUDNN_", "TORCH_", "PYTORCH_", "OMP_", "MKL_", "OPENBLAS_",
    "TF_", "XLA_", "JAX_", "HF_", "TRANSFORMERS_", "TOKENIZERS_", "SLURM_", "PBS_", "LSB_", "ACCELERATE_",
)
ENV_NAMES = ("RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT", "PYTHONHASHSEED", "CUBLAS_WORKSPACE_CONFIG")


def is_secret_name(name):
    return bool(SECRET_NAME.search(name))


def selected_env_vars(env=None, extra=()):
    """The run-relevant variables, minus secret-looking ones (even when asked for by name)."""
    env = os.environ if env is None else env
    wanted = set(ENV_NAMES) | set(extra)
    out = {}
    for name, value in env.items():
        if (name in wanted or name.startswith(ENV_PREFIXES)) and not is_secret_name(name):
            out[name] = value[:4096]
    return dict(sorted(out.items()))


def redact_argv(argv):
    """`--api-key X` and `--token=X` keep the option name and lose the value."""
    out = []
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            out.append("***")
            skip = False
            continue
        name, eq, _ = arg.partition("=")
        if eq and is_secret_name(name):
            out.append(name + "=***")
        elif arg.startswith("-") and is_secret_name(arg) and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            out.append(arg)
            skip = True
        else:
            out.append(arg)
    return out


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def packages_text():
    """Installed distributions as `pip freeze` would list them (name==version), sorted."""
    try:
        from importlib import metadata
    except ImportError:  # pragma: no cover - Python < 3.8
        return None
    seen = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"] if dist.metadata else None
        if name and _norm(name) not in seen:
            seen[_norm(name)] = "%s==%s" % (name, dist.version)
    return "".join(line + "\n" for _, line in sorted(seen.items()))


def cpu_model():
    try:
        with open("/proc/cpuinfo", "r", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or None


def system_info():
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "hostname": socket.gethostname(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
    }


def command_line():
    return redact_argv([os.path.basename(sys.executable) or "python"] + list(sys.argv))


_WORKER_KEYS = ("num_workers", "workers", "dataloader_workers", "n_workers", "dataloader_num_workers")
_PRECISION_KEYS = ("mixed_precision", "precision", "amp", "use_amp", "fp16", "bf16", "autocast")


def config_hints(params):
    """Data-loader workers and mixed precision, when the (flattened) config names them."""
    hints = {}
    for key, value in params.items():
        leaf = key.rsplit(".", 1)[-1].lower()
        if leaf in _WORKER_KEYS and "workers" not in hints and re.match(r"^\d+$", str(value)):
            hints["workers"] = int(value)
        elif leaf in _PRECISION_KEYS and "mixed_precision" not in hints:
            text = str(value)
            if leaf in ("fp16", "bf16") and text.lower() in ("true", "1"):
                text = leaf
            hints["mixed_precision"] = text
    return hints
