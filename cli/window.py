"""Opening the window: whether a display is there and Qt's X11 plugin can load, checked before Qt starts (Qt
aborts without them); the GUI is imported only here, inside the function that opens it."""

from __future__ import annotations

import ctypes
import os
import socket
import sys


def display_problem() -> str | None:
    """Why a window cannot open here, or None. Checked before Qt starts, since Qt aborts without a display."""
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return None
    if os.environ.get("WAYLAND_DISPLAY"):
        return None
    display = os.environ.get("DISPLAY")
    if not display:
        return "no display is available (DISPLAY is not set)"
    host, _, number = display.rpartition(":")
    number = number.split(".")[0]
    try:
        if host in ("", "unix"):
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(1)
                sock.connect(f"/tmp/.X11-unix/X{number}")
        else:
            socket.create_connection((host, 6000 + int(number)), timeout=1).close()
    except (OSError, ValueError):
        return f"cannot reach the display {display!r}"
    return None


def open_window(file: str | None, compare_with: str | None = None) -> int:
    problem = display_problem()
    if problem:
        print(f"keras-canvas: {problem}, so the window cannot open.\n"
              "Run it from a desktop session, or under a virtual screen with `xvfb-run python main.py`, or use "
              "the command line: `python main.py check FILE`, `export`, `build` (see --help).", file=sys.stderr)
        return 3
    missing = missing_xcb_libraries()
    if missing:
        packages = " ".join(dict.fromkeys(package for _library, package in missing))
        print(f"keras-canvas: Qt's X11 (xcb) platform plugin needs system libraries that are missing here: "
              f"{', '.join(library for library, _package in missing)}. On Debian or Ubuntu install them with\n"
              f"  sudo apt-get install {packages}\n"
              "then start the app again (or use the command line: `python main.py check FILE`, `export`, `build`).",
              file=sys.stderr)
        return 3
    from gui.app import run

    return run(file, compare_with=compare_with) if compare_with else run(file)


# What Qt 6's xcb platform plugin (PySide6/Qt/plugins/platforms/libqxcb.so and libQt6XcbQpa) loads, with the
# Debian/Ubuntu package of each. A missing one makes Qt abort inside QApplication with a message that names
# only the plugin; a fresh Debian lacked the first three.
XCB_LIBRARIES = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"), ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"), ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxkbcommon.so.0", "libxkbcommon0"), ("libxcb-util.so.1", "libxcb-util1"), ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-shape.so.0", "libxcb-shape0"), ("libxcb-shm.so.0", "libxcb-shm0"), ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"), ("libxcb-xkb.so.1", "libxcb-xkb1"), ("libxcb-render.so.0", "libxcb-render0"),
    ("libX11-xcb.so.1", "libx11-xcb1"), ("libxcb.so.1", "libxcb1"), ("libEGL.so.1", "libegl1"),
    ("libfontconfig.so.1", "libfontconfig1"), ("libdbus-1.so.3", "libdbus-1-3"),
)


def _loadable(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def platform_is_xcb() -> bool:
    """Whether Qt will use its X11 (xcb) plugin: asked for by name, or Linux with DISPLAY and no Wayland."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0] == "xcb"
    return sys.platform.startswith("linux") and bool(os.environ.get("DISPLAY")) and not os.environ.get(
        "WAYLAND_DISPLAY")


def missing_xcb_libraries(loadable=None) -> list[tuple[str, str]]:
    """(library, Debian package) for each library the xcb plugin needs that cannot be loaded; [] when Qt will
    not use xcb. Trying to load about twenty libraries takes a few milliseconds."""
    if not platform_is_xcb():
        return []
    loadable = loadable or _loadable
    return [(library, package) for library, package in XCB_LIBRARIES if not loadable(library)]


