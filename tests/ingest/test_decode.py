"""Files arrive as UTF-8, UTF-8 with BOM or GBK/GB18030, sometimes mixed; lines are streamed, not read
whole, and decoded one by one; what no encoding decodes is rejected, never replaced with U+FFFD."""

import base64
import json
from pathlib import Path

import pytest

from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.decode import UndecodableLine, decode_bytes, detect_encoding, iter_decoded_lines
from sentinel.ingest.normalize import Normaliser
from sentinel.ingest.service import IngestService
from sentinel.ingest.sources import iter_file_lines
from sentinel.store.sqlite import SQLiteStore

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


def test_a_gbk_line_after_the_probe_is_decoded_not_replaced(tmp_path: Path) -> None:
    utf8 = "".join(json.dumps({"id": f"u{i}", "source": "weibo", "text": "青石县自来水停水通知"}, ensure_ascii=False) + "\n"
                   for i in range(2000))
    late = json.dumps({"id": "late", "source": "news", "text": "柳林镇煤矿透水事故"}, ensure_ascii=False)
    path = tmp_path / "late.jsonl"
    path.write_bytes(utf8.encode() + late.encode("gbk") + b"\n")  # the GBK line lies past the 64 KB probe
    got = [line for line, _ in iter_file_lines(path)]
    assert got[-1] == late
    assert not any("\ufffd" in line for line in got)


def test_utf8_and_gbk_lines_mixed_in_one_stream_are_each_decoded() -> None:
    texts = ["青石县自来水停水通知", "市民来电反映柳林镇垃圾清运不及时", "第三条帖文"]
    data = texts[0].encode() + b"\n" + texts[1].encode("gbk") + b"\n" + texts[2].encode() + b"\n"
    chunks = [data[i : i + 7] for i in range(0, len(data), 7)]
    assert [line for line, _ in iter_decoded_lines(chunks)] == texts


def test_big5_traditional_text_is_not_read_as_gb18030() -> None:
    """Big5 bytes mostly decode as GB18030 too, into private-use and wrong characters."""
    lines = ["臺灣颱風來襲，鄉鎮停班停課", "煤礦透水事故，礦工被困"]
    data = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in lines).encode("big5")
    assert [json.loads(line)["text"] for line, _ in iter_decoded_lines([data])] == lines
    assert json.loads(decode_bytes(json.dumps({"text": lines[1]}, ensure_ascii=False).encode("big5"))[0])["text"] == lines[1]
    gbk = "煤矿透水事故，鳌头镇".encode("gbk")  # plain GBK keeps its reading
    assert decode_bytes(gbk) == ("煤矿透水事故，鳌头镇", "gb18030")


def test_a_line_no_encoding_decodes_is_kept_as_its_bytes() -> None:
    bad = b'{"source": "weibo", "text": "\xff\xfe\x80"}'
    lines = [line for line, _ in iter_decoded_lines([b'{"ok": 1}\n' + bad + b"\n"])]
    assert lines[0] == '{"ok": 1}'
    assert isinstance(lines[1], UndecodableLine) and lines[1].data == bad


def test_a_character_cut_at_the_end_is_utf8_only_when_the_probe_was_cut() -> None:
    body = '{"source": "weibo", "text": "ok 中"}'.encode("gbk")  # the GBK bytes lie in the last 4 bytes
    assert detect_encoding(body, complete=True) == "gb18030"
    assert detect_encoding("爆炸".encode()[:-1]) == "utf-8"  # a probe cut mid-character
    assert decode_bytes(body) == ('{"source": "weibo", "text": "ok 中"}', "gb18030")
    with pytest.raises(UnicodeDecodeError):
        decode_bytes(b'{"text": "\xff\xfe\x80"}')


def test_an_undecodable_line_is_rejected_with_its_bytes_kept(tmp_path: Path, store: SQLiteStore,
                                                             clock: FakeClock) -> None:
    bad = b'{"source": "weibo", "text": "\xff\xfe\x80"}'
    path = tmp_path / "bad.jsonl"
    path.write_bytes('{"source": "weibo", "text": "正常的帖文"}\n'.encode() + bad + b"\n")
    report = IngestService(store, Normaliser(clock)).ingest_lines(iter_file_lines(path))
    assert report.stored == 1 and report.rejected == 1 and report.reasons == {"invalid_encoding": 1}
    (reject,) = store.list_rejects(10).items
    assert reject.source == "bad.jsonl:2" and reject.reason.startswith("invalid_encoding")
    assert base64.b64decode(reject.raw.removeprefix("base64:")) == bad
