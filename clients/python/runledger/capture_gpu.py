"""The hardware context of a run: torch / CUDA / cuDNN versions and the GPUs torch sees (when torch is
importable), and `nvidia-smi --query-gpu` output (when nvidia-smi is on PATH), sent as raw text for
the server's parser (native/provenance/nvidia-smi.ts) so one parser serves every client."""
import importlib.util
import shutil
import subprocess
import sys

SMI_FIELDS = ["index", "name", "memory.total", "driver_version", "uuid", "pci.bus_id"]


def torch_info(import_if_missing=True):
    """Versions and devices from torch, or None without torch. Importing torch takes seconds, so it is
    only imported here when the script has not already done so and `import_if_missing` says so."""
    torch = sys.modules.get("torch")
    if torch is None:
        if not import_if_missing or importlib.util.find_spec("torch") is None:
            return None
        try:
            import torch  # noqa: F811
        except Exception:  # noqa: BLE001 - a broken torch install must not stop the run
            return None
    info = {"torch": getattr(torch, "__version__", None)}
    version = getattr(torch, "version", None)
    info["cuda"] = getattr(version, "cuda", None)
    try:
        cudnn = torch.backends.cudnn.version()
        info["cudnn"] = str(cudnn) if cudnn else None
    except Exception:  # noqa: BLE001
        info["cudnn"] = None
    gpus = []
    try:
        if torch.cuda.is_available():
            for i in range(torch.cuda.device_count()):
                props = torch.cuda.get_device_properties(i)
                gpus.append({
                    "index": i,
                    "name": props.name,
                    "memory_total_mib": int(props.total_memory // (1024 * 1024)),
                    "compute_capability": "%d.%d" % (props.major, props.minor),
                })
    except Exception:  # noqa: BLE001
        pass
    info["gpus"] = gpus
    return info


def nvidia_smi(timeout=10.0):
    """{"text": CSV with header, "fields": [...]} from nvidia-smi, or None when it is absent or fails."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "--query-gpu=" + ",".join(SMI_FIELDS), "--format=csv"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=timeout, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return {"text": out.stdout.decode("utf-8", "replace"), "fields": SMI_FIELDS}
