"""A change to the project's `training` section (optimizer, epochs, data, CSV columns, ...) as one undo step, like
any other edit: the Training dock pushes one per setting changed, so Undo takes a setting back, the title shows the
project as modified, and the section is saved with the project. The section's checks are those of the project file
(builder/files/training_section.py); a refused value leaves the document as it was."""

from __future__ import annotations

from builder.editing.commands import Command
from builder.files.training_section import TrainingSettingsError, check_training, training_of
from builder.model.document import GraphDocument, GraphError

LABELS = {"optimizer": "optimizer", "learning_rate": "learning rate", "loss": "loss", "metrics": "metrics",
          "epochs": "epochs", "batch_size": "batch size", "validation_split": "validation split", "seed": "seed",
          "data": "data", "label": "label column", "features": "feature columns", "resize": "image resizing"}


class InvalidTraining(GraphError):
    """A training setting the project file would refuse; the message says where and what is expected."""


class SetTraining(Command):
    """Set training settings (`None` removes a key: it falls back to the suggestion); undo restores the section
    exactly as it was, an absent section included."""

    def __init__(self, changes: dict):
        self.changes = dict(changes)
        self.old: dict | None = None
        names = [LABELS.get(k, k) for k in self.changes]
        if len(self.changes) == 1:
            (value,) = self.changes.values()
            self.text = f"Set training {names[0]} to {_shown(value)[:60]}"
        else:
            self.text = f"Set training {', '.join(names)}"

    def do(self, doc: GraphDocument):
        graph = doc.graph
        section = training_of(graph)
        new = {**section, **self.changes}
        new = {k: v for k, v in new.items() if v is not None}
        try:
            new = check_training(new)
        except TrainingSettingsError as exc:
            raise InvalidTraining(str(exc)) from None
        self.old = dict(graph.graph["training"]) if "training" in graph.graph else None
        if new:
            graph.graph["training"] = new
        else:
            graph.graph.pop("training", None)

    def undo(self, doc: GraphDocument):
        if self.old is None:
            doc.graph.graph.pop("training", None)
        else:
            doc.graph.graph["training"] = dict(self.old)


def _shown(value) -> str:
    if value is None:
        return "suggested"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
