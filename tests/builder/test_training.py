"""Fitting a graph's model (builder/keras/training.py): the loss falls on a learnable dataset, the saved model
loads and predicts, the best checkpoint is kept, and a stop between batches keeps a usable model."""

from __future__ import annotations

import numpy as np

from builder.keras.training import train
from builder.keras.training_data import Dataset
from builder.keras.training_settings import resolve
from tests.training_samples import bright_quadrant_images, small_cnn


def _quadrants(n=256):
    images, labels = bright_quadrant_images(n)
    return Dataset([images], [labels], "quadrants", "images", ["0", "1", "2", "3"])


def test_the_small_cnn_learns_in_two_epochs_and_the_saved_model_loads_and_predicts(tmp_path, keras):
    graph = small_cnn(with_seed_settings=True)
    data = _quadrants()
    settings = resolve(graph, {"epochs": 2}, data.y[0])
    epochs = []
    result = train(graph, data, settings, tmp_path / "m.keras", checkpoint_path=tmp_path / "best.keras",
                   on_epoch=lambda epoch, logs: epochs.append((epoch, logs)))
    history = result["history"]
    assert history["loss"][1] < history["loss"][0]
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert [e for e, _logs in epochs] == [1, 2] and not result["stopped"]
    assert result["train_examples"] + result["held_out"] == 256 and result["checkpoint"]
    model = keras.saving.load_model(tmp_path / "m.keras")
    assert model.predict(data.x[0][:5], verbose=0).shape == (5, 4)
    assert keras.saving.load_model(tmp_path / "best.keras").output_shape == (None, 4)


def test_stop_ends_after_the_current_batch_and_keeps_the_weights(tmp_path, keras):
    graph = small_cnn()
    data = _quadrants()
    settings = resolve(graph, {"epochs": 5, "batch_size": 16}, data.y[0])  # 13 batches an epoch
    batches, asked = [], []

    def should_stop():  # asked as each batch begins: Stop pressed during the third batch
        asked.append(1)
        return len(asked) >= 4

    result = train(graph, data, settings, tmp_path / "m.keras", on_batch=lambda *a: batches.append(a),
                   should_stop=should_stop)
    assert result["stopped"] and result["epochs_done"] == 1
    told = [b[1] for b in batches]  # batch ends are told from Keras's threads; one overtaken by a later is dropped
    assert len(asked) == 4 and told[-1] == 4 and told == sorted(set(told))  # the batch begun was the last
    model = keras.saving.load_model(tmp_path / "m.keras")
    assert np.isfinite(model.predict(data.x[0][:2], verbose=0)).all()


def test_after_an_edit_the_unchanged_layers_keep_their_weights_and_the_others_start_fresh(tmp_path, keras):
    graph = small_cnn()
    data = _quadrants(64)
    settings = resolve(graph, {"epochs": 1}, data.y[0])
    train(graph, data, settings, tmp_path / "first.keras")
    graph.nodes["pool"]["params"]["pool_size"] = 2  # the flattened size changes: classes' kernel must too
    result = train(graph, data, {**settings, "epochs": 1, "learning_rate": 1e-12}, tmp_path / "second.keras",
                   keep_weights_from=tmp_path / "first.keras")
    assert result["weights"] == {"kept": ["conv"], "fresh": ["classes"]}
    first = keras.saving.load_model(tmp_path / "first.keras").get_layer("conv").get_weights()[0]
    second = keras.saving.load_model(tmp_path / "second.keras").get_layer("conv").get_weights()[0]
    assert np.allclose(first, second, atol=1e-6)  # a learning rate of 1e-12 leaves them where they were carried
