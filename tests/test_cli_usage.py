"""Click's usage errors in both languages, with the nearest word suggested."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import DATA


@pytest.mark.parametrize("argv, expected", [
    (["rotat", "x"], "没有命令 'rotat'，您是否要找 'rotate'？ / No such command 'rotat'. "
                     "Did you mean 'rotate'?"),
    (["neo4j", "psh"], "没有命令 'psh'，您是否要找 'push'？"),
    (["rotate", "x", "--no-reciprocl"], "没有选项 '--no-reciprocl'，您是否要找 "
                                        "'--no-reciprocal'？ / No such option"),
    (["rotate", "x", "--solver", "cpsat"], "'--solver' 的值应为 'assignment'、'milp'、'cp-sat' "
                                           "之一，您是否要找 'cp-sat'？"),
    (["generate"], "缺少参数 'OUT' / Missing argument 'OUT'."),
    (["stats", "a", "b"], "多余的参数 b / Got unexpected extra argument (b)"),
    (["leads", str(DATA / "tiny"), "--as-of"], "选项 '--as-of' 需要取值"),
])
def test_usage_errors_are_bilingual(argv, expected):
    proc = subprocess.run([sys.executable, "-m", "linkgraph", *argv], capture_output=True,
                          text=True, encoding="utf-8")
    assert proc.returncode == 2
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_unrelated_word_gets_no_suggestion(invoke):
    result = invoke("zzz")
    assert result.exit_code == 2
    assert "没有命令 'zzz' / No such command 'zzz'." in result.output
    assert "您是否要找" not in result.output
