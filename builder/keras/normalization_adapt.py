"""Normalization layers adapted to the training data before a fit: a Normalization node without mean and
variance (builder/catalog/specs_wrappers.py says so on the node) gets them from what reaches it when the training
inputs go through the layers before it, as `layer.adapt(data)` computes them. Layers are adapted in graph
order, so one that feeds another is adapted first and the second sees normalised values.
"""

from __future__ import annotations


def adapt_normalizations(model, inputs, batch_size: int = 256) -> list[str]:
    """Adapt every Normalization layer of `model` that has no given mean and variance to `inputs` (what the
    model's fit takes: one array, or a dict by input name). Returns the names of the layers adapted."""
    import keras

    adapted = []
    for layer in model.layers:  # a functional model lists its layers in graph order
        if not isinstance(layer, keras.layers.Normalization) or layer.input_mean is not None:
            continue
        feeding = keras.Model(model.inputs, layer.input)
        layer.adapt(feeding.predict(inputs, batch_size=batch_size, verbose=0))
        adapted.append(layer.name)
    return adapted
