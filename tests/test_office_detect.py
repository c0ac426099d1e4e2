"""``office_words``: does a folder of text ledgers look like office 台账?

It reads only the first 64 KiB of a CSV.  A cut there can fall inside a
character; the head must still be read in the file's own encoding (a UTF-8
head cut inside a Chinese character once failed strict UTF-8 and was then
read as GB18030, which turned every word into nonsense and lost the hint).
"""
from __future__ import annotations


import pytest

from loaders.office.detect import TOP_BYTES, office_words
from loaders.text import decode_text

HEADER = "序号,被反映人,具体问题,整改措施,整改时限\n"
#: The office words of HEADER, by hand: all five are in OFFICE_WORDS; no row
#: below holds another one.
WORDS = sorted(["序号", "被反映人", "具体问题", "整改措施", "整改时限"])


def _ledger(encoding: str, width: int, split_at: int) -> bytes:
    """A CSV in ``encoding`` whose byte ``TOP_BYTES`` falls ``split_at`` bytes
    into a character of ``width`` bytes (甲乙丙丁 rows, then one more 甲)."""
    data = HEADER.encode(encoding)
    i = 1
    while len(data) < TOP_BYTES - 200:
        data += f"{i},甲乙丙丁,乙丙丁甲,丙丁甲乙,2024-01-01\n".encode(encoding)
        i += 1
    # pad with ASCII so that the next character starts split_at bytes before the cut
    data += b"x" * (TOP_BYTES - split_at - len(data))
    data += "甲".encode(encoding) * 10 + b"\n"
    assert len("甲".encode(encoding)) == width
    return data


@pytest.mark.parametrize("encoding, width", [("utf-8", 3), ("gb18030", 2)])
def test_a_head_cut_inside_a_character_is_read_in_its_own_encoding(tmp_path, encoding, width):
    for split_at in range(1, width):
        data = _ledger(encoding, width, split_at)
        start = TOP_BYTES - split_at
        with pytest.raises(UnicodeDecodeError):   # the cut really splits a character
            data[:TOP_BYTES].decode(encoding)
        assert data[start:start + width].decode(encoding) == "甲"
        folder = tmp_path / f"{encoding}-{split_at}"
        folder.mkdir()
        (folder / "整改台账.csv").write_bytes(data)
        assert office_words(folder) == WORDS


def test_the_utf8_head_is_not_taken_for_gb18030():
    """The bytes that fooled the old loop: cut two bytes into a three-byte
    character, strict UTF-8 refuses them and strict GB18030 accepts them."""
    data = _ledger("utf-8", 3, 2)[:TOP_BYTES]
    data.decode("gb18030")          # no error: GB18030 reads UTF-8 Chinese as nonsense
    text = decode_text(data, "head.csv", complete=False)
    assert text.startswith(HEADER) and text.endswith("x")


def test_a_contract_table_is_not_office_ledgers(tmp_path):
    (tmp_path / "problems.csv").write_text("问题编码,序号,具体问题\nP1,1,甲\n", "utf-8")
    assert office_words(tmp_path) == []


def test_a_binary_file_named_csv_gives_no_hint(tmp_path):
    (tmp_path / "台账.csv").write_bytes(b"\x00\x01\x02" * 100)
    assert office_words(tmp_path) == []
