"""Named input ports on the canvas: an attention node shows query, value and key by its three ports."""

from tests.builder.test_named_ports import attention_doc
from tests.gui.canvas_driver import make_canvas, node_item


def test_attention_ports_carry_their_names_and_say_them_in_tooltips(qtbot):
    _controller, view = make_canvas(qtbot, attention_doc(key=False).graph)
    item = node_item(view, "att")
    assert [port.name for port in item.input_ports] == ["query", "value", "key"]
    assert item.output_port.name is None
    assert item.input_ports[0].tooltip_text() == "att query (input 0) ← q: (None, 5, 8)"
    assert item.input_ports[2].tooltip_text().startswith("att key (input 2): free")
    assert item.input_ports[2].boundingRect().width() > item.output_port.boundingRect().width()  # room for "key"


def test_plain_layers_keep_numbered_ports(qtbot):
    _controller, view = make_canvas(qtbot, attention_doc(key=False).graph)
    assert node_item(view, "q").output_port.name is None
