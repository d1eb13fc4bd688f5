"""Configuration: defaults in one place, environment overrides, a persistent secret."""

from memoire import config


def test_environment_overrides_defaults(tmp_path):
    settings = config.load(environ={
        "MEMOIRE_HOME": str(tmp_path / "home"),
        "MEMOIRE_MEDIA_DIR": str(tmp_path / "m"),
        "MEMOIRE_MAX_FILE_BYTES": "1234",
        "MEMOIRE_INDEX_AFTER_COMMIT": "false",
    })
    assert settings["MEMOIRE_MAX_FILE_BYTES"] == 1234
    assert settings["MEMOIRE_INDEX_AFTER_COMMIT"] is False
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'home' / 'memoire.sqlite3'}"
    assert settings["MEMOIRE_MEDIA_DIR"] == str(tmp_path / "m")


def test_database_url_and_argument_win(tmp_path):
    settings = config.load(
        {"DATABASE_URL": "postgresql+psycopg://x/y", "HOME": str(tmp_path)},
        environ={"MEMOIRE_DATABASE_URL": "sqlite:///ignored"},
    )
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://x/y"


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = config.load({"HOME": str(tmp_path)}, environ={})["SECRET_KEY"]
    second = config.load({"HOME": str(tmp_path)}, environ={})["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_ids_from_user_input():
    from memoire.core.db import MAX_ID, parse_id

    assert parse_id("42") == 42 and parse_id(" 7 ") == 7
    for bad in ["²", "٣", "-1", "1e3", "", "abc", str(MAX_ID + 1), "9" * 30]:
        assert parse_id(bad) is None, bad
