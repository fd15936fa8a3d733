"""The input layer: encodings, HTML tables with origins, PDF text layers and DOCX tables."""

from __future__ import annotations

import codecs
import hashlib
import io
from pathlib import Path

import pytest
from pypdf import PdfWriter

from giar_llm.errors import InputError
from giar_llm.inputs import LoadedInput, detect_kind, load_bytes, load_input
from giar_llm.inputs.html import decode_html
from giar_llm.inputs.text import decode
from tests.conftest import REPORTS

SAMPLE = (
    "盐仓街道2021年度政府信息公开工作年度报告\n"
    "一、总体情况\n"
    "全年共公开信息134条，其中通过政府网站公开政府信息数88条。\n"
    "三、收到和处理政府信息公开申请情况\n"
    "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
)


def _line(text: str, prefix: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    assert lines, f"no line starts with {prefix!r}"
    return lines[0]


# --- text and encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16", "utf-16-be"],
)
def test_encodings_decode_to_the_same_text(raw: bytes, encoding: str) -> None:
    loaded = load_bytes(raw, "report.txt")
    assert loaded.document.text == SAMPLE
    assert loaded.document.kind == "text"
    assert loaded.document.origin is None
    assert loaded.source.encoding == encoding
    assert loaded.source.kind == "text"
    assert decode(raw) == (SAMPLE, encoding)


def test_source_records_path_and_sha256(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(SAMPLE.encode("gb18030"))
    loaded = load_input(path)
    assert isinstance(loaded, LoadedInput)
    assert loaded.source.path == str(path)
    assert loaded.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert load_bytes(SAMPLE.encode(), "-").source.path == "-"


def test_markdown_is_text_of_kind_markdown() -> None:
    loaded = load_bytes("# 报告\n\n| 一 | 1 |\n".encode(), "report.md")
    assert loaded.document.kind == "markdown"
    assert loaded.document.text == "# 报告\n\n| 一 | 1 |\n"


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", "\u3000\n".encode()], ids=["empty", "spaces", "ideographic"])
def test_empty_file_is_an_input_error(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(raw)
    with pytest.raises(InputError, match="empty file"):
        load_input(path)


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_input(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        load_input(tmp_path)


def test_binary_garbage_is_not_text() -> None:
    with pytest.raises(InputError, match="not a text file"):
        load_bytes(bytes(range(32)) * 64, "blob.bin")


def test_legacy_word_file_is_refused() -> None:
    with pytest.raises(InputError, match="legacy Office"):
        load_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "report.doc")


# --- HTML -----------------------------------------------------------------------------------------------------


def test_shuyang_html_table_rows_are_tab_separated_with_origins() -> None:
    path = REPORTS / "shuyang-fgj-2023.html"
    loaded = load_input(path)
    document = loaded.document
    assert document.kind == "html"
    assert loaded.source.kind == "html"
    assert loaded.source.encoding == "utf-8"
    assert document.origin is not None
    assert len(document.origin) == len(document.text)

    line = _line(document.text, "一、本年新收政府信息公开申请数量")
    cells = line.split("\t")
    # colspan=3 label, then 7 numbers of which only 自然人 and 总计 are filled: the blanks stay blank.
    assert cells == ["一、本年新收政府信息公开申请数量", "", "", "26", "", "", "", "", "", "26"]

    source, _ = decode_html(path.read_bytes())
    start = document.text.index(line) + line.index("26")
    begin, end = document.source_span(start, start + 2)
    assert source[begin:end] == "26"
    # Every real character maps back to itself in the decoded HTML.
    assert all(source[document.origin[i]] == ch for i, ch in enumerate(document.text) if not ch.isspace())
    assert list(document.origin) == sorted(document.origin)


def test_shuyang_html_drops_scripts_and_keeps_rowspan_columns() -> None:
    text = load_input(REPORTS / "shuyang-fgj-2023.html").document.text
    assert "<" not in text and "function" not in text
    assert "\n\t\t2.其他法律行政法规禁止公开\t0\t" in text  # two cells covered by rowspans
    assert "\n\t（三）不予公开\t1.属于国家秘密\t0\t" in text
    assert _line(text, "\t（二）部分公开").split("\t")[1].startswith("（二）部分公开")
    table4 = _line(text, "0\t0\t0\t1\t1\t").split("\t")
    assert len(table4) == 15


TINY_HTML = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>标题</title><script>var x = "本年新收";</script></head>
<body><nav>首页 &gt; 信息公开</nav>
<div id="report"><p>三、收到和处理政府信息公开申请情况</p>
<table border="1">
<tr><td rowspan="2">项目</td><td colspan="2">申请人</td><td rowspan="2">总计</td></tr>
<tr><td>自然人</td><td>法人</td></tr>
<tr><td>一、本年<span>新收</span><o:p></o:p></td><td>3</td><td>&nbsp;</td><td>3</td></tr>
<tr><td rowspan="2">三、办理&amp;结果</td><td>5</td><td> <o:p>&nbsp;</o:p> </td><td>5</td></tr>
<tr><td>7</td><td>1</td><td>8</td></tr>
</table></div>
<footer>版权所有</footer></body></html>
"""


def test_tiny_html_with_gbk_meta_rowspan_and_colspan() -> None:
    raw = TINY_HTML.encode("gbk")
    loaded = load_bytes(raw, "tiny.htm")
    document = loaded.document
    assert loaded.source.encoding == "gb18030"
    lines = document.text.splitlines()
    assert lines == [
        "三、收到和处理政府信息公开申请情况",
        "项目\t申请人\t\t总计",
        "\t自然人\t法人\t",
        "一、本年新收\t3\t\t3",
        "三、办理&结果\t5\t\t5",
        "\t7\t1\t8",
    ]
    assert "首页" not in document.text and "版权所有" not in document.text and "var x" not in document.text
    source = raw.decode("gb18030")
    assert document.origin is not None
    amp = document.text.index("&")
    assert source[document.origin[amp] : document.origin[amp] + 5] == "&amp;"
    seven = document.text.index("7")
    assert source[document.origin[seven]] == "7"
    assert source[document.origin[document.text.index("新收")] :].startswith("新收</span>")


def test_text_that_is_html_is_read_as_html() -> None:
    loaded = load_bytes(TINY_HTML.encode("utf-8"), "download.txt")
    assert loaded.document.kind == "html"
    assert loaded.source.kind == "html"
    assert "一、本年新收\t3\t\t3" in loaded.document.text


def test_kind_detection() -> None:
    assert detect_kind(b"%PDF-1.7\n", "report") == "pdf"
    assert detect_kind(b"<p>x</p>", "a.HTM") == "html"
    assert detect_kind(b"abc", "a.md") == "text"
    docx = (REPORTS / "000_27f8f84a704e59bd.docx").read_bytes()
    assert detect_kind(docx, "upload.bin") == "docx"


# --- PDF ------------------------------------------------------------------------------------------------------


def test_hongze_pdf_text_layer() -> None:
    loaded = load_input(REPORTS / "hongze-2024.pdf")
    assert loaded.document.kind == "pdf"
    assert loaded.source.kind == "pdf"
    assert loaded.source.encoding is None
    assert loaded.document.origin is None
    text = loaded.document.text
    assert "本年新收" in text
    assert "一、本年新收政府信息公开申请数量 95 0 0 0 0 0 95" in text.splitlines()


def _pdf(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_without_text_layer_is_an_input_error() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    with pytest.raises(InputError, match="no text layer"):
        load_bytes(_pdf(writer), "scan.pdf")


def test_encrypted_and_corrupt_pdfs_are_input_errors() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with pytest.raises(InputError, match="encrypted"):
        load_bytes(_pdf(writer), "locked.pdf")
    with pytest.raises(InputError, match="PDF"):
        load_bytes(b"%PDF-1.4\n garbage that is not a pdf", "broken.pdf")


# --- DOCX -----------------------------------------------------------------------------------------------------


def test_docx_tables_become_tab_separated_rows() -> None:
    loaded = load_input(REPORTS / "000_27f8f84a704e59bd.docx")
    document = loaded.document
    assert document.kind == "docx"
    assert loaded.source.kind == "docx"
    text = document.text
    assert text.splitlines()[0] == "盐仓街道2021年度政府信息公开工作年度报告"
    new = ["一、本年新收政府信息公开申请数量", "", "", "1", "0", "0", "0", "0", "0", "1"]
    assert _line(text, "一、本年新收").split("\t") == new
    assert "三、本年度办理结果\t（一）予以公开\t\t0\t0\t0\t0\t0\t0\t0" in text
    assert "\t\t4.保护第三方合法权益\t1\t0\t0\t0\t0\t0\t1" in text
    assert "\t（七）总计\t\t1\t0\t0\t0\t0\t0\t1" in text
    assert "行政规范性文件\t2\t0\t2" in text
    assert "0\t" * 14 + "0" in text.splitlines()
    table3 = [line for line in text.splitlines() if line.count("\t") == 9 and line.split("\t")[-1].isdigit()]
    assert len(table3) == 25


def test_docx_numbers_match_the_seed() -> None:
    seed = (REPORTS / "000_27f8f84a704e59bd.txt").read_text(encoding="utf-8")
    seed_numbers = [line.strip() for line in seed.splitlines() if line.startswith("\t") and line.strip().isdigit()]
    text = load_input(REPORTS / "000_27f8f84a704e59bd.docx").document.text
    docx_numbers = [cell for line in text.splitlines() for cell in line.split("\t") if cell.isdigit()]
    assert docx_numbers == seed_numbers


def test_invalid_docx_is_an_input_error() -> None:
    with pytest.raises(InputError, match="docx"):
        load_bytes(b"PK\x03\x04 not really a zip", "report.docx")


def test_utf8_html_with_a_stale_gbk_meta_is_read_as_utf8() -> None:
    loaded = load_bytes(TINY_HTML.encode("utf-8"), "resaved.html")
    assert loaded.source.encoding == "utf-8"
    assert "一、本年新收\t3\t\t3" in loaded.document.text


def test_every_dev_report_loads() -> None:
    for path in sorted(REPORTS.iterdir()):
        if path.suffix in {".txt", ".md", ".html", ".pdf", ".docx"}:
            loaded = load_input(path)
            assert loaded.document.text.strip(), path.name
            assert len(loaded.source.sha256) == 64
