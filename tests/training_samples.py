"""Small learnable datasets and models for the training tests, made in the test (the label follows from the
pixels or the values), so nothing is downloaded and an epoch takes a fraction of a second."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

import builder


def bright_quadrant_images(n: int = 240, size: int = 28, seed: int = 0):
    """(n, size, size, 1) float images with one bright quadrant; the label (0..3) is which one."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, n)
    images = rng.uniform(0, 0.2, (n, size, size, 1)).astype("float32")
    half = size // 2
    for image, label in zip(images, labels):
        row, col = divmod(int(label), 2)
        image[row * half:(row + 1) * half, col * half:(col + 1) * half] += 0.8
    return images, labels.astype("int64")


def small_cnn(size: int = 28, classes: int = 4, with_seed_settings: bool = False, normalized: bool = False):
    """Input -> Conv2D(4, 3) -> MaxPooling2D(4) -> Flatten -> Dense(classes, softmax): the seed CNN's shape, small.
    normalized: a Normalization without mean and variance (adapted to data) between the Input and the Conv2D."""
    doc = builder.GraphDocument()
    doc.add_node("image", "Input", {"shape": [size, size, 1]})
    chain = ["image"]
    if normalized:
        doc.add_node("norm", "Normalization", {})
        chain.append("norm")
    doc.add_node("conv", "Conv2D", {"filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"})
    doc.add_node("pool", "MaxPooling2D", {"pool_size": 4})
    doc.add_node("flatten", "Flatten", {})
    doc.add_node("classes", "Dense", {"units": classes, "activation": "softmax"})
    chain += ["conv", "pool", "flatten", "classes"]
    for a, b in pairwise(chain):
        doc.connect(a, b)
    if with_seed_settings:
        doc.graph.graph["training"] = {"epochs": 2, "batch_size": 32, "seed": 1, "learning_rate": 0.01}
    return doc.graph


def dense_regressor(features: int = 3):
    doc = builder.GraphDocument()
    doc.add_node("x", "Input", {"shape": [features]})
    doc.add_node("hidden", "Dense", {"units": 8, "activation": "relu"})
    doc.add_node("y", "Dense", {"units": 1})
    doc.connect("x", "hidden")
    doc.connect("hidden", "y")
    return doc.graph


def dense_classifier(features: int = 4, classes: int = 3):
    doc = builder.GraphDocument()
    doc.add_node("x", "Input", {"shape": [features]})
    doc.add_node("hidden", "Dense", {"units": 16, "activation": "relu"})
    doc.add_node("label", "Dense", {"units": classes, "activation": "softmax"})
    doc.connect("x", "hidden")
    doc.connect("hidden", "label")
    return doc.graph


def rows(n: int = 200, features: int = 4, classes: int = 3, seed: int = 0):
    """(n, features) floats; the label is which of the first `classes` features is largest."""
    x = np.random.default_rng(seed).normal(size=(n, features)).astype("float32")
    return x, np.argmax(x[:, :classes], axis=1).astype("int64")


def two_outputs(size: int = 12, classes: int = 4):
    """image -> conv -> flatten -> `digit` (softmax, which quadrant is bright) and `size` (linear, its brightness)."""
    doc = builder.GraphDocument()
    doc.add_node("image", "Input", {"shape": [size, size, 1]})
    doc.add_node("conv", "Conv2D", {"filters": 4, "kernel_size": 3, "activation": "relu"})
    doc.add_node("flatten", "Flatten", {})
    doc.add_node("digit", "Dense", {"units": classes, "activation": "softmax"})
    doc.add_node("size", "Dense", {"units": 1})
    for a, b in (("image", "conv"), ("conv", "flatten"), ("flatten", "digit"), ("flatten", "size")):
        doc.connect(a, b)
    return doc.graph
