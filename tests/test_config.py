from __future__ import annotations

from pathlib import Path

import pytest

from paperradio.config import SETTINGS, Settings, load_settings
from paperradio.errors import ConfigError


def test_defaults_put_everything_under_home(tmp_path: Path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'paperradio.db'}"
    assert settings.featured_count == 7 and settings.section_size == 10
    assert settings.editions == ("en", "zh")


def test_precedence_defaults_file_env_flags(tmp_path: Path) -> None:
    config = tmp_path / "paperradio.toml"
    config.write_text('featured_count = 5\nsection_size = 8\nradio = false\n[rank_weights]\ncode = 2\n')
    settings = load_settings(config, env={"PAPERRADIO_SECTION_SIZE": "6", "PAPERRADIO_HOME": str(tmp_path),
                                          "UNRELATED": "1"},
                             overrides={"featured_count": 3})
    assert settings.featured_count == 3  # flag beats file
    assert settings.section_size == 6  # environment beats file
    assert settings.radio is False
    assert settings.rank_weights == {"code": 2.0}
    assert settings.home == tmp_path


def test_bad_values_name_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="featured_count"):
        load_settings(env={"PAPERRADIO_FEATURED_COUNT": "many"})
    bad = tmp_path / "bad.toml"
    bad.write_text("featured_count = [")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("featurd_count = 3")
    with pytest.raises(ConfigError, match="unknown setting 'featurd_count'"):
        load_settings(unknown)
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml")


def test_settings_table_matches_dataclass() -> None:
    assert [s.name for s in SETTINGS] == list(Settings.__dataclass_fields__)
