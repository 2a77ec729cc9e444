"""Training data for a model: read from a source, checked against the model's Inputs and outputs before anything
trains, with a message that names the file, the input and the remedy.

Sources (`--data` on the command line, `training.data` in the project, the Training dock's Data field):
  - `digits`: the 8×8 handwritten digits scikit-learn ships inside its package (1,797 images, 10 classes),
    resized to the Input's size; never a download
  - `FILE.npz`: arrays named by node id (every Input and every output), or `x` and `y` for one of each
  - `X.npy,Y.npy`: a pair of .npy files, features then labels
  - `FILE.csv` with a label column (`--label`) and, if not every other column, the feature columns
    (`--features`): a header row, numbers in every feature column; text labels become class numbers in sorted
    order (builder/keras/training_csv.py, which also previews a file for the Training dock)
  - a folder with one sub-folder of images per class: Keras's image_dataset_from_directory

numpy is imported here at module level (it is no TensorFlow); Keras and scikit-learn only inside functions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from builder.inference.engine import infer
from builder.keras.plan import make_plan
from builder.quoting import quote

DEFAULT_MAX_DATA_BYTES = 2 * 1024**3  # a data file larger than this is refused before it is read
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


class DataError(ValueError):
    """Data that cannot train this model; the message names the file and the input, and says what to do.
    `remedy`, when the app can apply it on request: {"resize": [height, width], "input": node id}."""

    def __init__(self, message: str, remedy: dict | None = None):
        super().__init__(message)
        self.remedy = remedy


@dataclass
class Dataset:
    x: list  # one array per model Input, in the model's input order
    y: list  # one array per model output
    source: str  # as the person named it
    kind: str  # "images" or "rows": how the worst-classified examples are shown
    class_names: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what was adapted ("digits resized from 8×8 to 28×28")

    def __len__(self) -> int:
        return int(self.y[0].shape[0]) if self.y else 0


@dataclass(frozen=True)
class ModelSignature:
    inputs: tuple  # ((id, shape without batch), ...)
    outputs: tuple


def signature(graph) -> ModelSignature:
    """The model's Inputs and outputs with their shapes (batch dim dropped); ModelError for a graph with errors."""
    results = infer(graph)
    plan = make_plan(graph, results)
    return ModelSignature(tuple((n, tuple(results[n].shape[1:])) for n in plan.inputs),
                          tuple((n, tuple(results[n].shape[1:])) for n in plan.outputs))


def load_data(source: str, graph, label: str | None = None, max_bytes: int = DEFAULT_MAX_DATA_BYTES, *,
              features: list | None = None, resize: bool = False) -> Dataset:
    """Read `source` for this graph's model and check it (shapes, dtypes, lengths, NaN), or DataError.
    `features`: a CSV's feature columns (None: all but the label); `resize`: images of another height and width
    than the Input's are resized to fit (otherwise refused, with that remedy offered)."""
    sig = signature(graph)
    source = str(source).strip()
    if source == "digits":
        data = _digits(sig)
    elif "," in source and all(p.strip().lower().endswith(".npy") for p in source.split(",")):
        data = _npy_pair(source, sig, max_bytes)
    else:
        path = Path(source)
        if path.is_dir():
            data = _image_folder(path, sig)
        elif not path.exists():
            raise DataError(f"{quote(source)}: no such file or folder; give a .npz file, X.npy,Y.npy, a .csv "
                            "with --label, a folder of class sub-folders, or digits")
        elif path.suffix.lower() == ".npz":
            data = _npz(path, sig, max_bytes)
        elif path.suffix.lower() == ".csv":
            data = _csv(path, sig, label, features, max_bytes)
        else:
            raise DataError(f"{quote(source)}: not a data file this app reads; give a .npz file, X.npy,Y.npy, "
                            "a .csv with --label, a folder of class sub-folders, or digits")
    check_against_model(data, sig, resize)
    return data


# ---- the sources -------------------------------------------------------------------------------------------------

def _digits(sig: ModelSignature) -> Dataset:
    from sklearn.datasets import load_digits  # the data ships inside scikit-learn's package: no download

    if len(sig.inputs) != 1 or len(sig.outputs) != 1:
        raise DataError("digits: the digits have one input (an image) and one label, but the model has "
                        f"{len(sig.inputs)} Inputs and {len(sig.outputs)} outputs")
    bunch = load_digits()
    images = (bunch.images / 16.0).astype("float32")  # (1797, 8, 8), 0..1
    name, shape = sig.inputs[0]
    x, note = fit_images(images, shape, name, "the digits")
    notes = [note] if note else []
    data = Dataset([x], [bunch.target.astype("int64")], "digits", "images", [str(c) for c in range(10)], notes)
    data.x_names, data.y_names = ["the digits"], ["the digits' labels (0 to 9)"]
    return data


def fit_images(images: np.ndarray, shape: tuple, input_name: str, what: str):
    """Grey images (n, h, w) made to fit an Input of `shape`: (H, W, C) resized, channels repeated; (h*w,) flat.
    Returns (array, note or None)."""
    n, h, w = images.shape
    if len(shape) == 1 and shape[0] in (None, h * w):
        return images.reshape(n, h * w), None
    if len(shape) == 2 and tuple(shape) in ((h, w), (None, None)):
        return images, None
    if len(shape) == 3 and shape[2] in (1, 3):
        rows, cols, channels = shape
        rows, cols = rows or h, cols or w
        out = images[..., None]
        note = None
        if (rows, cols) != (h, w):
            import keras

            out = np.asarray(keras.ops.image.resize(out, (rows, cols), interpolation="bilinear"), dtype="float32")
            note = f"{what} are {h}×{w}: resized to {rows}×{cols} to fit {input_name}"
        return (np.repeat(out, channels, axis=-1) if channels == 3 else out), note
    raise DataError(f"{input_name} expects {_shape(shape)} but {what} are images of {h}×{w}; give {input_name} "
                    f"a shape of ({h}, {w}, 1), ({h * w},), or (H, W, 1) to resize them")


def _check_size(path: Path, max_bytes: int):
    if not path.is_file():
        raise DataError(f"{quote(str(path))}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise DataError(f"{quote(str(path))}: the file is empty")
    if size > max_bytes:
        raise DataError(f"{quote(str(path))}: {size / 1024**3:.1f} GB is more than the {max_bytes / 1024**3:.1f} GB "
                        "this app loads into memory; use a smaller sample, or the exported training script "
                        "(`export --training`), which streams nothing but loads the same way")


def _load_array(path: Path, max_bytes: int) -> np.ndarray:
    _check_size(path, max_bytes)
    try:
        return np.load(path, allow_pickle=False)  # never unpickle what a file holds
    except (ValueError, OSError, EOFError) as exc:
        raise DataError(f"{quote(str(path))}: not a NumPy file that can be read safely ({exc})") from None


def _npy_pair(source: str, sig: ModelSignature, max_bytes: int) -> Dataset:
    parts = [p.strip() for p in source.split(",")]
    if len(parts) != 2 or len(sig.inputs) != 1 or len(sig.outputs) != 1:
        raise DataError(f"{quote(source)}: a .npy pair is X.npy,Y.npy for a model with one Input and one output "
                        f"(this one has {len(sig.inputs)} and {len(sig.outputs)}); use a .npz named by node id")
    x, y = (_load_array(Path(p), max_bytes) for p in parts)
    return _arrays_dataset([x], [y], source, [parts[0]], [parts[1]])


def _npz(path: Path, sig: ModelSignature, max_bytes: int) -> Dataset:
    _check_size(path, max_bytes)
    try:
        archive = np.load(path, allow_pickle=False)
        names = list(archive.files)
    except (ValueError, OSError, EOFError) as exc:
        raise DataError(f"{quote(str(path))}: not a .npz archive that can be read safely ({exc})") from None
    inputs, outputs = [n for n, _ in sig.inputs], [n for n, _ in sig.outputs]
    if all(n in names for n in inputs + outputs):
        x_keys, y_keys = inputs, outputs
    elif len(inputs) == 1 and len(outputs) == 1 and {"x", "y"} <= set(names):
        x_keys, y_keys = ["x"], ["y"]
    else:
        missing = [n for n in inputs + outputs if n not in names]
        raise DataError(f"{quote(str(path))}: holds {', '.join(map(quote, names)) or 'no arrays'}; the model needs "
                        f"arrays named {', '.join(map(quote, missing))} (its Inputs and outputs by node id)"
                        + (", or x and y" if len(inputs) == 1 and len(outputs) == 1 else ""))
    try:
        x, y = [archive[k] for k in x_keys], [archive[k] for k in y_keys]
    except (ValueError, OSError, EOFError) as exc:
        raise DataError(f"{quote(str(path))}: an array cannot be read safely ({exc})") from None
    return _arrays_dataset(x, y, str(path), [f"{path.name}'s {quote(k)}" for k in x_keys],
                           [f"{path.name}'s {quote(k)}" for k in y_keys])


def _arrays_dataset(x, y, source, x_names, y_names) -> Dataset:
    for array, name in zip(x + y, x_names + y_names):
        if array.dtype.kind not in "biuf":
            raise DataError(f"{name} holds {array.dtype} values; training needs numbers (int or float)")
        if array.ndim == 0 or array.shape[0] == 0:
            raise DataError(f"{name} is empty (shape {array.shape}); it needs one row per example")
    x = [a.astype("float32") for a in x]  # what Keras computes in; int pixels become floats
    kind = "images" if any(a.ndim >= 3 for a in x) else "rows"
    data = Dataset(x, list(y), source, kind)
    data.x_names, data.y_names = x_names, y_names
    return data


def _csv(path: Path, sig: ModelSignature, label: str | None, features: list | None, max_bytes: int) -> Dataset:
    from builder.keras.training_csv import CsvProblem, is_float, read

    _check_size(path, max_bytes)
    if len(sig.inputs) != 1 or len(sig.outputs) != 1:
        raise DataError(f"{quote(str(path))}: a CSV feeds a model with one Input and one output; this one has "
                        f"{len(sig.inputs)} and {len(sig.outputs)}")
    try:
        rows, labels, chosen = read(path, label, features)
    except CsvProblem as exc:
        raise DataError(str(exc)) from None
    class_names = []
    if all(is_float(v) for v in labels):
        values = np.array([float(v) for v in labels])
        y = values.astype("int64") if np.all(values == np.round(values)) else values.astype("float32")
    else:
        class_names = sorted(set(labels))
        y = np.array([class_names.index(v) for v in labels], dtype="int64")
    data = Dataset([np.array(rows, dtype="float32")], [y], str(path), "rows", class_names)
    data.x_names = [f"{path.name}'s {len(chosen)} feature column(s)"]
    data.y_names = [f"{path.name}'s column {quote(label)}"]
    data.feature_names = chosen
    return data


def _image_folder(folder: Path, sig: ModelSignature) -> Dataset:
    if len(sig.inputs) != 1 or len(sig.outputs) != 1:
        raise DataError(f"{quote(str(folder))}: an image folder feeds a model with one Input and one output")
    name, shape = sig.inputs[0]
    classes = sorted(p.name for p in folder.iterdir() if p.is_dir())
    if not classes:
        raise DataError(f"{quote(str(folder))}: no sub-folders; put the images of each class in a sub-folder "
                        "named after the class")
    if not any(f.suffix.lower() in IMAGE_SUFFIXES for c in classes for f in (folder / c).iterdir()):
        raise DataError(f"{quote(str(folder))}: the class folders hold no images ({', '.join(IMAGE_SUFFIXES)})")
    if len(shape) != 3 or shape[2] not in (1, 3) or None in shape[:2]:
        raise DataError(f"{name} expects {_shape(shape)}, but images need an Input of (height, width, 1 or 3)")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    try:
        ds = keras.utils.image_dataset_from_directory(str(folder), image_size=shape[:2], batch_size=None,
                                                      color_mode="grayscale" if shape[2] == 1 else "rgb",
                                                      shuffle=False, verbose=False)
        pairs = list(ds.as_numpy_iterator())
    except Exception as exc:  # noqa: BLE001 -- a broken image is the person's file: say which problem Keras saw
        raise DataError(f"{quote(str(folder))}: Keras cannot read these images ({type(exc).__name__}: "
                        f"{str(exc)[:300]})") from None
    x = np.stack([p[0] for p in pairs]).astype("float32") / 255.0
    y = np.array([p[1] for p in pairs], dtype="int64")
    return Dataset([x], [y], str(folder), "images", classes,
                   [f"{len(y)} images of {len(classes)} classes, resized to {shape[0]}×{shape[1]}"])


# ---- the checks --------------------------------------------------------------------------------------------------

def check_against_model(data: Dataset, sig: ModelSignature, resize: bool = False):
    """Shapes, dtypes, lengths and NaN of the data against the model, in place (a missing channel axis is
    added; with `resize`, images of another size are resized to the Input's), or DataError naming the input and
    the remedy."""
    x_names = getattr(data, "x_names", [f"{data.source}'s features"] * len(data.x))
    y_names = getattr(data, "y_names", [f"{data.source}'s labels"] * len(data.y))
    lengths = {int(a.shape[0]) for a in data.x + data.y}
    if len(lengths) > 1:
        shown = ", ".join(f"{n}: {a.shape[0]:,}" for n, a in zip(x_names + y_names, data.x + data.y))
        raise DataError(f"{quote(data.source)}: the arrays have different numbers of examples ({shown}); each "
                        "needs one row per example")
    for i, ((name, shape), array, what) in enumerate(zip(sig.inputs, data.x, x_names)):
        if array.shape[1:] + (1,) == tuple(shape) or (len(shape) == 3 == array.ndim and shape[-1] in (1, 3)):
            array = data.x[i] = array[..., None]  # (n, 28, 28) grey images for an Input of (28, 28, 1): usual
        size = _resizable(array.shape[1:], shape)
        if size and resize:
            data.x[i] = array = _resize(array, shape)
            data.notes.append(f"{what} resized from {array_size(size)} to {shape[0]}×{shape[1]} to fit {name}")
        elif size:
            raise DataError(f"{name} expects {_shape(shape)} but {what} is {_shape(array.shape[1:])} per example: "
                            f"resize to {shape[0]}×{shape[1]}? (Resize in the Training dock, --resize on the "
                            f"command line, or set {name}'s shape to {_shape(array.shape[1:])})",
                            {"resize": [shape[0], shape[1]], "input": name})
        if not _fits(array.shape[1:], shape):
            raise DataError(f"{name} expects {_shape(shape)} but {what} is {_shape(array.shape[1:])} per example"
                            f"{_remedy(array.shape[1:], shape, name)}")
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise DataError(f"{what} holds NaN or infinite values (the first at example "
                            f"{int(np.argwhere(~np.isfinite(array))[0][0])}); clean or drop those rows")
    for (name, shape), array, what in zip(sig.outputs, data.y, y_names):
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise DataError(f"{what} holds NaN or infinite values; clean or drop those rows")
        _check_labels(name, shape, array, what)


def _check_labels(name: str, shape: tuple, labels: np.ndarray, what: str):
    units = shape[-1] if shape else None
    if labels.ndim == 1 and labels.dtype.kind in "iub" and units not in (None, 1):
        low, high = int(labels.min()), int(labels.max())
        if low < 0 or high >= units:
            raise DataError(f"{name} has {units} units (classes 0..{units - 1}) but {what} go from {low} to "
                            f"{high}; set {name}'s units to at least {high + 1}")
        return
    if labels.ndim == 1 and units in (None, 1):
        return
    if labels.shape[1:] != tuple(shape) and not _fits(labels.shape[1:], shape):
        raise DataError(f"{name} gives {_shape(shape)} per example but {what} are {_shape(labels.shape[1:])}; "
                        f"give integer class labels (one per example) or labels of shape {_shape(shape)}")


def _resizable(actual: tuple, expected: tuple):
    """(height, width) of images that fit the Input once resized (same channels, or grey for 1 or 3), else None."""
    if len(expected) != 3 or None in expected[:2] or len(actual) != 3 or not actual[0] or not actual[1]:
        return None
    if tuple(actual[:2]) == tuple(expected[:2]):
        return None
    channels_fit = actual[2] == expected[2] or (actual[2] == 1 and expected[2] in (1, 3))
    return tuple(actual[:2]) if channels_fit else None


def array_size(size: tuple) -> str:
    return "×".join(str(d) for d in size)


def _resize(images: np.ndarray, shape: tuple) -> np.ndarray:
    """Images resized to the Input's height and width with Keras (bilinear, as TensorFlow's image.resize), grey
    repeated to 3 channels when the Input wants colour; in chunks, so memory stays near the result's size."""
    import keras

    out = np.empty((len(images), shape[0], shape[1], images.shape[-1]), dtype="float32")
    for start in range(0, len(images), 4096):
        chunk = images[start:start + 4096].astype("float32")
        out[start:start + 4096] = np.asarray(keras.ops.image.resize(chunk, (shape[0], shape[1]),
                                                                    interpolation="bilinear"))
    return np.repeat(out, shape[2], axis=-1) if out.shape[-1] != shape[2] else out


def _fits(actual: tuple, expected: tuple) -> bool:
    return len(actual) == len(expected) and all(e is None or a == e for a, e in zip(actual, expected))


def _remedy(actual: tuple, expected: tuple, name: str) -> str:
    if len(actual) >= 2 and len(expected) == 3 and None not in expected[:2]:
        return f": resize the images to {expected[0]}×{expected[1]}, or set {name}'s shape to {_shape(actual)}"
    if int(np.prod(actual)) == int(np.prod([e or 1 for e in expected])):
        return f": reshape the data to {_shape(expected)}, or set {name}'s shape to {_shape(actual)}"
    return f": set {name}'s shape to {_shape(actual)}, or give data of {_shape(expected)}"


def _shape(shape) -> str:
    dims = [str(d) for d in shape]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"


