"""Files the terminal writes for a client (the network picture, the JSON of
/mijngegevens): beside the database, in owner-only folders, so an erase finds them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path


def files_folder(db_path: Path, client_id: str) -> Path:
    """The terminal's files for one client (picture, JSON export): beside the database,
    in folders only the owner can open, so an erase can find and remove them."""
    root = db_path.with_name(db_path.name + "-files")
    return root / re.sub(r"[^A-Za-z0-9_-]", "_", client_id)


def owner_only_folder(folder: Path) -> Path:
    for path in (folder.parent, folder):
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)
    return folder


def remove_files(db_path: Path, client_id: str) -> None:
    folder = files_folder(db_path, client_id)
    if folder.exists():
        shutil.rmtree(folder)
