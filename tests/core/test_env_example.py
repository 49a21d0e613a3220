import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_read_by_settings_is_documented():
    settings_source = (ROOT / "cchc_portal" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "the pattern found no variable: the test itself is broken"
    assert read - documented == set()
