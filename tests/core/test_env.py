import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_choice, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("1", True), ("YES", True), ("off", False), ("0", False), ("", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_env_bool_fails_loudly_on_a_typo(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG")


def test_env_int_rejects_words_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_NUMBER", "-3")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_NUMBER", 1, minimum=0)
    monkeypatch.setenv("SOME_NUMBER", "42")
    assert env_int("SOME_NUMBER", 1) == 42


def test_env_str_required_and_file_variant(monkeypatch, tmp_path):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="required"):
        env_str("SOME_SECRET", required=True)
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-docker-secret\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret_file))
    assert env_str("SOME_SECRET", required=True) == "from-a-docker-secret"


def test_env_list_and_choice(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("MODE", "staging")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("MODE", ("development", "production"), "development")
