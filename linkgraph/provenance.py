"""Provenance: what every output says about where it came from.

The input files' SHA-256, the linkgraph version, the command with its
parameters, and the generation time, so a figure in a report can be traced
to the ledgers it came from.  The time honours ``SOURCE_DATE_EPOCH`` (the
reproducible-builds convention): set it and the same input, parameters and
seed give byte-identical files.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from linkgraph import __version__


def generated_at() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    else:
        moment = dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Provenance:
    command: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    inputs: Sequence[Mapping[str, Any]] = ()
    version: str = __version__
    generated_at: str = field(default_factory=generated_at)

    def as_record(self) -> dict[str, Any]:
        return {
            "linkgraph_version": self.version,
            "command": self.command,
            "parameters": {k: _plain(v) for k, v in sorted(self.parameters.items())},
            "inputs": [dict(i) for i in self.inputs],
            "generated_at": self.generated_at,
        }

    def rows(self, lang: str | None = None) -> list[dict[str, str]]:
        """Key/value rows for an XLSX sheet or an HTML footer (来源): both
        languages, or with ``lang`` one language under "item"/"value"."""
        if lang is not None:
            return self._rows(lang)
        rec = self.as_record()
        rows = [{"项目 / item": "linkgraph 版本 / version", "值 / value": rec["linkgraph_version"]},
                {"项目 / item": "命令 / command", "值 / value": rec["command"]},
                {"项目 / item": "生成时间 / generated at", "值 / value": rec["generated_at"]}]
        for k, v in rec["parameters"].items():
            rows.append({"项目 / item": f"参数 / parameter {k}", "值 / value": str(v)})
        for i in rec["inputs"]:
            rows.append({"项目 / item": f"输入 / input {i['path']}",
                         "值 / value": f"sha256:{i['sha256']} ({i['size']} bytes)"})
        return rows


    def _rows(self, lang: str) -> list[dict[str, str]]:
        en = lang == "en"
        rec = self.as_record()
        rows = [("linkgraph version" if en else "linkgraph 版本", rec["linkgraph_version"]),
                ("command" if en else "命令", rec["command"]),
                ("generated at" if en else "生成时间", rec["generated_at"])]
        rows += [(f"{'option' if en else '参数'} --{k.replace('_', '-')}", _shown(v, en))
                 for k, v in rec["parameters"].items()]
        rows += [(f"{'input' if en else '输入'} {i['path']}",
                  f"sha256:{i['sha256']} ({i['size']} {'bytes' if en else '字节'})")
                 for i in rec["inputs"]]
        return [{"item": k, "value": v} for k, v in rows]


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _shown(value: Any, en: bool) -> str:
    """A parameter's value as a reader sees it: yes/no, — for none."""
    if isinstance(value, bool):
        return ("yes" if value else "no") if en else ("是" if value else "否")
    if value is None or value == "":
        return "—"
    return str(value)
