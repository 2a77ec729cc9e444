"""CSV training data: a preview for the Training dock (column names, what each column holds, the first rows) and
the reading itself, with the label column and the feature columns chosen by name (`training.label`,
`training.features`; `--label`, `--features` on the command line).

Pure Python (the csv module): the window previews a file without Keras and without numpy. Every refusal is a
DataError (builder/keras/training_data.py) naming the file, the line or the column, and what to do.
"""

from __future__ import annotations

import csv
from pathlib import Path

from builder.quoting import quote

PREVIEW_ROWS = 8  # shown in the dock
SAMPLE_ROWS = 500  # read to tell each column's kind
MAX_CSV_ROWS = 5_000_000
MAX_FIELD = 1024 * 1024  # one cell; csv's own default limit is 128 KB and raises past it


class CsvProblem(ValueError):
    """The file cannot be previewed or read as asked; the message names the file and what to do."""


def _open(path: Path):
    if not path.is_file():  # not a folder, a FIFO or a device: they could block or never end
        raise CsvProblem(f"{quote(str(path))}: not a regular file")
    if path.stat().st_size == 0:
        raise CsvProblem(f"{quote(str(path))}: the file is empty; a CSV needs a header row and data rows")
    csv.field_size_limit(MAX_FIELD)
    return open(path, newline="", encoding="utf-8-sig", errors="replace")


def _header(path: Path, reader) -> list[str]:
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise CsvProblem(f"{quote(str(path))}: the first line is empty; a CSV needs a header row of column names")
    header = [h.strip() for h in header]
    seen = set()
    for name in header:
        if name in seen:
            raise CsvProblem(f"{quote(str(path))}: the column {quote(name)} appears twice in the header; give "
                             "every column its own name")
        seen.add(name)
    return header


def column_kind(values) -> str:
    """'int', 'float', 'text' or 'empty': what a column's cells hold (blank cells are left out)."""
    kind = "empty"
    for value in values:
        value = value.strip()
        if not value:
            continue
        if _is_int(value):
            kind = "int" if kind in ("empty", "int") else kind
        elif is_float(value):
            kind = "float" if kind != "text" else kind
        else:
            return "text"
    return kind


def preview(path, rows: int = PREVIEW_ROWS) -> dict:
    """{"columns": [...], "kinds": [...], "rows": [[cell, ...], ...] (the first `rows`), "sampled": n}: the kinds
    come from the first SAMPLE_ROWS rows. CsvProblem for a file that is not a readable CSV."""
    path = Path(path)
    try:
        with _open(path) as handle:
            reader = csv.reader(handle)
            header = _header(path, reader)
            sample = []
            for row in reader:
                if any(cell.strip() for cell in row):
                    sample.append(row)
                if len(sample) >= SAMPLE_ROWS:
                    break
    except (csv.Error, OSError) as exc:
        raise CsvProblem(f"{quote(str(path))}: not a CSV file that can be read ({exc})") from None
    columns = [[row[i] if i < len(row) else "" for row in sample] for i in range(len(header))]
    return {"columns": header, "kinds": [column_kind(c) for c in columns],
            "rows": [row[:len(header)] for row in sample[:rows]], "sampled": len(sample)}


def choose_columns(path, header: list[str], label: str | None, features: list | None) -> tuple[int, list[int]]:
    """(label index, feature indexes) for the names asked, or CsvProblem naming what is missing."""
    shown = ", ".join(map(quote, header[:20])) + (", …" if len(header) > 20 else "")
    if label is None:
        raise CsvProblem(f"{quote(str(path))}: say which column is the label (the Training dock's Label, or --label"
                         f"); the columns are {shown}")
    if label not in header:
        raise CsvProblem(f"{quote(str(path))}: there is no column {quote(label)}; the columns are {shown}")
    at = header.index(label)
    if features is None:
        return at, [i for i in range(len(header)) if i != at]
    missing = [f for f in features if f not in header]
    if missing:
        raise CsvProblem(f"{quote(str(path))}: there is no feature column {', '.join(map(quote, missing[:5]))}; the "
                         f"columns are {shown}")
    if label in features:
        raise CsvProblem(f"{quote(str(path))}: {quote(label)} is the label, so it cannot be a feature column too")
    return at, [header.index(f) for f in features]


def read(path, label: str | None, features: list | None = None) -> tuple[list[list[float]], list[str], list[str]]:
    """(feature rows as floats, label cells as text, the feature column names), or CsvProblem."""
    path = Path(path)
    try:
        with _open(path) as handle:
            reader = csv.reader(handle)
            header = _header(path, reader)
            at, chosen = choose_columns(path, header, label, features)
            rows, labels = [], []
            for line, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise CsvProblem(f"{quote(str(path))}, line {line}: {len(row)} values, but the header has "
                                     f"{len(header)} columns")
                try:
                    rows.append([float(row[i]) for i in chosen])
                except ValueError:
                    bad = next(i for i in chosen if not is_float(row[i]))
                    raise CsvProblem(f"{quote(str(path))}, line {line}: {quote(row[bad])} in column "
                                     f"{quote(header[bad])} is not a number; feature columns must hold numbers "
                                     "(leave that column out of the features)") from None
                labels.append(row[at].strip())
                if len(labels) > MAX_CSV_ROWS:
                    raise CsvProblem(f"{quote(str(path))}: more than {MAX_CSV_ROWS:,} rows; use a sample")
    except csv.Error as exc:
        raise CsvProblem(f"{quote(str(path))}: not a CSV file that can be read ({exc})") from None
    if not labels:
        raise CsvProblem(f"{quote(str(path))}: no data rows under the header")
    return rows, labels, [header[i] for i in chosen]


def is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True
