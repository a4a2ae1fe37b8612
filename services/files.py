"""Where uploaded files live: the data folder, under random names, outside anything served statically."""

from pathlib import Path

_data_dir: Path | None = None


def configure(data_dir: Path) -> None:
    global _data_dir
    _data_dir = data_dir.resolve()


def folder(name: str) -> Path:
    """A sub-folder of the data folder (created on first use)."""
    if _data_dir is None:
        raise RuntimeError('files not configured: call services.files.configure(data_dir) first')
    path = _data_dir / name
    path.mkdir(parents=True, exist_ok=True)
    return path
