"""The code preview follows every edit, coalesced; shows errors instead of code; switches style; copies."""

import pytest
from PySide6.QtGui import QGuiApplication

from builder.editing.commands import AddNode, Connect, Move, SetParam
from builder.keras.code_export import export_code
from gui.controller import EditorController
from gui.panels.code_preview import CodePreview
from tests.gui.conftest import load_example


@pytest.fixture
def preview(qtbot):
    controller = EditorController()
    controller.replace_document(load_example("cnn_28x28_three_kernels"))
    widget = CodePreview(controller)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.regenerations >= 1)
    return controller, widget


def test_shows_the_exported_code(preview):
    controller, widget = preview
    assert widget.text == export_code(controller.doc, "layer") and widget.ok


def test_follows_edits_coalesced_into_one_regeneration(preview, qtbot):
    controller, widget = preview
    count = widget.regenerations
    for filters in (8, 16, 24):
        controller.push(SetParam("conv_3x3", "filters", filters))
    qtbot.waitUntil(lambda: "filters=24" in widget.text)
    assert widget.regenerations == count + 1
    controller.push(Move({"conv_3x3": (5, 5)}))
    qtbot.wait(10)
    assert widget.regenerations == count + 1  # positions are not in the code


def test_style_switch_and_file_choice(qtbot):
    controller = EditorController()
    controller.replace_document(load_example("dense_branches_function"))
    widget = CodePreview(controller)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.style == "function"  # the file asks for it
    qtbot.waitUntil(lambda: "layers.concatenate([" in widget.text)
    widget.set_style("layer")
    qtbot.waitUntil(lambda: "layers.Concatenate(" in widget.text)


def test_errors_shown_instead_of_code(preview, qtbot):
    controller, widget = preview
    controller.push(SetParam("conv_5x5", "padding", "valid"))
    qtbot.waitUntil(lambda: not widget.ok)
    assert widget.text.startswith("# No code yet")
    assert "merged: Concatenate needs equal sizes" in widget.text
    assert not widget.copy_button.isEnabled()


def test_hidden_preview_does_not_regenerate_until_shown(preview, qtbot):
    controller, widget = preview
    widget.hide()
    count = widget.regenerations
    controller.push(SetParam("dense", "units", 64))
    qtbot.wait(10)
    assert widget.regenerations == count
    widget.show()
    qtbot.waitUntil(lambda: "units=64" in widget.text)


def test_copy_puts_the_code_on_the_clipboard(preview, qtbot):
    _controller, widget = preview
    with qtbot.waitSignal(widget.copied):
        widget.copy_button.click()
    assert QGuiApplication.clipboard().text() == widget.text


def test_empty_graph_says_what_to_do(qtbot):
    controller = EditorController()
    widget = CodePreview(controller)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.regenerations >= 1)
    assert "no Input node" in widget.text
    controller.push(AddNode("x", "Input", {"shape": [4]}))
    controller.push(AddNode("y", "Dense", {"units": 2}))
    controller.push(Connect("x", "y"))
    qtbot.waitUntil(lambda: widget.ok)


def test_a_long_script_goes_into_the_view_piece_by_piece_keeping_the_scroll_position(qtbot):
    """setPlainText of a 10,000-line script held the window (issue 18): a long text is added a piece per turn of
    the event loop, the whole of it known at once (copy, save), and the reader's scroll position kept."""
    from gui import code_view
    from gui.code_view import CodeView

    view = CodeView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    lines = [f"x_{i} = layers.Dense({i})(x_{i - 1})\n" for i in range(3 * code_view.SLICE_LINES + 10)]
    view.show_code("".join(lines))
    assert view.text() == "".join(lines) and view.filling  # known whole; in the view: the first piece only
    assert view.document().blockCount() <= code_view.SLICE_LINES + 1
    qtbot.waitUntil(lambda: not view.filling, timeout=10_000)
    assert view.toPlainText() == "".join(lines)
    view.verticalScrollBar().setValue(500)
    lines[2] = "changed = 1\n"
    view.show_code("".join(lines))
    qtbot.waitUntil(lambda: not view.filling, timeout=10_000)
    assert view.toPlainText() == "".join(lines) and view.verticalScrollBar().value() == 500
    assert not view.document().isUndoAvailable()
