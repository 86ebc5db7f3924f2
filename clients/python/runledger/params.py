"""Turning configs into params safely: numpy scalars, 0-d tensors, Path, Enum and dataclasses become
readable strings; nested dicts are flattened with dots; lists are JSON-encoded. Nothing is truncated:
a value over the server's limit (1 MiB; MLflow would silently cut it at 6000 characters) is an error
that names the key."""
import dataclasses
import enum
import json
import math
import pathlib
import posixpath
import re

MAX_VALUE_BYTES = 1024 * 1024
MAX_KEY_LENGTH = 250
# MLflow's rule: letters, digits, underscore, dash, period, space, colon, slash (Unicode-aware \w).
_KEY_RE = re.compile(r"^[/\w.\- :]*$")


def validate_key(key, kind="metric"):
    """Raises ValueError unless `key` is a name the server accepts (checked here, before it is queued)."""
    if not isinstance(key, str) or key == "":
        raise ValueError("%s name must be a non-empty string, got %r" % (kind, key))
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError("%s name %r is longer than %d characters" % (kind, key[:40] + "...", MAX_KEY_LENGTH))
    if not _KEY_RE.match(key):
        raise ValueError("%s name %r may only contain letters, digits, _ - . space : and /" % (kind, key))
    norm = posixpath.normpath(key)
    if norm != key or norm == "." or norm.startswith("..") or norm.startswith("/"):
        raise ValueError("%s name %r must be a normalized relative path (no '..', leading '/', '//' or trailing '/')" % (kind, key))
    return key


def scalar(value):
    """numpy scalars and 0-d arrays/tensors → the Python number they hold; anything else unchanged."""
    item = getattr(value, "item", None)
    if item is not None and callable(item) and not isinstance(value, (str, bytes, int, float)):
        shape = getattr(value, "shape", ())
        if shape == () and getattr(value, "ndim", 0) == 0:
            try:
                return item()
            except (TypeError, ValueError):
                return value
    return value


def _jsonable(value):
    value = scalar(value)
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    if isinstance(value, pathlib.PurePath):
        return value.as_posix()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v) for v in value), key=repr)
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def param_value(value):
    """One leaf value as the string MLflow would store (str() for scalars, JSON for lists)."""
    value = scalar(value)
    if isinstance(value, enum.Enum):
        inner = value.value
        return param_value(inner) if isinstance(inner, (str, int, float, bool)) else value.name
    if isinstance(value, pathlib.PurePath):
        return value.as_posix()
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple, set, frozenset, dict)) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        return json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=isinstance(value, dict))
    return str(value)


def _as_mapping(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return value
    if hasattr(value, "_get_kwargs") and hasattr(value, "__dict__"):  # argparse.Namespace
        return vars(value)
    return None


def flatten_params(config, prefix=""):
    """{"opt": {"lr": 1e-3}, "layers": [64, 64]} → {"opt.lr": "0.001", "layers": "[64, 64]"}."""
    out = {}
    mapping = _as_mapping(config)
    if mapping is None:
        raise TypeError("config must be a dict, a dataclass or an argparse.Namespace, got %s" % type(config).__name__)
    for k, v in mapping.items():
        key = "%s%s" % (prefix, k)
        inner = _as_mapping(v)
        if inner is not None and inner:
            out.update(flatten_params(inner, key + "."))
            continue
        out[key] = checked_value(key, v, "param")
    return out


def checked_value(key, value, kind):
    """The value as a string, after checking the key and the server's size limit."""
    validate_key(key, kind)
    text = param_value(value)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_VALUE_BYTES:
        raise ValueError(
            "%s %r is %d bytes; the server stores values up to %d bytes (1 MiB) whole and refuses "
            "larger ones rather than truncating them (log it as an artifact instead)" % (kind, key, size, MAX_VALUE_BYTES)
        )
    return text
