"""Fixtures both operations test files use."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask


@pytest.fixture
def upload_folder(app: Flask, tmp_path: Path) -> Path:
    """Each test stores its files in a folder of its own (the config is restored afterwards)."""
    folder = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(folder)
    return folder
