"""Hostile and broken model files for the import tests, made small in a test's folder: each function writes one
and returns its path. The JSON is written by hand (no Keras needed), as Keras 3's `model.to_json()` writes it."""

from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path


def tensor(name: str, shape: list) -> dict:
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32",
                                                          "keras_history": [name, 0, 0]}}


def input_layer(name: str, shape: list) -> dict:
    return {"module": "keras.layers", "class_name": "InputLayer", "name": name, "inbound_nodes": [],
            "config": {"batch_shape": [None, *shape], "dtype": "float32", "sparse": False, "name": name}}


def layer(class_name: str, name: str, config: dict, source: str, shape: list) -> dict:
    return {"module": "keras.layers", "class_name": class_name, "name": name, "registered_name": None,
            "config": {"name": name, "trainable": True, "dtype": "float32", **config},
            "inbound_nodes": [{"args": [tensor(source, shape)], "kwargs": {}}]}


def functional(layers: list, inputs: list[str], output: str) -> dict:
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "config": {"name": "model", "trainable": True, "layers": layers,
                       "input_layers": [[n, 0, 0] for n in inputs], "output_layers": [[output, 0, 0]]}}


def dense_model(units: int = 4, width: int = 8, name: str = "dense", extra: dict | None = None) -> dict:
    return functional([input_layer("x", [width]),
                       layer("Dense", name, {"units": units, **(extra or {})}, "x", [None, width])], ["x"], name)


def generic_model(class_name: str, config: dict) -> dict:
    return functional([input_layer("x", [8]), layer(class_name, "odd", config, "x", [None, 8])], ["x"], "odd")


def write_json(folder: Path, name: str, data, **dump) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, **dump))
    return path


def write_keras(folder: Path, name: str, config_text: str | bytes, members: dict | None = None) -> Path:
    """A .keras archive holding config.json (and metadata.json, as Keras writes it), no weights."""
    path = folder / name
    raw = config_text.encode() if isinstance(config_text, str) else config_text
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.0.0"}))
        archive.writestr("config.json", raw)
        for member, data in (members or {}).items():
            archive.writestr(member, data)
    return path


def write_inflating_keras(folder: Path, name: str, size: int) -> Path:
    """A .keras whose config.json inflates to `size` bytes of spaces before a valid config: the archive is
    small (deflate packs spaces about 1000:1) and its directory declares the true size."""
    body = json.dumps(dense_model()).encode()
    crc, compressor, chunks = 0, zlib.compressobj(9, zlib.DEFLATED, -15), []
    block = b" " * (1 << 20)
    left = size - len(body)
    while left > 0:
        piece = block[:min(left, len(block))]
        crc = zlib.crc32(piece, crc)
        chunks.append(compressor.compress(piece))
        left -= len(piece)
    crc = zlib.crc32(body, crc)
    chunks += [compressor.compress(body), compressor.flush()]
    data = b"".join(chunks)
    path = folder / name
    with open(path, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
        archive.writestr("metadata.json", "{}")
        # The member is written by hand: writestr would need the whole inflated text in memory.
        info = zipfile.ZipInfo("config.json")
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = size, len(data), crc
        info.header_offset = handle.tell()
        handle.write(info.FileHeader(zip64=size > 0xFFFFFFFF))
        handle.write(data)
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        archive.start_dir = handle.tell()
        archive._didModify = True
    return path
