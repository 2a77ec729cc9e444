"""The inspector never clips: at the dock's default width every row (editor and reset button) fits (issue 13)."""

from gui.controller import EditorController
from gui.panels.inspector import Inspector
from tests.gui.conftest import load_example


def test_conv2d_rows_fit_the_default_dock_width(qtbot):
    controller = EditorController()
    controller.replace_document(load_example("shape_mismatch"))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    inspector.resize(330, 900)
    inspector.show()
    for selection in (["conv_3x3"], ["conv_3x3", "conv_5x5", "conv_7x7"]):
        controller.select(selection)
        qtbot.wait(10)  # let the layout settle (no timing is asserted)
        rows = inspector.rows if len(selection) == 1 else inspector.multi.rows
        viewport = inspector.viewport().width()
        for name, row in rows.items():
            button = row.reset_button
            right = button.mapTo(inspector.viewport(), button.rect().topRight()).x()
            assert right <= viewport, f"{name}: reset button ends at {right}, the inspector shows {viewport}"
