"""`python main.py train` and `export --training`: exit codes, messages, the history file, and the exported
script, ruff-clean, trained alone and by two MultiWorkerMirroredStrategy workers on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

import builder
import main
from tests.conftest import ROOT
from tests.training_samples import bright_quadrant_images, dense_classifier, rows, small_cnn, two_outputs


def run_main(capsys, *argv):
    code = main.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cnn_project(tmp_path):
    path = tmp_path / "cnn.json"
    builder.save(small_cnn(with_seed_settings=True), path)
    images, labels = bright_quadrant_images(160)
    np.savez(tmp_path / "q.npz", x=images, y=labels)
    return path


def test_train_writes_the_model_and_the_history_and_exits_0(capsys, cnn_project, tmp_path, keras):
    code, out, err = run_main(capsys, "train", cnn_project, "--data", tmp_path / "q.npz", "--epochs", 2,
                              "-o", tmp_path / "out.keras", "--history", tmp_path / "h.json")
    assert code == 0, err
    history = json.loads((tmp_path / "h.json").read_text())
    assert len(history["loss"]) == 2 and len(history["val_accuracy"]) == 2
    assert "sparse_categorical_crossentropy" in err and "wrote" in out
    assert keras.saving.load_model(tmp_path / "out.keras").output_shape == (None, 4)


def test_bad_data_exits_2_with_one_message_and_no_traceback(capsys, cnn_project, tmp_path):
    np.savez(tmp_path / "bad.npz", x=np.zeros((4, 8, 8)), y=np.zeros(4, dtype="int64"))
    code, _out, err = run_main(capsys, "train", cnn_project, "--data", tmp_path / "bad.npz", "-o", tmp_path / "o.keras")
    assert code == 2 and "image expects (28, 28, 1)" in err and "--resize" in err and "Traceback" not in err
    code, _out, err = run_main(capsys, "train", cnn_project, "-o", tmp_path / "o.keras")
    assert code == 2 and "no data" in err
    code, _out, err = run_main(capsys, "train", cnn_project, "--data", "digits", "--epochs", "0",
                               "-o", tmp_path / "o.keras")
    assert code == 2 and "training.epochs" in err
    assert not (tmp_path / "o.keras").exists()


def test_a_graph_with_errors_exits_1(capsys, tmp_path):
    graph = small_cnn()
    graph.nodes["pool"]["params"]["pool_size"] = 64  # larger than the image
    builder.save(graph, tmp_path / "broken.json")
    code, _out, err = run_main(capsys, "train", tmp_path / "broken.json", "--data", "digits", "-o", tmp_path / "o.keras")
    assert code == 1 and "pool" in err


def test_export_training_writes_a_ruff_clean_script_for_every_strategy(capsys, cnn_project, tmp_path):
    for strategy in ("none", "mirrored", "multiworker"):
        out = tmp_path / f"train_{strategy}.py"
        code, _out, err = run_main(capsys, "export", cnn_project, "--training", "--strategy", strategy, "-o", out)
        assert code == 0, err
        text = out.read_text()
        assert "strategy.scope()" in text and ("strategy.run" in text) == (strategy == "multiworker")
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(tmp_path)], cwd=ROOT, check=False,
                          capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout


def test_the_exported_script_trains_alone_and_adapts_normalization_first(capsys, tmp_path, keras):
    """The CNN with a Normalization without mean and variance after its Input: the script trains it alone and
    adapts that layer first, as the app's training does, on the examples it trains on (the held-out ones
    excluded), so the saved layer holds their mean and variance."""
    from builder.keras.training_script import training_script

    builder.save(small_cnn(with_seed_settings=True, normalized=True), tmp_path / "cnn.json")
    images, labels = bright_quadrant_images(160)
    np.savez(tmp_path / "q.npz", x=images, y=labels)
    run_main(capsys, "export", tmp_path / "cnn.json", "--training", "-o", tmp_path / "train.py")
    script = (tmp_path / "train.py").read_text()
    assert script.count("adapt_normalizations(") == 2  # defined once, called once
    assert "adapt_normalizations" not in training_script(small_cnn())  # nothing to adapt: not written
    done = subprocess.run([sys.executable, "train.py", "--data", "q.npz", "--epochs", "1", "-o", "m.keras",
                           "--history", "h.json"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert set(json.loads((tmp_path / "h.json").read_text())) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    spec = importlib.util.spec_from_file_location("exported_train", tmp_path / "train.py")
    exported = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exported)  # the script's own split says which examples it trained on
    (trained, _y), _held = exported.split({"image": images}, {"classes": labels}, exported.VALIDATION_SPLIT,
                                          exported.SEED)
    assert 0 < len(trained["image"]) < len(images)
    layer = keras.saving.load_model(tmp_path / "m.keras").get_layer("norm")
    assert np.allclose(np.ravel(layer.mean), trained["image"].mean(), atol=1e-4)
    assert np.allclose(np.ravel(layer.variance), trained["image"].var(), rtol=1e-3)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_multiworker_script_trains_on_two_workers_and_the_chief_writes_a_model_that_loads(capsys, tmp_path,
                                                                                                keras):
    """Two processes, TF_CONFIG with two ports on 127.0.0.1, one short epoch on a tiny dataset."""
    builder.save(dense_classifier(), tmp_path / "tiny.json")
    x, y = rows(128)
    np.savez(tmp_path / "tiny.npz", x=x, y=y)
    run_main(capsys, "export", tmp_path / "tiny.json", "--training", "--strategy", "multiworker",
             "-o", tmp_path / "train.py")
    ports = [_free_port(), _free_port()]
    workers = []
    for index in range(2):
        config = {"cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]}, "task": {"type": "worker", "index": index}}
        env = {**os.environ, "TF_CONFIG": json.dumps(config), "CUDA_VISIBLE_DEVICES": ""}
        workers.append(subprocess.Popen(
            [sys.executable, "train.py", "--data", "tiny.npz", "--epochs", "1", "--batch-size", "16",
             "-o", f"model{index}.keras", "--history", f"h{index}.json"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    try:
        outputs = [w.communicate(timeout=400)[0] for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
    assert [w.returncode for w in workers] == [0, 0], outputs[0][-2000:] + outputs[1][-2000:]
    assert all("Epoch 1/1" in out for out in outputs)
    assert (tmp_path / "model0.keras").exists() and not (tmp_path / "model1.keras").exists()
    model = keras.saving.load_model(tmp_path / "model0.keras")
    assert model.predict(x[:3], verbose=0).shape == (3, 3)
    history = json.loads((tmp_path / "h0.json").read_text())
    assert set(history) == {"loss", "accuracy"} and np.isfinite(history["loss"][0])


def test_resize_and_csv_feature_columns_from_the_command_line(capsys, cnn_project, tmp_path, keras):
    images, labels = bright_quadrant_images(40, size=8)
    np.savez(tmp_path / "small.npz", x=images[..., 0], y=labels)
    code, _out, err = run_main(capsys, "train", cnn_project, "--data", tmp_path / "small.npz", "--resize",
                               "--epochs", 1, "-o", tmp_path / "r.keras")
    assert code == 0 and "resized from 8×8 to 28×28" in err, err
    builder.save(dense_classifier(features=2), tmp_path / "rows.json")
    x, y = rows(60)
    (tmp_path / "t.csv").write_text("a,b,c,d,kind\n" + "".join(
        f"{r[0]},{r[1]},{r[2]},{r[3]},{k}\n" for r, k in zip(x, y)))
    code, _out, err = run_main(capsys, "train", tmp_path / "rows.json", "--data", tmp_path / "t.csv", "--label",
                               "kind", "--features", "c,a", "--epochs", 1, "-o", tmp_path / "c.keras")
    assert code == 0, err
    assert keras.saving.load_model(tmp_path / "c.keras").input_shape == (None, 2)
    code, _out, err = run_main(capsys, "train", tmp_path / "rows.json", "--data", tmp_path / "t.csv", "--label",
                               "kind", "--features", "c,e", "-o", tmp_path / "c.keras")
    assert code == 2 and "no feature column 'e'" in err


def test_the_scripts_of_a_two_output_model_keep_fit_s_history_names_under_every_strategy(capsys, tmp_path):
    """model.fit (strategy none) and the multiworker step (one local worker) train the same two outputs, each
    with its loss, and write the same history keys (fit adds the validation ones)."""
    builder.save(two_outputs(), tmp_path / "two.json")
    images, labels = bright_quadrant_images(64, size=12)
    np.savez(tmp_path / "two.npz", image=images, digit=labels, size=images.mean(axis=(1, 2, 3)))
    histories = {}
    for strategy in ("none", "multiworker"):
        run_main(capsys, "export", tmp_path / "two.json", "--training", "--strategy", strategy,
                 "-o", tmp_path / f"train_{strategy}.py")
        done = subprocess.run([sys.executable, f"train_{strategy}.py", "--data", "two.npz", "--epochs", "1",
                               "--batch-size", "16", "-o", f"{strategy}.keras", "--history", f"{strategy}.json"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
                              env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
        assert done.returncode == 0, done.stderr[-3000:]
        histories[strategy] = json.loads((tmp_path / f"{strategy}.json").read_text())
    fit_keys = {k for k in histories["none"] if not k.startswith("val_")}
    assert fit_keys == {"loss", "digit_loss", "size_loss", "digit_accuracy", "size_mean_absolute_error"}
    assert set(histories["multiworker"]) == fit_keys
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(tmp_path)], cwd=ROOT, check=False,
                          capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout

