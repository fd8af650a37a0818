#!/usr/bin/env python3
"""Writes a corpus of crafted hostile inputs, one per class of trouble jaryo must survive
(issue 21), into a directory: PDFs that recurse, lie, loop or inflate, odd file names, and
damaged text files. Python 3 standard library only.

    python3 scripts/make_hostile.py OUT_DIR [--good FILE.pdf]

`--good` is a well-formed PDF copied under the hostile names (`...pdf`, a long Korean name).
Prints one line per file written: its name and the class it stands for.
"""

import argparse
import os
import sys
import zlib


def pdf(objects, root=1, trailer_extra=b""):
    """A PDF with `objects` (bytes bodies, numbered from 1) and a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        xref,
    )
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def deflate_zeros(total, chunk=1 << 20):
    """`total` zero bytes, deflated (about 1000:1), without holding them in memory."""
    compressor = zlib.compressobj(9)
    zeros = bytes(chunk)
    parts = []
    for _ in range(total // chunk):
        parts.append(compressor.compress(zeros))
    parts.append(compressor.flush())
    return b"".join(parts)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page_tree(page_extra=b"", contents=b"BT /F1 12 Tf 72 720 Td (hello) Tj ET", resources=None):
    """Objects 1 catalog, 2 pages, 3 page, 4 content, 5 font."""
    resources = resources or b"<< /Font << /F1 5 0 R >> >>"
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources "
        + resources
        + page_extra
        + b" >>",
        stream(contents),
        FONT,
    ]


def self_drawing_form():
    """A Form XObject whose content draws the form itself: unbounded recursion."""
    objects = page_tree(
        contents=b"/X1 Do",
        resources=b"<< /XObject << /X1 6 0 R >> /Font << /F1 5 0 R >> >>",
    )
    objects.append(
        stream(
            b"BT /F1 12 Tf (again) Tj ET /X1 Do",
            b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
            b" /Resources << /XObject << /X1 6 0 R >> /Font << /F1 5 0 R >> >>",
        )
    )
    return pdf(objects)


def lying_count():
    """A page-tree node claiming two billion pages over one kid."""
    objects = page_tree()
    objects[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>"
    return pdf(objects)


def parent_is_itself():
    """A page-tree node whose /Kids hold itself and whose /Parent is itself."""
    objects = page_tree()
    objects[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>"
    objects[2] = (
        b"<< /Type /Page /Parent 3 0 R /Kids [3 0 R] /MediaBox [0 0 612 792]"
        b" /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
    )
    return pdf(objects)


def page_parent_loop():
    """A page whose /Parent is the page itself."""
    objects = page_tree()
    objects[2] = objects[2].replace(b"/Parent 2 0 R", b"/Parent 3 0 R")
    return pdf(objects)


def decompression_bomb(inflated):
    """A page content stream of `inflated` zero bytes deflated to about a thousandth."""
    objects = page_tree()
    data = deflate_zeros(inflated)
    objects[3] = stream(data, b" /Filter /FlateDecode")
    return pdf(objects)


def to_unicode_bomb(inflated):
    """A font whose ToUnicode CMap inflates to `inflated` bytes of mappings."""
    objects = page_tree()
    objects[4] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    head = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
    )
    tail = b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    unit = b"1 beginbfchar <41> <0041> endbfchar\n"
    block = unit * ((1 << 20) // len(unit))
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(head)]
    for _ in range(inflated // len(block)):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(tail))
    parts.append(compressor.flush())
    objects.append(stream(b"".join(parts), b" /Filter /FlateDecode"))
    return pdf(objects)


def xref_stream_w_zero():
    """A cross-reference stream with /W [0 0 0] and a huge /Size."""
    objects = page_tree()
    out = bytearray(b"%PDF-1.7\n")
    for number, body in enumerate(objects, start=1):
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 200000000 /W [0 0 0] /Root 1 0 R /Length 0 >>\n"
        b"stream\n\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    return bytes(out)


def deep_nesting(depth):
    """An object nested `depth` arrays deep: a recursive parser's stack."""
    objects = page_tree()
    objects[2] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> /Junk "
        + b"[" * depth
        + b"]" * depth
        + b" >>"
    )
    return pdf(objects)


HWPX_NS = (
    'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" '
    'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
    'xmlns:hh="http://www.hancom.co.kr/hwpml/2011/head"'
)


def hwpx_cell(row, col, text):
    return (
        '<hp:tc header="0"><hp:subList><hp:p paraPrIDRef="0" styleIDRef="0"><hp:run>'
        f"<hp:t>{text}</hp:t></hp:run></hp:p></hp:subList>"
        f'<hp:cellAddr colAddr="{col}" rowAddr="{row}"/><hp:cellSpan colSpan="1" rowSpan="1"/></hp:tc>'
    )


def sparse_table_hwpx():
    """An HWPX table of four cells, one addressed at row 40000, column 30000, declaring
    99999 x 99999 (the fuzzer's finding: later stages walked billions of grid positions)."""
    import io
    import zipfile

    table = (
        '<hp:tbl rowCnt="99999" colCnt="99999"><hp:tr>'
        + hwpx_cell(0, 0, "구분")
        + hwpx_cell(0, 1, "기업")
        + "</hp:tr><hp:tr>"
        + hwpx_cell(1, 0, "사회적기업")
        + hwpx_cell(40000, 30000, "120")
        + "</hp:tr></hp:tbl>"
    )
    section = (
        f"<hs:sec {HWPX_NS}>"
        '<hp:p paraPrIDRef="0" styleIDRef="0"><hp:run><hp:t>사회적경제 기업 현황</hp:t></hp:run></hp:p>'
        f'<hp:p paraPrIDRef="0" styleIDRef="0"><hp:run>{table}</hp:run></hp:p></hs:sec>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", (1980, 1, 1, 0, 0, 0)), "application/hwp+zip")
        for name, xml in (
            ("Contents/header.xml", f"<hh:head {HWPX_NS}/>"),
            ("Contents/section0.xml", section),
        ):
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, xml.encode())
    return out.getvalue()


def without_trailer(good):
    """`good` with its trailer and startxref cut off: read through a rebuilt xref table."""
    end = good.rfind(b"startxref")
    trailer = good.rfind(b"trailer", 0, end)
    return good[: trailer if trailer > 0 else end]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--good", help="a well-formed PDF to copy under hostile names")
    parser.add_argument(
        "--bomb-mib", type=int, default=1024, help="inflated size of the bombs in MiB"
    )
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    bomb = args.bomb_mib << 20
    files = [
        ("self_drawing_form.pdf", "form XObject drawing itself", self_drawing_form()),
        ("lying_count.pdf", "page tree /Count of two billion", lying_count()),
        ("parent_is_itself.pdf", "page-tree cycle through /Parent and /Kids", parent_is_itself()),
        ("page_parent_loop.pdf", "page whose /Parent is itself", page_parent_loop()),
        ("decompression_bomb.pdf", "content stream inflating ~1000:1", decompression_bomb(bomb)),
        ("tounicode_bomb.pdf", "ToUnicode CMap inflating ~1000:1", to_unicode_bomb(bomb)),
        ("xref_w_zero.pdf", "xref stream /W [0 0 0] /Size 2e8", xref_stream_w_zero()),
        ("deep_nesting.pdf", "arrays nested 200000 deep", deep_nesting(200_000)),
        (
            "invalid_byte.txt",
            "UTF-8 text with one invalid byte",
            "사회적경제 포럼\n자료집 본문입니다.\n".encode() + b"\xff" + "끝.\n".encode(),
        ),
        (
            "cut_short.txt",
            "UTF-8 text whose last character is cut short",
            "사회적경제 포럼\n마지막 글자가 잘린".encode() + "다".encode()[:2],
        ),
    ]
    if args.good:
        with open(args.good, "rb") as f:
            good = f.read()
        files.append(("...pdf", "a file named ...pdf", good))
        files.append(("가" * 80 + ".pdf", "a 244-byte Korean file name", good))
        files.append(("no_trailer.pdf", "trailer and startxref cut off", without_trailer(good)))
    files.append(("sparse_table.hwpx", "table cell at row 40000 of 4 cells", sparse_table_hwpx()))
    for name, what, data in files:
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        print(f"{name}\t{what}\t{len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
