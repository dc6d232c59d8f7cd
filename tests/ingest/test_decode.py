"""Files arrive as UTF-8, UTF-8 with BOM or GBK/GB18030; lines are streamed, not read whole."""

from pathlib import Path

from sentinel.ingest.decode import detect_encoding, iter_decoded_lines
from sentinel.ingest.sources import iter_file_lines

LINES = ['{"source": "forum", "text": "梅岭县双河乡拖欠工资，俺们讨薪三个月了"}', '{"source": "news", "text": "後來死亡人數升至12人"}']


def write(path: Path, encoding: str) -> Path:
    path.write_bytes("\n".join(LINES).encode(encoding) + b"\n")
    return path


def test_each_encoding_yields_the_same_lines(tmp_path: Path) -> None:
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
        path = write(tmp_path / f"{encoding}.jsonl", encoding)
        got = [line for line, _ in iter_file_lines(path)]
        assert got == LINES, encoding


def test_detection_of_gbk_and_bom() -> None:
    assert detect_encoding("拖欠工资".encode("gbk")) == "gb18030"
    assert detect_encoding(b"\xef\xbb\xbf{}") == "utf-8-sig"
    assert detect_encoding("拖欠工资".encode()) == "utf-8"


def test_multibyte_character_split_across_chunks_is_decoded() -> None:
    data = ("爆炸" * 10 + "\n" + "事故").encode()
    chunks = [data[i : i + 5] for i in range(0, len(data), 5)]  # cuts characters in half
    assert [line for line, _ in iter_decoded_lines(chunks)] == ["爆炸" * 10, "事故"]


def test_origin_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "in.jsonl", "utf-8")
    assert [origin for _, origin in iter_file_lines(path)] == ["in.jsonl:1", "in.jsonl:2"]
