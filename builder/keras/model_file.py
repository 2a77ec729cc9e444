"""A saved Keras model's config, read as plain JSON before Keras sees the file, and bounded before anything in it
is believed (builder/keras/importer.py then loads the model with Keras):

  - only a regular file is opened (builder/files/safe_read.py: /dev/zero, a FIFO or a folder are refused at once);
  - a .keras archive's member count and sizes come from its directory before anything is extracted, and its
    config.json is read with a cap whatever its header says;
  - the text must be UTF-8 JSON (builder/files/json_reading.py: bounded values, integers and nesting) of a whole
    model, not of a layer or an optimizer; NaN or infinity is refused naming the layer that holds it;
  - with a limit, the weights the config would allocate are counted (builder/keras/weight_limit.py) and a model over
    it is refused with the layer that asks for the most.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

from builder.files.json_reading import load_json
from builder.files.safe_read import UnreadableFile, open_regular, read_at_most
from builder.keras.config_layers import MODEL_CLASSES, layers_of
from builder.keras.weight_limit import DEFAULT_MAX_WEIGHT_BYTES, WeightLimitExceeded, check_weights
from builder.quoting import quote

MAX_CONFIG_BYTES = 64 * 1024 * 1024  # config.json, a to_json() file, an .h5 file's model_config
MAX_MEMBERS = 10_000  # a .keras archive holds three files; a model's assets add a few
MAX_CONFIG_DEPTH = 100  # a config nests about 10 levels per inner model; RecursionError comes near 1,000


class ImportRefused(ValueError):
    """The model cannot be imported; the message names the layer and says why."""


# ---- reading the config without Keras --------------------------------------------------------------------------

def read_config(path, max_weight_bytes: int | None = DEFAULT_MAX_WEIGHT_BYTES) -> dict:
    """The model's config as plain JSON, from a .keras archive, a legacy .h5 file or a to_json() file.

    Bounded before anything is believed: only a regular file is opened (builder/files/safe_read.py); a .keras
    archive's member count and sizes are read from its directory before anything is extracted, and its
    config.json is read with a cap whatever its header says; the text must be UTF-8 JSON of a model (not a
    layer's or an optimizer's), of bounded size, nesting and numbers. With max_weight_bytes, the weights the
    config would allocate are counted (builder/keras/weight_limit.py) and a model above the limit is refused, all
    before Keras sees the file. Raises ImportRefused naming the file."""
    path = Path(path)
    try:
        raw = _config_bytes(path, max_weight_bytes)
        try:
            text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            raise ImportRefused(f"the model config is not UTF-8 text (byte {exc.start}); Keras writes UTF-8 "
                                "JSON") from None
        config = _model_config(load_json(text, allow_nonfinite=True))  # nesting bounded there
        _refuse_nonfinite(config)
        if max_weight_bytes is not None:
            check_weights(config, max_weight_bytes)
        return config
    except (ImportRefused, WeightLimitExceeded, UnreadableFile, ValueError) as exc:
        raise ImportRefused(f"{path}: {exc}") from None
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportRefused(f"{path}: cannot read a Keras model config: {exc}") from None


def _config_bytes(path: Path, max_weight_bytes) -> bytes | str:
    suffix = path.suffix.lower()
    if suffix == ".keras":
        with open_regular(path) as handle, zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ImportRefused(f"the archive holds {len(members):,} files; a .keras file holds a few")
            weights_cap = max(max_weight_bytes or 0, DEFAULT_MAX_WEIGHT_BYTES) * 2 + MAX_CONFIG_BYTES
            for member in members:
                limit = MAX_CONFIG_BYTES if member.filename == "config.json" else weights_cap
                if member.file_size > limit:
                    raise ImportRefused(f"{quote(member.filename)} in the archive inflates to {member.file_size:,} "
                                        f"bytes, more than the {limit:,} read")
            try:
                member = archive.getinfo("config.json")
            except KeyError:
                raise ImportRefused("the archive has no config.json; is this a Keras 3 .keras file?") from None
            with archive.open(member) as stream:
                return read_at_most(stream, MAX_CONFIG_BYTES, "config.json")
    if suffix in (".h5", ".hdf5"):
        import h5py

        with open_regular(path) as handle, h5py.File(handle, "r") as h5:
            if "model_config" not in h5.attrs:
                raise ImportRefused("this .h5 file holds weights only, no model config")
            attribute = h5py.h5a.open(h5.id, b"model_config")
            if attribute.get_storage_size() > MAX_CONFIG_BYTES:
                raise ImportRefused(f"its model_config is larger than {MAX_CONFIG_BYTES:,} bytes")
            raw = h5.attrs["model_config"]
        if hasattr(raw, "item") and getattr(raw, "shape", None) == ():
            raw = raw.item()  # a scalar numpy value
        if not isinstance(raw, (bytes, str)) or len(raw) > MAX_CONFIG_BYTES:
            raise ImportRefused("its model_config attribute is not JSON text of a model")
        return raw
    with open_regular(path, MAX_CONFIG_BYTES) as handle:
        return read_at_most(handle, MAX_CONFIG_BYTES)


def _model_config(config) -> dict:
    """The config if it is one of a whole model (what Keras's loaders take), else ImportRefused saying what it is."""
    if isinstance(config, dict) and config.get("class_name") in MODEL_CLASSES:
        if not (isinstance(config.get("config"), dict) and isinstance(config["config"].get("layers"), list)):
            raise ImportRefused(f"the {config['class_name']} model's config has no list of layers")
        _refuse_deep(config)
        return config
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        module = config.get("module")
        what = f"{quote(config['class_name'])}" + (f" (from {quote(module)})" if isinstance(module, str) else "")
        raise ImportRefused(f"this is the config of {what}, not of a model; save the whole model "
                            "(model.save('m.keras') or model.to_json())")
    kind = {list: "a list", float: "a number", int: "a number", str: "a text", bool: "true/false"}.get(
        type(config), "not an object")
    raise ImportRefused(f"the model config is {kind}, not a Keras model's config ({{\"class_name\": "
                        "\"Functional\", \"config\": ...})")


def _refuse_nonfinite(config):
    """NaN or infinity (JSON cannot hold them, but Python's json writes them) cannot be kept in a project:
    refused naming the layer that holds one."""
    for layer in layers_of(config):
        if _holds_nonfinite(layer.config):
            raise ImportRefused(f"layer {quote(layer.name)} ({quote(layer.class_name)}): its config holds NaN or "
                                "infinity, which a project cannot keep (JSON has no such numbers)")
    if _holds_nonfinite(config):
        raise ImportRefused("the model config holds NaN or infinity, which a project cannot keep")


def _holds_nonfinite(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _refuse_deep(config):
    stack = [(config, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_CONFIG_DEPTH:
            raise ImportRefused(f"the model config nests more than {MAX_CONFIG_DEPTH} levels deep")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values() if isinstance(item, (dict, list)))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value if isinstance(item, (dict, list)))
