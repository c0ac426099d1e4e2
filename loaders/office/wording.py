"""How the import's report speaks: every label and sentence in Chinese and
English, in one place (the CLI summary and the review workbook both read it).
"""
from __future__ import annotations

LANGS = ("zh", "en")

#: key -> (Chinese, English)
TEXT: dict[str, tuple[str, str]] = {
    # report columns (review.xlsx 导入报告 sheet and the terminal table)
    "file": ("文件", "file"),
    "sheet": ("工作表", "sheet"),
    "table": ("识别为", "read as"),
    "header_rows": ("表头行", "header rows"),
    "rows_read": ("读取行数", "rows read"),
    "record_rows": ("成为记录的行", "rows → records"),
    "records": ("记录数", "records"),
    "non_data": ("非数据行", "non-data rows"),
    "rejected": ("拒收行", "rejected rows"),
    "unaccounted": ("未归类行", "rows unaccounted"),
    "unit": ("单位", "unit"),
    "round": ("轮次", "round"),
    "notes": ("说明", "notes"),
    "row": ("行", "row"),
    "column": ("列", "column"),
    "value": ("值", "value"),
    "reason": ("原因", "reason"),
    "what": ("核对项", "figure"),
    "office": ("台账所列", "ledger says"),
    "imported": ("导入所得", "imported"),
    "matches": ("一致", "agrees"),
    "convention": ("口径", "convention"),
    "text": ("原文", "as written"),
    "written": ("写入行数", "rows written"),
    # sheet names of review.xlsx
    "sheet_review": ("待核对", "review"),
    "sheet_report": ("导入报告", "import report"),
    "sheet_rejected": ("拒收", "rejected"),
    "sheet_totals": ("合计核对", "totals check"),
    "sheet_tables": ("写入的表", "tables written"),
    # values
    "no_table": ("未识别（表头与任何数据表都不匹配）", "not recognised (header matches no table)"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "unknown": ("无法核对", "cannot check"),
    "ongoing_done": ("持续整改/长期坚持计为已完成", "ongoing (持续整改) counted as done"),
    "ongoing_open": ("持续整改/长期坚持计为未完成", "ongoing (持续整改) counted as not done"),
    "unaccounted_reason": ("读取了但未归入记录、非数据行或拒收（导入程序的缺陷，请报告）",
                           ("read but neither a record, a non-data row nor rejected "
                           "(a bug of the import; please report it)")),
    "no_table_reason": ("工作表与任何数据表都不匹配，其中的行未导入",
                        "the sheet matches no table; its rows were not imported"),
    # the command's summary
    "reading": ("读取台账 …", "reading ledgers …"),
    "done_ok": ("导入完成：读取 {read} 行，全部归类（记录或非数据行）；写入 {tables} 张表 {rows} 行到 {out}",
                ("imported: {read} rows read, every one accounted for (records or non-data rows); "
                "{rows} rows in {tables} tables written to {out}")),
    "done_partial": (("导入不完整：读取 {read} 行，其中 {rejected} 行被拒收，未进入 {out}；"
                     "拒收清单见 {report} 和 {review}（“拒收”表）"),
                     ("import incomplete: of {read} rows read, {rejected} were rejected and are "
                     "not in {out}; the list is in {report} and {review} (sheet \"rejected\")")),
    "review_items": (("待核对的匹配 {n} 项：在 {review}（“待核对”表）填写接受/拒绝后，用 "
                     "linkgraph import … --decisions {review} 重新导入"),
                     ("{n} matches to review: fill in accept/reject in {review} (sheet "
                     "\"review\"), then import again with --decisions {review}")),
    "no_review": ("没有待核对的匹配", "no match left to review"),
    "mismatch": ("合计不符：{file}[{sheet}] 第{row}行“{text}”的{what}写 {office}，导入得 {imported}",
                 ("total disagrees: {file}[{sheet}] row {row} \"{text}\": {what} {office}, the "
                 "import counted {imported}")),
    "convention_line": ("{file}[{sheet}] 的“{text}”与导入结果一致，口径为：{convention}",
                        "{file}[{sheet}] \"{text}\" follows the convention: {convention}"),
    "completion_line": (("整改措施 {measures} 项：已完成 {done}，持续整改/长期坚持 {ongoing}，其余 "
                        "{not_done}；完成率 {rate_done}（持续整改计为已完成）/ {rate_open}（计为未完成）"),
                        ("measures: {measures}, done {done}, ongoing {ongoing}, other "
                        "{not_done}; completion {rate_done} (ongoing counted as done) / "
                        "{rate_open} (counted as not done)")),
    "unmatched_sheet": ("未识别的工作表：{file}[{sheet}]（{rows} 行未导入）",
                        "sheet not recognised: {file}[{sheet}] ({rows} rows not imported)"),
    "more_rejected": ("… 另有 {n} 行未显示，全部见 {report}", "… {n} more, all in {report}"),
    "next_step": ("下一步：linkgraph validate {out}", "next: linkgraph validate {out}"),
    # non-data kinds
    "kind_title": ("标题", "title"),
    "kind_meta": ("填报信息", "meta"),
    "kind_header": ("表头", "header"),
    "kind_section": ("分类行", "section"),
    "kind_total": ("合计", "total"),
    "kind_signature": ("签字栏", "signature"),
    "kind_legend": ("图例", "legend"),
    "kind_blank": ("空行", "blank"),
    "kind_note": ("备注", "note"),
    # what a total counts
    "what_records": ("条数", "records"),
    "what_items": ("条数", "entries"),
    "what_people": ("人数", "people"),
    "what_done": ("已完成数", "done"),
    "what_rate": ("完成率", "completion rate"),
    "what_units": ("单位数", "units"),
}

#: canonical table -> (Chinese, English) for the user
TABLE_NAMES: dict[str, tuple[str, str]] = {
    "regions": ("区域", "regions"), "units": ("单位", "units"), "people": ("人员", "people"),
    "posts": ("任职", "posts"), "ties": ("社会关系", "ties"), "rounds": ("巡察轮次", "rounds"),
    "teams": ("巡察组", "teams"), "team_members": ("巡察组成员", "team members"),
    "assignments": ("巡察安排", "assignments"), "problems": ("问题", "problems"),
    "leads": ("问题线索", "leads"), "departments": ("部门", "departments"),
    "measures": ("整改措施", "measures"), "audits": ("审计发现", "audit findings"),
    "petitions": ("信访举报", "petitions"),
}


def t(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return en if lang == "en" else zh


def table_name(table: str | None, lang: str) -> str:
    if table is None:
        return t("no_table", lang)
    zh, en = TABLE_NAMES.get(table, (table, table))
    return f"{zh}（{table}）" if lang != "en" else en


def kind_name(kind: str, lang: str) -> str:
    key = f"kind_{kind}"
    return t(key, lang) if key in TEXT else kind


def what_name(what: str, lang: str) -> str:
    """What an office total counts, in words (``section:作风建设方面`` → 作风建设方面的问题数)."""
    key = f"what_{what}"
    if key in TEXT:
        return t(key, lang)
    kind, _, rest = what.partition(":")
    if kind == "section" and rest:
        return f"problems under {rest}" if lang == "en" else f"{rest}的问题数"
    if kind == "status" and rest:
        from linkgraph.vocab import LABELS_ZH

        word = rest if lang == "en" else LABELS_ZH.get("status", {}).get(rest, rest)
        return f"entries {word}" if lang == "en" else f"{word}的条数"
    return what


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
