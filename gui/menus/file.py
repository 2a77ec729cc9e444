"""File: New, Open, Import Keras Model, Open Recent, Examples, Compare With File / Last Saved Version, Save, Save As,
Export Python, Export .keras, Export Image (PNG or SVG of the canvas), Quit."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from gui.canvas.image_export import export_image
from gui.menus.actions import Key, make_action


def build_file_menu(window, bar):
    files, exports = window.files, window.exports
    menu = bar.addMenu("&File")
    menu.addAction(make_action(window, "new", "&New", files.new, [Key.New], "Start an empty model"))
    menu.addAction(make_action(window, "open", "&Open…", files.open, [Key.Open], "Open a project file"))
    menu.addAction(make_action(window, "import", "&Import Keras Model…", window.imports.import_model, ["Ctrl+I"],
                               "Open a .keras, .h5 or model.to_json() file as a new project (Keras loads it in "
                               "the background)"))
    recent = QMenu("Open &Recent", window)
    recent.setToolTipsVisible(True)
    recent.aboutToShow.connect(lambda: files.fill_recent_menu(recent))
    menu.addMenu(recent)
    examples = QMenu("&Examples", window)
    examples.setToolTipsVisible(True)
    files.fill_examples_menu(examples)
    menu.addMenu(examples)
    window.recent_menu, window.examples_menu = recent, examples
    menu.addSeparator()
    menu.addAction(make_action(window, "compare_file", "Compare &With File…", window.compare.compare_with_file,
                               ["Ctrl+Alt+D"], "Compare this document with another project: side by side, or "
                               "marked on the canvas (gui/compare/)"))
    menu.addAction(make_action(window, "compare_saved", "Compare With &Last Saved Version",
                               window.compare.compare_with_saved, [],
                               "What changed since this document was last saved"))
    menu.addSeparator()
    menu.addAction(make_action(window, "save", "&Save", files.save, [Key.Save], "Save the project"))
    menu.addAction(make_action(window, "save_as", "Save &As…", files.save_as, [Key.SaveAs, "Ctrl+Shift+S"],
                               "Save the project under another name"))
    menu.addSeparator()
    menu.addAction(make_action(window, "export_python", "Export &Python…",
                               lambda: exports.export_python(window.code_preview.style), ["Ctrl+E"],
                               "Write a Python script that builds the model with Keras"))
    menu.addAction(make_action(window, "export_keras", "Export &Keras Model (.keras)…", exports.export_keras,
                               ["Ctrl+Shift+E"], "Build the model with Keras and save it as a .keras file"))
    menu.addSeparator()
    for suffix, label, key in ((".png", "Export Image as &PNG…", "Ctrl+Shift+P"),
                               (".svg", "Export Image as S&VG…", "Ctrl+Shift+V")):
        menu.addAction(make_action(window, f"export_image_{suffix[1:]}", label,
                                   lambda _=False, s=suffix: export_canvas_image(window, s), [key],
                                   "Save a picture of the graph (of the selected nodes when some are "
                                   "selected), with shapes and parameter counts, for papers and slides"))
    menu.addSeparator()
    menu.addAction(make_action(window, "quit", "&Quit", window.close, [Key.Quit, "Ctrl+Q"]))
    return menu


def export_canvas_image(window, suffix: str, path: str | None = None) -> str | None:
    """Ask where (unless `path` is given) and save the canvas, or its selected nodes, as PNG or SVG."""
    scene = window.canvas.canvas_scene
    selection_only = bool(scene.selected_node_ids())
    kind = "SVG drawings (*.svg)" if suffix == ".svg" else "PNG images (*.png)"
    path = path or window.dialogs.save_path("Export Image", window.files.suggested_path(suffix, "exports"), kind,
                                            suffix)
    if not path:
        return None
    window.files.remember_dir("exports", path)
    try:
        export_image(scene, path, selection_only)
    except (ValueError, OSError) as exc:
        window.dialogs.error("Export Image", str(exc))
        return None
    what = "the selected nodes" if selection_only else "the whole graph"
    window.status.show_info(f"Exported {what} to {path}")
    return path
