"""The first hour, measured (issue 13): a scripted run of the real main window that counts user actions.

    .venv/bin/python -m benchmarks.first_hour_actions          # offscreen; prints both counts and checks the model
    DISPLAY=:97 .venv/bin/python -m benchmarks.first_hour_actions --show   # the same, visibly, under Xvfb

It builds the seed CNN (resources/examples/cnn_28x28_three_kernels.json) from an empty canvas, then fixes the
padding mismatch of resources/examples/shape_mismatch.json on all three branches. Every step goes through the
widgets a person uses (the palette's list, scene mouse events on ports, the search popup's field, the inspector's
spin boxes and combo boxes, key chords on the canvas), and each counts as one action:

    a click, a double-click, a drag (press, move, release), a key chord, or one value typed into a field and
    ended with Enter or Tab (typing "128" then Tab is one action; clicking into the field first is another).

The built model is then checked against the seed: the same layers, wiring, output shapes and parameter counts.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsSceneMouseEvent

LEFT = Qt.MouseButton.LeftButton
SEED_PADDING_FIX_BUDGET, SEED_BUILD_BUDGET = 4, 30


class Driver:
    """A main window driven as a person would, counting each action."""

    def __init__(self, window):
        self.window, self.view = window, window.canvas
        self.actions: list[str] = []

    def act(self, what: str):
        self.actions.append(what)
        QApplication.processEvents()

    # ---- the palette and the popup ------------------------------------------------------------------------------

    def double_click_palette(self, layer: str):
        tree = self.window.palette.tree
        from gui.panels.palette import LAYER_ROLE

        item = next(i for i in tree.findItems(layer, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
                    if i.data(0, LAYER_ROLE) == layer)  # not the category of the same name
        tree.scrollToItem(item)
        at = tree.visualItemRect(item).center()
        # A person's double-click is press, release, press (a double-click event), release: QTest's mouseDClick
        # sends only the second half.
        QTest.mouseClick(tree.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, at)
        QTest.mouseDClick(tree.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, at)
        self.act(f"double-click {layer} in Layers")

    def type_in_popup(self, text: str):
        popup = self.view.add_popup
        assert popup is not None and popup.isVisible(), "no search popup is open"
        QTest.keyClicks(popup.search, text)
        QTest.keyClick(popup.search, Qt.Key.Key_Return)
        self.act(f"type {text!r} + Enter in the search popup")

    # ---- the canvas -----------------------------------------------------------------------------------------------

    def _scene_mouse(self, kind, pos, buttons):
        event = QGraphicsSceneMouseEvent(kind)
        event.setScenePos(pos)
        event.setLastScenePos(pos)
        event.setScreenPos(self.view.viewport().mapToGlobal(self.view.mapFromScene(pos)))
        event.setButton(LEFT)
        event.setButtons(buttons)
        QApplication.sendEvent(self.view.canvas_scene, event)

    def drag(self, start: QPointF, end: QPointF, what: str):
        self._scene_mouse(QEvent.Type.GraphicsSceneMousePress, start, LEFT)
        self._scene_mouse(QEvent.Type.GraphicsSceneMouseMove, (start + end) / 2, LEFT)
        self._scene_mouse(QEvent.Type.GraphicsSceneMouseMove, end, LEFT)
        self._scene_mouse(QEvent.Type.GraphicsSceneMouseRelease, end, Qt.MouseButton.NoButton)
        self.act(what)

    def output_port(self, node: str) -> QPointF:
        return self.view.canvas_scene.node_item(node).output_port.scenePos()

    def input_port(self, node: str) -> QPointF:
        item = self.view.canvas_scene.node_item(node)
        free = [p for p in item.input_ports if not p.is_taken()]
        return (free[-1] if free else item.input_ports[0]).scenePos()

    def wire_to_empty(self, node: str):
        start = self.output_port(node)
        self.drag(start, start + QPointF(120, 0), f"drag a wire from {node} to empty canvas")

    def wire(self, source: str, target: str):
        self.drag(self.output_port(source), self.input_port(target), f"drag a wire from {source} to {target}")

    def key(self, key, modifiers, what: str):
        QTest.keyClick(self.view, key, modifiers)
        self.act(what)

    def rubber_band(self, nodes: list[str]):
        """Press on empty canvas left of the nodes and drag across them: Qt's rubber band, on the viewport."""
        rects = [self.view.canvas_scene.node_item(n).sceneBoundingRect() for n in nodes]
        top_left = QPointF(min(r.left() for r in rects) - 20, min(r.top() for r in rects) - 20)
        bottom_right = QPointF(max(r.right() for r in rects) + 20, max(r.bottom() for r in rects) + 20)
        start, end = self.view.mapFromScene(top_left), self.view.mapFromScene(bottom_right)
        viewport = self.view.viewport()
        QTest.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, start)
        QTest.mouseMove(viewport, (start + end) / 2)
        QTest.mouseMove(viewport, end)
        QTest.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, end)
        self.act(f"rubber-band select {', '.join(nodes)}")

    # ---- the inspector ----------------------------------------------------------------------------------------------

    def _row(self, name: str):
        inspector = self.window.inspector
        return (inspector.multi.rows if inspector.multi.isVisible() else inspector.rows)[name]

    def type_number(self, param: str, text: str, end=Qt.Key.Key_Return):
        """Double-click the field (selects its number), then type the value and Enter or Tab: two actions."""
        editor = self._row(param).editor
        spin = getattr(editor, "spin", None) or editor.first
        line = spin.lineEdit()
        self.window.inspector.ensureWidgetVisible(spin)
        QTest.mouseClick(line, LEFT, Qt.KeyboardModifier.NoModifier, line.rect().center())
        QTest.mouseDClick(line, LEFT, Qt.KeyboardModifier.NoModifier, line.rect().center())
        line.selectAll()  # what the double-click selects: the number, here the whole text
        self.act(f"double-click {param}")
        QTest.keyClicks(line, text)
        QTest.keyClick(line, end)
        self.act(f"type {text!r} + {'Tab' if end == Qt.Key.Key_Tab else 'Enter'}")

    def type_in_focused_choice(self, text: str):
        """After Tab has moved to a combo box: typing picks the entry (Qt's keyboard search)."""
        combo = QApplication.focusWidget()
        QTest.keyClicks(combo, text)
        self.act(f"type {text!r} in the focused {combo.objectName() or 'choice'}")

    def choose(self, param: str, value: str):
        """Click the combo box (it opens), type the first letters of the entry, Enter: two actions."""
        combo = self._row(param).editor.combo
        self.window.inspector.ensureWidgetVisible(combo)
        QTest.mouseClick(combo, LEFT)
        self.act(f"click {param}")
        popup = QApplication.activePopupWidget()
        if popup is not None:  # a real popup list: keyboard search in it, Enter picks
            target = combo.view()
            QTest.keyClicks(target, value)
            QTest.keyClick(target, Qt.Key.Key_Return)
        else:  # no popup on this platform: the closed combo searches by keys too
            QTest.keyClicks(combo, value)
        if combo.currentText() != value:  # a platform whose popup ignores keys: pick it as the click would
            combo.setCurrentIndex(combo.findText(value))
            combo.activated.emit(combo.currentIndex())
        self.act(f"type {value!r} + Enter: {param} = {value}")


def build_seed_cnn(window) -> Driver:
    """The seed CNN from an empty canvas."""
    d = Driver(window)
    doc = window.controller.doc
    d.double_click_palette("Input")
    image = doc.node_ids()[-1]
    d.wire_to_empty(image)
    d.type_in_popup("Conv2D")
    conv_1 = window.controller.selected[0]
    d.choose("padding", "same")
    d.choose("activation", "relu")
    d.key(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
          "Ctrl+Shift+D: duplicate keeping inputs")
    conv_2 = window.controller.selected[0]
    d.type_number("kernel_size", "5")
    d.key(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
          "Ctrl+Shift+D: duplicate keeping inputs")
    conv_3 = window.controller.selected[0]
    d.type_number("kernel_size", "7")
    d.wire_to_empty(conv_1)
    d.type_in_popup("Concatenate")
    merged = window.controller.selected[0]
    d.wire(conv_2, merged)
    d.wire(conv_3, merged)
    d.wire_to_empty(merged)
    d.type_in_popup("Flatten")
    flatten = window.controller.selected[0]
    d.wire_to_empty(flatten)
    d.type_in_popup("Dense")
    dense = window.controller.selected[0]
    d.type_number("units", "128", end=Qt.Key.Key_Tab)
    d.type_in_focused_choice("relu")
    d.wire_to_empty(dense)
    d.type_in_popup("Dense")
    d.type_number("units", "10", end=Qt.Key.Key_Tab)
    d.type_in_focused_choice("softmax")
    d.built = {"image": image, "convs": [conv_1, conv_2, conv_3], "merged": merged}
    return d


def fix_padding(window) -> Driver:
    """The shape_mismatch example: all three branches to padding='same'."""
    d = Driver(window)
    d.rubber_band(["conv_3x3", "conv_5x5", "conv_7x7"])
    d.choose("padding", "same")
    return d


def same_model(a, b) -> str | None:
    """None when two graphs are the same model (layers and params by wiring, shapes, counts), else why not."""
    import builder

    ra, rb = builder.infer(a), builder.infer(b)
    sig_a = sorted((r.layer, r.shape, r.params) for r in ra.values())
    sig_b = sorted((r.layer, r.shape, r.params) for r in rb.values())
    if sig_a != sig_b:
        return f"layers, shapes or counts differ:\n  {sig_a}\n  {sig_b}"
    from builder.catalog.specs import spec_for

    def resolved(graph):  # Keras's defaults filled in: axis=-1 written or not is the same layer
        return sorted(f"{graph.nodes[n]['layer']} {sorted(spec_for(graph.nodes[n]['layer']).resolve(graph.nodes[n]['params']).items())}"
                      for n in graph)

    if resolved(a) != resolved(b):
        return f"params differ:\n  {resolved(a)}\n  {resolved(b)}"
    return None


def run(show: bool = False) -> dict:
    """Both runs in fresh windows; returns the counts and the actions."""
    if not show:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tempfile

    from PySide6.QtCore import QSettings

    import builder
    from gui.app import create_application
    from gui.files import EXAMPLES_DIR
    from gui.main_window import MainWindow

    app = create_application()
    folder = tempfile.mkdtemp(prefix="kc-first-hour-")
    outcome = {}
    for name, steps in (("build", build_seed_cnn), ("fix", fix_padding)):
        settings = QSettings(os.path.join(folder, f"{name}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, restore_layout=False)
        if name == "fix":
            window.files.open_example("shape_mismatch")
        window.show()
        window.activateWindow()
        QTest.qWaitForWindowExposed(window)
        window.canvas.resetTransform()
        window.canvas.centerOn(500, 0)
        app.processEvents()
        driver = steps(window)
        graph = window.controller.doc.graph
        if name == "build":
            problem = same_model(graph, builder.load(EXAMPLES_DIR / "cnn_28x28_three_kernels.json"))
        else:
            errors = [r.error for r in window.controller.results.values() if r.error]
            paddings = [window.controller.doc.params(c).get("padding") for c in ("conv_3x3", "conv_5x5", "conv_7x7")]
            problem = f"still errors: {errors}" if errors else None if paddings == ["same"] * 3 else f"{paddings}"
        outcome[name] = {"actions": driver.actions, "count": len(driver.actions), "problem": problem}
        window.controller.undo_stack.setClean()
        window.close()
    return outcome


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    outcome = run(show="--show" in argv)
    ok = True
    for name, budget, title in (("build", SEED_BUILD_BUDGET, "Build the seed CNN from an empty canvas"),
                                ("fix", SEED_PADDING_FIX_BUDGET, "Fix the padding mismatch on all three branches")):
        result = outcome[name]
        print(f"{title}: {result['count']} actions (budget {budget})")
        for i, what in enumerate(result["actions"], 1):
            print(f"  {i:2}. {what}")
        if result["problem"]:
            print(f"  NOT THE SAME MODEL: {result['problem']}")
        ok = ok and not result["problem"] and result["count"] <= budget
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
