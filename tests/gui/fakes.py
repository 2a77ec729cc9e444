"""Answers for the window's questions, so no test ever blocks on a modal dialog (see gui/dialogs.py).

    dialogs.answers["save_path"].append(str(tmp_path / "model.json"))
    dialogs.answers["ask_save_changes"].append("discard")

A question with no queued answer gets the cautious one (cancel, no path) and is recorded in `unanswered`,
which the window fixture checks is empty after each test.
"""

from __future__ import annotations

from collections import defaultdict


class FakeDialogs:
    def __init__(self):
        self.answers: dict[str, list] = defaultdict(list)
        self.asked: list[tuple] = []  # (method, arguments) in order
        self.unanswered: list[tuple] = []
        self.errors: list[tuple[str, str]] = []  # (title, message)
        self.infos: list[tuple[str, str]] = []

    def _answer(self, method: str, arguments: tuple, cautious):
        self.asked.append((method, arguments))
        if self.answers[method]:
            return self.answers[method].pop(0)
        self.unanswered.append((method, arguments))
        return cautious

    def ask_save_changes(self, name: str) -> str:
        return self._answer("ask_save_changes", (name,), "cancel")

    def open_path(self, directory: str = "") -> str | None:
        return self._answer("open_path", (directory,), None)

    def compare_path(self, directory: str = "") -> str | None:
        return self._answer("compare_path", (directory,), None)

    def import_path(self, directory: str = "") -> str | None:
        return self._answer("import_path", (directory,), None)

    def save_path(self, title: str, suggested: str, file_filter: str, suffix: str) -> str | None:
        return self._answer("save_path", (title, suggested, file_filter, suffix), None)

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        return self._answer("ask_text", (title, label, text), None)

    def ask_colour(self, title: str, initial: str) -> str | None:
        return self._answer("ask_colour", (title, initial), None)

    def ask_detach(self, message: str, block: str) -> bool:
        return self._answer("ask_detach", (message, block), False)

    def ask_restore(self, message: str) -> bool:
        return self._answer("ask_restore", (message,), False)

    def error(self, title: str, message: str):
        self.errors.append((title, message))

    def info(self, title: str, message: str):
        self.infos.append((title, message))
