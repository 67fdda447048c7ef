"""question_bank/ is pure Python: importing every submodule loads no web, database or cache library."""

import json
import pathlib
import subprocess
import sys

import question_bank

FORBIDDEN = ("flask", "sqlalchemy", "redis", "quiz")
PACKAGE_DIR = pathlib.Path(question_bank.__file__).parent

SCRIPT = """
import importlib, json, pkgutil, sys
import question_bank
names = []
for info in pkgutil.walk_packages(question_bank.__path__, "question_bank."):
    importlib.import_module(info.name)
    names.append(info.name)
loaded = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"imported": names, "loaded": loaded}))
"""


def test_importing_every_submodule_loads_no_flask_sqlalchemy_redis_or_quiz():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        cwd=PACKAGE_DIR.parent,
        check=True,
    )
    report = json.loads(result.stdout)
    assert "question_bank.formats" in report["imported"]
    assert "question_bank.validation" in report["imported"]
    assert [name for name in FORBIDDEN if name in report["loaded"]] == []


def test_no_module_is_named_utils_helpers_or_misc_and_modules_stay_small():
    for path in PACKAGE_DIR.rglob("*.py"):
        assert path.stem not in {"utils", "helpers", "misc", "util", "common"}, path
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 450, f"{path} has {lines} lines"
