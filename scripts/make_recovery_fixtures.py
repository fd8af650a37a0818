#!/usr/bin/env python3
"""Writes the hand-made PDFs of tests/pdf_recovery.rs into fixtures/recovery/ (Python 3
standard library only; the output is byte-for-byte reproducible):

- standard14.pdf: text in the standard 14 fonts with no embedded font program, the way
  reportlab, old TeX and many office tools write them: Times-Roman with no /Encoding,
  Helvetica with /WinAnsiEncoding, Courier with /StandardEncoding, Helvetica-Bold with a
  /Differences encoding, Times-Italic with a font descriptor but no FontFile, and WinAnsi
  characters above 127 (e acute, en dash, curly quotes).
- annotations.pdf: a page whose body text is drawn in the page content, plus form fields
  (/Widget annotations with a value /V and an appearance stream /AP /N) and a FreeText
  annotation, whose text exists only in the annotations.

    python3 scripts/make_recovery_fixtures.py [OUT_DIR]

Each page's expected text is in the same folder as <name>.expected.txt (one line per line of
text, in reading order), for the tests to compare against.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pdf(objects, root=1):
    """A PDF with `objects` (bytes bodies, numbered from 1) and a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def literal(text):
    """A PDF literal string of `text` in WinAnsi (cp1252), escaped."""
    raw = text.encode("cp1252")
    out = bytearray(b"(")
    for b in raw:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif b < 32 or b > 126:
            out += b"\\%03o" % b
        else:
            out.append(b)
    return bytes(out + b")")


# (resource name, font dictionary) for the standard-font page.
STANDARD_FONTS = [
    (b"F1", b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>"),
    (b"F2", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
    (b"F3", b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /StandardEncoding >>"),
    (
        b"F4",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding "
        b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [39 /quoteright 96 /quoteleft] >> >>",
    ),
    (b"F5", None),  # Times-Italic with a descriptor and widths but no font file: object 6 below.
]

# (font, size, text) lines of the standard-font page, top to bottom. The English lines are
# the sample booklet's own English (its title and the forum's name).
STANDARD_LINES = [
    (b"F4", 16, "Seoul Social Economy Forum 2020"),
    (b"F1", 12, "Building the social economy ecosystem of Seoul's districts."),
    (b"F2", 12, "Caf\u00e9 co\u2013operatives \u201cmade in Seoul\u201d: 25 districts, 1 plan."),
    (b"F3", 10, "Appendix 1. Status of the district support centres (2019)"),
    (b"F5", 12, "Times-Italic without a font file, widths given."),
    (b"F1", 12, "Discussion 1: what the districts have built so far"),
]


def standard14():
    content = bytearray(b"BT\n")
    y = 760
    for font, size, text in STANDARD_LINES:
        content += b"/%s %d Tf 1 0 0 1 72 %d Tm %s Tj\n" % (font, size, y, literal(text))
        y -= 2 * size
    content += b"ET"
    fonts = b" ".join(b"/%s %d 0 R" % (name, 5 + i) for i, (name, _) in enumerate(STANDARD_FONTS))
    # Times-Italic widths for 32..126 (its AFM), with a descriptor that names no font file.
    times_italic_widths = (
        b"[250 333 420 500 500 833 778 333 333 333 500 675 250 333 250 278 500 500 500 500 500 "
        b"500 500 500 500 500 333 333 675 675 675 500 920 611 611 667 722 611 611 722 722 333 "
        b"444 667 556 833 667 722 611 722 611 500 556 722 611 833 611 556 556 389 278 389 422 "
        b"500 333 500 500 444 500 444 278 500 500 278 278 444 278 722 500 500 500 500 389 389 "
        b"278 500 444 667 444 444 389 400 275 400 541]"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << " + fonts + b" >> >> >>",
        stream(bytes(content)),
    ]
    objects += [body for _, body in STANDARD_FONTS[:4]]
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Italic /FirstChar 32 /LastChar 126 "
        b"/Widths " + times_italic_widths + b" /FontDescriptor 10 0 R >>"
    )
    objects.append(
        b"<< /Type /FontDescriptor /FontName /Times-Italic /Flags 98 "
        b"/FontBBox [-169 -217 1010 883] /ItalicAngle -15.5 /Ascent 683 /Descent -217 "
        b"/CapHeight 653 /StemV 76 >>"
    )
    expected = [text for _, _, text in STANDARD_LINES]
    return pdf(objects), expected


# Body lines drawn in the page content of the annotation page.
ANNOTATION_BODY = [
    "Seoul Social Economy Forum 2020: participant form",
    "Fill in the fields below and return the form to the organisers.",
]

# (field name, value, rectangle) of the form fields.
FIELDS = [
    (b"name", "Seoul Social Economy Support Centre", [150, 640, 450, 660]),
    (b"district", "Seongbuk-gu", [150, 610, 450, 630]),
]

FREE_TEXT = ("Reviewer's note: forum moved to 24 November 2020", [72, 520, 450, 560])


def appearance(text, rect, font=b"Helv"):
    """An appearance stream (form XObject) drawing `text` in its box."""
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    data = b"/Tx BMC q BT /%s 10 Tf 2 6 Td %s Tj ET Q EMC" % (font, literal(text))
    extra = b" /Type /XObject /Subtype /Form /BBox [0 0 %d %d] /Resources << /Font << /%s 5 0 R >> >>" % (
        width,
        height,
        font,
    )
    return stream(data, extra)


def rect(r):
    return b"[%d %d %d %d]" % tuple(r)


def annotations():
    content = bytearray(b"BT\n")
    y = 740
    for text in ANNOTATION_BODY:
        content += b"/F1 12 Tf 1 0 0 1 72 %d Tm %s Tj\n" % (y, literal(text))
        y -= 24
    for name, _, r in FIELDS:
        label = name.decode().capitalize() + ":"
        content += b"/F1 10 Tf 1 0 0 1 72 %d Tm %s Tj\n" % (r[1] + 6, literal(label))
    content += b"ET"
    # 1 catalog, 2 pages, 3 page, 4 content, 5 font, 6 acroform, then per field a widget and
    # its appearance, then the FreeText annotation and its appearance.
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        None,  # the page, once the annotation numbers are known
        stream(bytes(content)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        None,  # the AcroForm
    ]
    annots = []
    field_refs = []
    for name, value, r in FIELDS:
        widget = len(objects) + 1
        objects.append(
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (%s) /V %s /Rect %s /P 3 0 R "
            b"/DA (/Helv 10 Tf 0 g) /AP << /N %d 0 R >> >>"
            % (name, literal(value), rect(r), widget + 1)
        )
        objects.append(appearance(value, r))
        annots.append(widget)
        field_refs.append(widget)
    text, r = FREE_TEXT
    free = len(objects) + 1
    objects.append(
        b"<< /Type /Annot /Subtype /FreeText /Rect %s /Contents %s /DA (/Helv 10 Tf 0 g) "
        b"/AP << /N %d 0 R >> >>" % (rect(r), literal(text), free + 1)
    )
    objects.append(appearance(text, r))
    annots.append(free)
    objects[2] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /Annots ["
        + b" ".join(b"%d 0 R" % a for a in annots)
        + b"] >>"
    )
    objects[5] = (
        b"<< /Fields ["
        + b" ".join(b"%d 0 R" % f for f in field_refs)
        + b"] /DA (/Helv 10 Tf 0 g) /DR << /Font << /Helv 5 0 R >> >> >>"
    )
    expected = ANNOTATION_BODY + [n.decode().capitalize() + ":" for n, _, _ in FIELDS]
    expected += [v for _, v, _ in FIELDS] + [FREE_TEXT[0]]
    return pdf(objects), expected


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "fixtures/recovery")
    os.makedirs(out, exist_ok=True)
    for name, make in (("standard14", standard14), ("annotations", annotations)):
        data, expected = make()
        with open(os.path.join(out, name + ".pdf"), "wb") as f:
            f.write(data)
        with open(os.path.join(out, name + ".expected.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(expected) + "\n")
        print(f"{name}.pdf: {len(data)} bytes, {len(expected)} lines")


if __name__ == "__main__":
    main()
