"""A missing library of Qt's xcb plugin is named, with the Debian/Ubuntu packages to install, before Qt starts
(exit 3), instead of Qt aborting inside QApplication."""

from __future__ import annotations

import pytest

from cli import window as main  # the window's start-up checks (main.py is the entry point)

# environment -> whether Qt will use xcb
PLATFORMS = {
    "X11 display": ({"DISPLAY": ":0"}, True),
    "xcb asked for": ({"QT_QPA_PLATFORM": "xcb"}, True),
    "offscreen": ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, False),
    "Wayland session": ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, False),
    "no display": ({}, False),
}


def _environment(monkeypatch, env):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_only_xcb_is_checked(monkeypatch, platform):
    env, xcb = PLATFORMS[platform]
    _environment(monkeypatch, env)
    assert main.platform_is_xcb() is xcb
    missing = main.missing_xcb_libraries(loadable=lambda _library: False)
    assert bool(missing) is xcb


# libraries that cannot be loaded -> packages the message must name
MISSING = {
    "fresh Debian": ({"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}, ["libxcb-icccm4", "libxcb-keysyms1"]),
    "Qt 6.5 cursor": ({"libxcb-cursor.so.0"}, ["libxcb-cursor0"]),
    "xkbcommon": ({"libxkbcommon-x11.so.0"}, ["libxkbcommon-x11-0"]),
}


@pytest.mark.parametrize("case", list(MISSING))
def test_missing_libraries_are_named_with_their_packages_and_exit_3(monkeypatch, capsys, case):
    absent, packages = MISSING[case]
    _environment(monkeypatch, {"QT_QPA_PLATFORM": "xcb"})
    monkeypatch.setattr(main, "display_problem", lambda: None)
    monkeypatch.setattr(main, "_loadable", lambda library: library not in absent)
    assert main.open_window(None) == 3
    err = capsys.readouterr().err
    assert f"sudo apt-get install {' '.join(packages)}\n" in err
    assert all(library in err for library in absent) and "Traceback" not in err


def test_every_library_is_loadable_or_named():
    """The real lookup runs without raising, whatever this machine has."""
    for library, package in main.XCB_LIBRARIES:
        assert library.endswith(tuple(f".so.{n}" for n in range(10))) and package
        assert main._loadable(library) in (True, False)
