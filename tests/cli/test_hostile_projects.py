"""Hostile and broken project files given to `check`, `export` and `build` (issue 11): special files, absurd
structure, huge texts, control characters, and values `check` used to accept that `export` or `build` then
crashed on. Whatever `check` accepts, `export` and `build` do or refuse with a message (exit 1 or 2); nothing
prints a traceback. Cases that could blow up run as memory-capped child processes."""

from __future__ import annotations

import json
import os

import pytest

import main
from tests.cli.capped import one_clean_message, run_main_capped


def project(nodes=None, edges=None, ui=None, **top) -> dict:
    data = {"format": "keras-canvas", "version": 1,
            "nodes": nodes if nodes is not None else [
                {"id": "x", "layer": "Input", "params": {"shape": [8]}},
                {"id": "d", "layer": "Dense", "params": {"units": 4}}],
            "edges": edges if edges is not None else [{"source": "x", "target": "d", "port": 0}], **top}
    if ui is not None:
        data["ui"] = ui
    return data


def with_dense(config=None, input_config=None, units=4, width=8) -> dict:
    return project([{"id": "x", "layer": "Input", "params": {"shape": [width]}, **({"config": input_config}
                                                                                  if input_config else {})},
                    {"id": "d", "layer": "Dense", "params": {"units": units}, **({"config": config} if config else {})}])


def write(folder, name, data) -> str:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
    return str(path)


def empty_lists(folder, count: int) -> str:
    path = folder / "lists.json"
    with open(path, "w") as handle:
        handle.write('{"format": "keras-canvas", "version": 1, "nodes": [], "edges": [], "ui": {"junk": [')
        handle.write("[]," * (count - 1) + "[]]}}")
    return str(path)


def huge_id(folder) -> str:
    return write(folder, "huge_id.json", project([{"id": "x" * 10_000_000, "layer": "Input",
                                                   "params": {"shape": [8]}}], []))


def special(kind):
    def make(folder):
        path = folder / "special.json"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        else:
            path.symlink_to("/dev/zero")
        return str(path)
    return make


# name -> (make(folder) -> path, fragment of the message); every command refuses each with exit 2.
REFUSED = {
    "/dev/zero": (lambda d: "/dev/zero", "it is a device"),
    "symlink to /dev/zero": (special("symlink"), "it is a device"),
    "FIFO": (special("fifo"), "it is a pipe (FIFO)"),
    "folder": (special("folder"), "it is a folder"),
    "6 million empty lists": (lambda d: empty_lists(d, 6_000_000), "JSON values; a project or a model config holds at most"),
    "10-million-character id": (huge_id, "(10,000,000 characters)"),
    "ESC in a ui.positions key": (lambda d: write(d, "esc.json", project(ui={"positions": {"\x1b]0;owned\x07": [0, 0]}})),
                                  "ui.positions.'\\x1b]0;owned\\x07': no node has this id"),
    "ESC in an unknown node key": (lambda d: write(d, "key.json", project([{"id": "x", "layer": "Input", "params": {
        "shape": [8]}, "\x1b[2J": 1}], [])), "nodes[0].'\\x1b[2J': unknown key"),
    "export_style evil": (lambda d: write(d, "s1.json", project(ui={"export_style": "evil"})), "ui.export_style"),
    "export_style list": (lambda d: write(d, "s2.json", project(ui={"export_style": ["layer"]})), "ui.export_style"),
    "export_style object": (lambda d: write(d, "s3.json", project(ui={"export_style": {}})), "ui.export_style"),
    "4,000-digit config integer": (lambda d: write(d, "int.json", json.dumps(with_dense({"seed_like": 1})).replace(
        '"seed_like": 1', '"seed_like": ' + "7" * 4000)), "an integer of 4,000 digits is too large"),
    "config integer over 64 bits": (lambda d: write(d, "int64.json", with_dense({"seed_like": 2 ** 70})),
                                    "Keras takes 64-bit integers"),
    "config key kwargs": (lambda d: write(d, "kw.json", with_dense({"kwargs": 1})), "'kwargs' is not a Keras argument"),
    "builtins eval as a function": (lambda d: write(d, "eval.json", with_dense({"activity_regularizer": {
        "module": "builtins", "class_name": "function", "config": "eval", "registered_name": "function"}})),
        "is not one of Keras's functions"),
    "Input batch_size -1": (lambda d: write(d, "batch.json", with_dense(input_config={"batch_size": -1})),
                            "an Input's config may hold only dtype"),
    "fullwidth units (NFKC)": (lambda d: write(d, "nfkc1.json", with_dense({"ｕｎｉｔｓ": 5})),
                               "(Python reads it as units): Dense's units is a typed param"),
    "ligature filters (NFKC)": (lambda d: write(d, "nfkc2.json", project([
        {"id": "x", "layer": "Input", "params": {"shape": [8, 8, 3]}},
        {"id": "c", "layer": "Conv2D", "params": {"filters": 2, "kernel_size": 3}, "config": {"ﬁlters": 4}}],
        [{"source": "x", "target": "c", "port": 0}])), "(Python reads it as filters)"),
    "fullwidth name (NFKC)": (lambda d: write(d, "nfkc3.json", with_dense({"ｎａｍｅ": "other"})),
                              "(Python reads it as name)"),
    "two keys, one name (NFKC)": (lambda d: write(d, "nfkc4.json", with_dense({"ｂｉａｓ_ｘ": 1, "bias_x": 2})),
                                  "the argument bias_x is given twice"),
}
COMMANDS = {"check": ["check"], "export": ["export"], "build": ["build", "-o", "out.keras"]}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_project_is_refused_with_one_short_message(tmp_path, case, command):
    make, fragment = REFUSED[case]
    path = make(tmp_path)
    argv = COMMANDS[command]
    result = run_main_capped(argv[0], path, *argv[1:], cwd=tmp_path)
    err = one_clean_message(result)
    assert result.returncode == 2, err
    assert fragment in err, err
    assert result.stdout == ""


DENSE_30000 = with_dense(units=30_000, width=30_000)


def test_build_refuses_a_project_that_would_allocate_gigabytes_before_keras_allocates(tmp_path):
    path = write(tmp_path, "big.json", DENSE_30000)
    result = run_main_capped("build", path, "-o", tmp_path / "big.keras")  # capped: Keras is never reached
    err = one_clean_message(result)
    assert result.returncode == 2 and "'d' ('Dense'): 900,030,000 weights, 3.6 GB" in err, err
    assert not (tmp_path / "big.keras").exists()
    check = run_main_capped("check", path, "--keras", "--max-weights", "8GB")  # no generic node: Keras not loaded
    assert check.returncode == 0, check.stderr


# Values Keras refuses that the reader cannot know about: the build names the node, exit 1.
KERAS_REFUSES = {
    "an argument Dense does not take": ({"not_an_argument": 1}, "d: Keras refuses this Dense"),
    "an initializer Keras does not know": ({"kernel_initializer": {"module": "keras.initializers",
                                                                   "class_name": "NoSuchInit", "config": {}}},
                                           "d: Keras refuses this Dense"),
}


@pytest.mark.parametrize("case", list(KERAS_REFUSES))
def test_build_turns_keras_refusals_into_a_message_naming_the_node(tmp_path, capsys, keras, case):
    config, fragment = KERAS_REFUSES[case]
    path = write(tmp_path, "m.json", with_dense(config))
    assert main.main(["check", path]) == 0  # the reader cannot judge it: only Keras can
    capsys.readouterr()
    code = main.main(["build", path, "-o", str(tmp_path / "m.keras")])
    err = capsys.readouterr().err
    assert code == 1 and fragment in err and "Traceback" not in err, err
    assert not (tmp_path / "m.keras").exists()


def test_export_and_code_preview_refuse_what_no_script_can_hold():
    """A hand-built graph (the reader refuses these) still gets a message from export and the code preview."""
    import builder
    from builder.keras.code_export import ExportError, export_code
    from gui.panels.code_preview import code_or_errors

    graph = builder.files.project.parse(json.dumps(with_dense({"seed_like": 1})))
    graph.nodes["d"]["config"]["seed_like"] = 10 ** 4000
    for style in ("layer", "evil", ["layer"], {}):
        with pytest.raises(ExportError):
            export_code(graph, style)
        text, ok = code_or_errors(graph, style)
        assert not ok and text.startswith("# No code yet") and len(text) < 500


@pytest.mark.parametrize("case", ["/dev/zero", "FIFO", "6 million empty lists", "10-million-character id"])
def test_window_guard_looks_before_parsing(tmp_path, case):
    """gui/files.read_for_window refuses the same files through the same bounded reader, before parsing."""
    from builder.files.project import ProjectError
    from gui.files import read_for_window

    make, fragment = REFUSED[case]
    with pytest.raises(ProjectError) as caught:
        read_for_window(make(tmp_path))
    assert fragment in str(caught.value) and len(str(caught.value)) < 5000
