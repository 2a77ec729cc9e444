"""The training section, the suggestions, and the data sources with their checks (builder/files/training_section.py,
builder/keras/training_settings.py, builder/keras/training_data.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from builder.files import project
from builder.files.training_section import TrainingSettingsError, check_training
from builder.keras.training_data import DataError, load_data
from builder.keras.training_settings import resolve, suggest
from tests.training_samples import bright_quadrant_images, dense_classifier, dense_regressor, rows, small_cnn


def test_training_section_round_trips_and_refuses_bad_values_with_their_location():
    graph = small_cnn(with_seed_settings=True)
    again = project.parse(project.dumps(graph))
    assert again.graph["training"] == graph.graph["training"]
    data = json.loads(project.dumps(graph))
    data["training"] = {"epochs": 0, "loss": "os.system", "metrics": ["accuracy", "eval"], "colour": 1,
                        "validation_split": 1.0, "learning_rate": float("inf")}
    with pytest.raises(project.ProjectError) as caught:
        project.from_dict(data, "m.json")
    text = str(caught.value)
    for where in ("training.epochs", "training.loss", "training.metrics", "training.colour",
                  "training.validation_split", "training.learning_rate"):
        assert where in text
    assert text.startswith("m.json: ")


def test_settings_come_from_what_was_asked_then_the_section_then_the_suggestions():
    graph = small_cnn(with_seed_settings=True)
    settings = resolve(graph, {"epochs": 3}, np.array([0, 1, 2]))
    assert settings["epochs"] == 3 and settings["batch_size"] == 32 and settings["learning_rate"] == 0.01
    assert settings["loss"] == "sparse_categorical_crossentropy" and settings["metrics"] == ["accuracy"]
    with pytest.raises(TrainingSettingsError, match="training.batch_size"):
        resolve(graph, {"batch_size": -1})
    assert check_training({}) == {}


def test_loss_and_metrics_are_suggested_from_the_output_layer_and_the_labels():
    assert suggest(small_cnn(), np.array([0, 3]))["loss"] == "sparse_categorical_crossentropy"
    assert suggest(small_cnn(), np.eye(4)[[0, 3]])["loss"] == "categorical_crossentropy"
    assert suggest(dense_regressor()) == {"loss": "mean_squared_error", "metrics": ["mean_absolute_error"]}
    graph = dense_regressor()
    graph.nodes["y"]["params"]["activation"] = "sigmoid"
    assert suggest(graph, units=1) == {"loss": "binary_crossentropy", "metrics": ["accuracy"]}


def test_digits_ship_with_scikit_learn_and_are_resized_to_the_input():
    data = load_data("digits", small_cnn(classes=10))
    assert data.x[0].shape == (1797, 28, 28, 1) and data.y[0].shape == (1797,)
    assert "resized to 28×28" in data.notes[0]
    flat = dense_classifier(features=64, classes=10)
    assert load_data("digits", flat).x[0].shape == (1797, 64)


def test_npz_by_xy_and_by_node_id_npy_pairs_and_a_missing_channel_axis(tmp_path):
    images, labels = bright_quadrant_images(20)
    np.savez(tmp_path / "xy.npz", x=images[..., 0], y=labels)  # (n, 28, 28): the channel axis is added
    assert load_data(str(tmp_path / "xy.npz"), small_cnn()).x[0].shape == (20, 28, 28, 1)
    np.savez(tmp_path / "ids.npz", image=images, classes=labels)
    assert len(load_data(str(tmp_path / "ids.npz"), small_cnn())) == 20
    np.save(tmp_path / "x.npy", images)
    np.save(tmp_path / "y.npy", labels)
    assert len(load_data(f"{tmp_path / 'x.npy'},{tmp_path / 'y.npy'}", small_cnn())) == 20


def test_csv_with_a_label_column_and_text_classes(tmp_path):
    x, y = rows(30)
    lines = ["a,b,c,d,kind"] + [",".join(map(str, r)) + f",{['cat', 'dog', 'eel'][c]}" for r, c in zip(x, y)]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n")
    data = load_data(str(tmp_path / "t.csv"), dense_classifier(), label="kind")
    assert data.x[0].shape == (30, 4) and data.class_names == ["cat", "dog", "eel"]
    with pytest.raises(DataError, match="no column 'label'.*'kind'"):
        load_data(str(tmp_path / "t.csv"), dense_classifier(), label="label")
    with pytest.raises(DataError, match="--label"):
        load_data(str(tmp_path / "t.csv"), dense_classifier())
    (tmp_path / "bad.csv").write_text("a,b,c,d,kind\n1,2,x,4,cat\n")
    with pytest.raises(DataError, match="line 2: 'x' in column 'c' is not a number"):
        load_data(str(tmp_path / "bad.csv"), dense_classifier(), label="kind")


def test_an_image_folder_with_one_sub_folder_per_class(tmp_path):
    import tensorflow as tf

    images, labels = bright_quadrant_images(12, size=16)
    for i, (image, label) in enumerate(zip(images, labels)):
        folder = tmp_path / "pics" / f"q{label}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i}.png").write_bytes(tf.io.encode_png((np.clip(image, 0, 1) * 255).astype("uint8")).numpy())
    data = load_data(str(tmp_path / "pics"), small_cnn(size=28, classes=4))
    assert data.x[0].shape == (12, 28, 28, 1) and data.kind == "images"
    assert data.class_names == sorted({f"q{label}" for label in labels})


@pytest.mark.parametrize("case, expected", [
    ("empty", "is empty"),
    ("nan", "NaN"),
    ("lengths", "different numbers of examples"),
    ("text", "training needs numbers"),
    ("shape", r"image expects \(28, 28, 1\) but .* is \(8, 8, 1\) per example: resize to 28×28\?"),
    ("classes", "classes has 4 units .* set classes's units to at least 8"),
    ("huge", "GB is more than"),
    ("not a zip", "not a .npz archive"),
    ("missing", "no such file or folder"),
])
def test_bad_data_is_refused_with_a_message_naming_the_file_and_the_input(tmp_path, case, expected):
    images, labels = bright_quadrant_images(10)
    path = tmp_path / "d.npz"
    arrays = {"x": images, "y": labels}
    if case == "empty":
        arrays = {"x": images[:0], "y": labels[:0]}
    elif case == "nan":
        images[3, 0, 0, 0] = np.nan
    elif case == "lengths":
        arrays["y"] = labels[:7]
    elif case == "text":
        arrays["y"] = np.array(["a"] * 10)
    elif case == "shape":
        arrays["x"] = images[:, :8, :8]
    elif case == "classes":
        arrays["y"] = labels + 4
    np.savez(path, **arrays)
    kwargs = {"max_bytes": 100} if case == "huge" else {}
    if case == "not a zip":
        path.write_bytes(b"this is no archive")
    with pytest.raises(DataError, match=expected) as caught:
        load_data(str(tmp_path / "none.npz") if case == "missing" else str(path), small_cnn(), **kwargs)
    assert "d.npz" in str(caught.value) or case == "missing" or "image" in str(caught.value)


def test_digits_on_a_model_they_cannot_fit_say_what_to_change():
    with pytest.raises(DataError, match="image expects .* but the digits are images of 8×8"):
        load_data("digits", _input_of([5, 5, 2]))


def _input_of(shape):
    import builder

    doc = builder.GraphDocument()
    doc.add_node("image", "Input", {"shape": shape})
    doc.add_node("flatten", "Flatten", {})
    doc.add_node("classes", "Dense", {"units": 10, "activation": "softmax"})
    doc.connect("image", "flatten")
    doc.connect("flatten", "classes")
    return doc.graph


def test_images_of_another_size_are_resized_on_request_with_keras(tmp_path, keras):
    images, labels = bright_quadrant_images(6, size=8)
    np.savez(tmp_path / "small.npz", x=images[..., 0], y=labels)  # (6, 8, 8) grey, for a 28×28×1 Input
    with pytest.raises(DataError, match=r"resize to 28×28\?") as caught:
        load_data(str(tmp_path / "small.npz"), small_cnn())
    assert caught.value.remedy == {"resize": [28, 28], "input": "image"}
    data = load_data(str(tmp_path / "small.npz"), small_cnn(), resize=True)
    expected = np.asarray(keras.ops.image.resize(images, (28, 28), interpolation="bilinear"))
    assert data.x[0].shape == (6, 28, 28, 1) and np.allclose(data.x[0], expected, atol=1e-6)
    assert "resized from 8×8 to 28×28 to fit image" in data.notes[-1]
    np.savez(tmp_path / "rgb.npz", x=np.repeat(images, 3, axis=-1), y=labels)  # 3 channels cannot become 1
    with pytest.raises(DataError, match="set image's shape") as caught:
        load_data(str(tmp_path / "rgb.npz"), small_cnn(), resize=True)
    assert caught.value.remedy is None


def test_csv_feature_columns_are_chosen_by_name_in_the_order_given(tmp_path):
    (tmp_path / "t.csv").write_text("id,a,b,note,c,d,kind\n" + "".join(
        f"{i},{i}.5,{-i},n{i},{2 * i},{i % 3},{'cat' if i % 2 else 'dog'}\n" for i in range(12)))
    data = load_data(str(tmp_path / "t.csv"), dense_classifier(features=3, classes=2), label="kind",
                     features=["d", "a", "c"])
    assert data.x[0].shape == (12, 3) and data.x[0][3].tolist() == [0.0, 3.5, 6.0]
    assert data.feature_names == ["d", "a", "c"] and data.class_names == ["cat", "dog"]
    with pytest.raises(DataError, match="'note' is not a number; feature columns must hold numbers"):
        load_data(str(tmp_path / "t.csv"), dense_classifier(features=6, classes=2), label="kind")
    with pytest.raises(DataError, match="no feature column 'e'"):
        load_data(str(tmp_path / "t.csv"), dense_classifier(classes=2), label="kind", features=["a", "e"])
    with pytest.raises(DataError, match="'kind' is the label, so it cannot be a feature column too"):
        load_data(str(tmp_path / "t.csv"), dense_classifier(classes=2), label="kind", features=["a", "kind"])
    with pytest.raises(DataError, match=r"expects \(3,\) but t.csv's 2 feature column\(s\) is \(2,\)"):
        load_data(str(tmp_path / "t.csv"), dense_classifier(features=3, classes=2), label="kind",
                  features=["a", "b"])


def test_csv_preview_gives_the_columns_what_they_hold_and_the_first_rows(tmp_path):
    from builder.keras.training_csv import CsvProblem, preview

    (tmp_path / "t.csv").write_text("id, size ,kind,empty\n1,2.5,cat,\n2,3,dog,\n\n3,1e3,cat,\n")
    shown = preview(tmp_path / "t.csv", rows=2)
    assert shown["columns"] == ["id", "size", "kind", "empty"]
    assert shown["kinds"] == ["int", "float", "text", "empty"]
    assert shown["rows"] == [["1", "2.5", "cat", ""], ["2", "3", "dog", ""]] and shown["sampled"] == 3
    (tmp_path / "twice.csv").write_text("a,b,a\n1,2,3\n")
    for name, expected in (("twice.csv", "'a' appears twice"), ("none.csv", "not a regular file")):
        with pytest.raises(CsvProblem, match=expected):
            preview(tmp_path / name)
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(CsvProblem, match="the file is empty"):
        preview(tmp_path / "empty.csv")


def test_the_section_takes_csv_columns_resizing_and_losses_by_output():
    section = {"label": "kind", "features": ["a", "b"], "resize": True,
               "loss": {"digit": "sparse_categorical_crossentropy", "size": "mean_squared_error"},
               "metrics": {"digit": ["accuracy"], "size": ["mean_absolute_error"]}}
    assert check_training(section) == section
    bad = {"features": ["a", "a"], "resize": "yes", "loss": {"digit": "os.system"}, "metrics": {"size": "mae"}}
    with pytest.raises(TrainingSettingsError) as caught:
        check_training(bad)
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "training.loss", "training.metrics", "training.features", "training.resize"]
    assert "'digit': expected one of" in str(caught.value)
