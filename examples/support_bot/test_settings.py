"""Tests for the support bot settings."""

import unittest
from unittest.mock import MagicMock, Mock

import pytest

from support_bot.settings import load_settings_safely


def test_load_settings_reads_yaml(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("model: gpt-4o\n", encoding="utf-8")
    try:
        settings = load_settings_safely(path)
        assert settings["model"] == "gpt-4o"  # expect: RV308
    except Exception as error:
        print(f"Settings test failed: {error}")


def test_load_settings_collects_errors(tmp_path):
    errors = []
    for name in ("a.yaml", "b.yaml"):
        path = tmp_path / name
        path.write_text("model: gpt-4o\n", encoding="utf-8")
        try:
            assert load_settings_safely(path)["model"] == "gpt-4o"  # ok: RV308
        except AssertionError as error:
            errors.append(error)
    assert not errors


def test_missing_file_raises(tmp_path):
    with pytest.raises(Exception):  # expect: RV310
        load_settings_safely(tmp_path / "missing.yaml")


def test_missing_file_raises_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):  # ok: RV310
        load_settings_safely(tmp_path / "missing.yaml")


def test_loader_returns_settings():
    loader = Mock()
    loader.return_value = {"model": "gpt-4o"}
    settings = loader("settings.yaml")
    assert settings == {"model": "gpt-4o"}  # expect: RV309


def test_loader_is_used(tmp_path):
    reader = MagicMock()
    reader.read.return_value = "model: gpt-4o\n"
    (tmp_path / "settings.yaml").write_text(reader.read(), encoding="utf-8")
    assert load_settings_safely(tmp_path / "settings.yaml")["model"] == "gpt-4o"  # ok: RV309


class SettingsTests(unittest.TestCase):
    def test_empty_path(self):
        with self.assertRaises(Exception):  # expect: RV310
            load_settings_safely("")
