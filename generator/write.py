"""Put rendered files on disk: the one place that writes generated output."""

from __future__ import annotations

from pathlib import Path


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Write `{relative_path: bytes}` under `folder`, creating folders as needed."""
    for relative, data in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
