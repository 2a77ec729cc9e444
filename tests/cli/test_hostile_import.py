"""Hostile and broken model files given to `import` (issue 11): each is refused with one message naming the file
(and the layer where there is one), exit 2, no traceback, within a memory cap. Those refused before Keras loads
anything run as capped child processes (builder never imports TensorFlow for them); odd layer names need Keras to
load the model first, so they run in this process, where Keras is already loaded."""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest

import main
from tests.cli import hostile_models as hm
from tests.cli.capped import one_clean_message, run_main_capped


def _text(folder, name, text: str, encoding="utf-8"):
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def _h5(folder, name, value):
    path = folder / name
    with h5py.File(path, "w") as handle:
        handle.attrs["model_config"] = value
    return path


def _deep_initializer():
    model = hm.dense_model()
    inner = current = {}
    for _ in range(300):
        current["a"] = {}
        current = current["a"]
    model["config"]["layers"][1]["config"]["kernel_initializer"] = inner
    return model


def _symlink(folder, name, target):
    path = folder / name
    path.symlink_to(target)
    return path


# name -> (make(folder) -> path, fragment of the message)
BEFORE_KERAS = {
    "config.json inflates to 200 MB": (lambda d: hm.write_inflating_keras(d, "bomb.keras", 200 * 2 ** 20),
                                       "'config.json' in the archive inflates to 209,715,200 bytes"),
    "10,001 archive members": (lambda d: hm.write_keras(d, "many.keras", json.dumps(hm.dense_model()),
                                                        {f"m{i}": b"" for i in range(10_001)}),
                               "the archive holds 10,003 files"),
    "no config.json": (lambda d: hm.write_keras(d, "none.keras", "{}", {}) and _rename_config(d / "none.keras"),
                       "no config.json"),
    "Dense 30000x30000 in a .keras": (lambda d: hm.write_keras(d, "big.keras", json.dumps(hm.dense_model(30000, 30000))),
                                      "the layer asking for the most is 'dense' ('Dense'): 900,030,000 weights"),
    "Dense 30000x30000 as JSON": (lambda d: hm.write_json(d, "big.json", hm.dense_model(30000, 30000)),
                                  "3.6 GB of weights"),
    "ConvLSTM2D with huge kernels (generic)": (
        lambda d: hm.write_json(d, "clstm.json", hm.functional(
            [hm.input_layer("x", [3, 8, 8, 4096]),
             hm.layer("ConvLSTM2D", "c3", {"filters": 4096, "kernel_size": [9, 9]}, "x", [None, 3, 8, 8, 4096])],
            ["x"], "c3")),
        "'c3' ('ConvLSTM2D')"),
    "UTF-16 config": (lambda d: _text(d, "u16.json", json.dumps(hm.dense_model()), "utf-16"), "not UTF-8 text"),
    "Latin-1 config": (lambda d: _text(d, "l1.json", json.dumps(hm.dense_model(name="café"), ensure_ascii=False),
                                       "latin-1"), "not UTF-8 text"),
    "nested 100,000 deep": (lambda d: _text(d, "deep.json", "[" * 100_000 + "]" * 100_000), "nested too deeply"),
    "config nested 300 deep": (lambda d: hm.write_json(d, "deep2.json", _deep_initializer()), "more than 100 levels"),
    "5,000-digit integer": (lambda d: _text(d, "int.json", json.dumps(hm.dense_model()).replace(
        '"units": 4', '"units": ' + "9" * 5000)), "an integer of 5,000 digits"),
    "model_config is a list": (lambda d: hm.write_json(d, "list.json", [1, 2]), "the model config is a list"),
    "model_config is a number": (lambda d: hm.write_json(d, "num.json", 1.5), "the model config is a number"),
    "a layer's JSON": (lambda d: hm.write_json(d, "layer.json", {"module": "keras.layers", "class_name": "Dense",
                                                                  "config": {"units": 3}}),
                       "this is the config of 'Dense' (from 'keras.layers'), not of a model"),
    "an optimizer's JSON": (lambda d: hm.write_json(d, "opt.json", {"module": "keras.optimizers", "class_name": "Adam",
                                                                     "config": {"learning_rate": 0.001}}),
                            "this is the config of 'Adam'"),
    "NaN in a generic layer": (lambda d: hm.write_json(d, "nan.json", hm.generic_model("GaussianNoise",
                                                                                        {"stddev": float("nan")})),
                               "layer 'odd' ('GaussianNoise'): its config holds NaN or infinity"),
    "inf in a generic layer": (lambda d: hm.write_json(d, "inf.json", hm.generic_model("GaussianNoise",
                                                                                        {"stddev": float("inf")})),
                               "layer 'odd' ('GaussianNoise'): its config holds NaN or infinity"),
    ".h5 model_config is an array": (lambda d: _h5(d, "arr.h5", np.array([1.0, 2.0])), "not JSON text of a model"),
    ".h5 model_config is a float": (lambda d: _h5(d, "flt.h5", 1.5), "not JSON text of a model"),
    ".h5 model_config is a JSON list": (lambda d: _h5(d, "lst.h5", "[1, 2]"), "the model config is a list"),
    "/dev/zero": (lambda d: "/dev/zero", "it is a device"),
    "symlink .keras -> /dev/zero": (lambda d: _symlink(d, "zero.keras", "/dev/zero"), "it is a device"),
    "symlink .h5 -> /dev/zero": (lambda d: _symlink(d, "zero.h5", "/dev/zero"), "it is a device"),
    "a FIFO": (lambda d: _fifo(d / "f.json"), "it is a pipe"),
    "a folder": (lambda d: _folder(d / "models.keras"), "it is a folder"),
}


def _rename_config(path):
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr("other.json" if name == "config.json" else name, data)
    return path


def _fifo(path):
    import os

    os.mkfifo(path)
    return path


def _folder(path):
    path.mkdir()
    return path


@pytest.mark.parametrize("case", list(BEFORE_KERAS))
def test_hostile_model_file_is_refused_before_keras(tmp_path, case):
    make, fragment = BEFORE_KERAS[case]
    path = make(tmp_path)
    result = run_main_capped("import", path, "-o", tmp_path / "out.json")
    err = one_clean_message(result)
    assert result.returncode == 2, err
    assert fragment in err and str(path) in err, err
    assert not (tmp_path / "out.json").exists()


def test_max_weights_option_raises_and_lowers_the_limit(tmp_path):
    path = hm.write_json(tmp_path, "m.json", hm.dense_model(1000, 1000))  # 1,001,000 weights: 4 MB
    result = run_main_capped("import", path, "-o", tmp_path / "out.json", "--max-weights", "1MB")
    assert result.returncode == 2 and "more than the limit of 1.0 MB" in one_clean_message(result)
    result = run_main_capped("import", path, "-o", tmp_path / "out.json", "--max-weights", "lots")
    assert result.returncode == 2 and "expected a size such as 2GB" in result.stderr


NAMES = {"101 characters": "a" * 101, "leading space": " dense", "newline": "de\nnse", "tab": "de\tnse",
         "zero-width space": "de\u200bnse", "ESC": "de\x1b[2Jnse"}


@pytest.mark.parametrize("case", list(NAMES))
def test_keras_layer_name_a_project_refuses_is_named_with_the_reason(tmp_path, capsys, keras, case):
    path = hm.write_json(tmp_path, "m.json", hm.dense_model(name=NAMES[case]))
    code = main.main(["import", str(path), "-o", str(tmp_path / "out.json")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert str(path) in err and "Keras allows this name, but a project cannot hold it" in err
    assert not any(ord(c) < 32 for c in err[:-1]) and "\u200b" not in err, repr(err)
    assert not (tmp_path / "out.json").exists()
