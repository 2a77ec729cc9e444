"""Shape and weight-count rules, by Keras layer family, agreeing with Keras 3 (channels_last).

A shape rule takes (params, inputs) where inputs is a list of Arriving(source, shape) in port order, shapes
include the batch dim and use None for unknown sizes. It returns the output shape or raises ShapeError with a
message that says what was expected, what arrived from which node, and how to fix it. A weight rule returns
(trainable, non_trainable) counts as Keras's `count_params` would report them.

Where Keras builds a graph that would then fail on real data, or run with other shapes than it declares
(Concatenate along the batch axis, a 'glu' activation, a Reshape that no input size can fit), the rule refuses
it: a model that cannot run as declared is an error here. tests/builder/test_keras_agreement.py checks every
rule against real Keras on generated graphs, test_shape_rules.py on tables of subtle cases.

    common.py  core.py  activation.py  convolution.py  pooling.py  merging.py  dot.py  reshaping.py
    normalization.py  recurrent.py  image.py  attention.py  wrappers.py
"""

from __future__ import annotations

from builder.catalog.rules.activation import (
    axes_shape,
    prelu_shape,
    prelu_weights,
    softmax_shape,
)
from builder.catalog.rules.attention import PORTS as ATTENTION_PORTS
from builder.catalog.rules.attention import (
    additive_attention_weights,
    attention_shape,
    attention_weights,
    multi_head_attention_shape,
    multi_head_attention_weights,
)
from builder.catalog.rules.common import (
    IMAGE,
    SEQUENCE,
    Arriving,
    ShapeError,
    as_one,
    as_pair,
    as_rank,
    axis_index,
    by,
    channels_first,
    fmt,
    image_channels,
    join_channels,
    layout,
    need_rank,
    need_spatial,
    no_weights,
    pair_text,
    same_shape,
    sizes_text,
    split_channels,
    window_out,
)
from builder.catalog.rules.convolution import (
    ConvRules,
    convolution_rules,
    strides_dilation_params,
)
from builder.catalog.rules.core import (
    activation_shape,
    check_activation,
    dense_shape,
    dense_weights,
    embedding_shape,
    embedding_weights,
    input_shape,
    relu_shape,
    rescaling_shape,
)
from builder.catalog.rules.dot import dot_shape
from builder.catalog.rules.image import augmentation_shape, to_size_shape
from builder.catalog.rules.merging import (
    add_shape,
    concatenate_shape,
    elementwise_shape,
)
from builder.catalog.rules.normalization import (
    batch_normalization_shape,
    batch_normalization_weights,
    group_normalization_shape,
    group_normalization_weights,
    layer_normalization_shape,
    layer_normalization_weights,
    normalization_shape,
    normalization_weights,
)
from builder.catalog.rules.pooling import (
    global_pooling_shape,
    pooling_shape,
)
from builder.catalog.rules.recurrent import (
    gru_weights,
    lstm_weights,
    recurrent_shape,
    simple_rnn_weights,
)
from builder.catalog.rules.reshaping import (
    cropping2d_shape,
    cropping_shape,
    flatten_shape,
    permute_shape,
    repeat_vector_shape,
    reshape_shape,
    up_sampling2d_shape,
    up_sampling_shape,
    zero_padding2d_shape,
    zero_padding_shape,
)

__all__ = [
    "ATTENTION_PORTS",
    "IMAGE",
    "SEQUENCE",
    "Arriving",
    "ConvRules",
    "ShapeError",
    "activation_shape",
    "add_shape",
    "additive_attention_weights",
    "as_one",
    "as_pair",
    "as_rank",
    "attention_shape",
    "attention_weights",
    "augmentation_shape",
    "axes_shape",
    "axis_index",
    "batch_normalization_shape",
    "batch_normalization_weights",
    "by",
    "channels_first",
    "check_activation",
    "concatenate_shape",
    "convolution_rules",
    "cropping2d_shape",
    "cropping_shape",
    "dense_shape",
    "dense_weights",
    "dot_shape",
    "elementwise_shape",
    "embedding_shape",
    "embedding_weights",
    "flatten_shape",
    "fmt",
    "global_pooling_shape",
    "group_normalization_shape",
    "group_normalization_weights",
    "gru_weights",
    "image_channels",
    "input_shape",
    "join_channels",
    "layer_normalization_shape",
    "layer_normalization_weights",
    "layout",
    "lstm_weights",
    "multi_head_attention_shape",
    "multi_head_attention_weights",
    "need_rank",
    "need_spatial",
    "no_weights",
    "normalization_shape",
    "normalization_weights",
    "pair_text",
    "permute_shape",
    "pooling_shape",
    "prelu_shape",
    "prelu_weights",
    "recurrent_shape",
    "relu_shape",
    "repeat_vector_shape",
    "rescaling_shape",
    "reshape_shape",
    "same_shape",
    "simple_rnn_weights",
    "sizes_text",
    "softmax_shape",
    "split_channels",
    "strides_dilation_params",
    "to_size_shape",
    "up_sampling2d_shape",
    "up_sampling_shape",
    "window_out",
    "zero_padding2d_shape",
    "zero_padding_shape",
]
