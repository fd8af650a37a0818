#!/usr/bin/env python3
"""Makes the Korean-fidelity fixtures of issue 16 in tests/pdf_layout/ (<name>.pdf and its
<name>.truth.json, which `jaryo eval tests/pdf_layout` scores): pages where the PDF path used to
split words at narrow-column wraps, split digits and Latin letters from the Hangul after them,
or read an exam's two columns across.

It reuses fixtures/make_fixtures.py (the same HTML page boxes, Chromium printing, qpdf
normalisation, overflow and missing-text checks and truth format) and adds what these pages
need: a narrow two-column measure, a Latin font in front of the Hangul font (Chromium then sets
digits, Latin letters and spaces in Liberation Serif and the Hangul in NanumMyeongjo, two font
runs per word as LibreOffice does), and exam blocks (question stems, bordered passages, answer
choices). The passages are lines of the sample booklet; the question stems and choices are
written for the test. The truth is the text the script typed.

Needs what make_fixtures.sh installs (chromium, fonts-nanum, qpdf, poppler-utils) and
fonts-liberation. Usage: python3 scripts/make_fidelity_fixtures.py [NAME…]
"""

import importlib.util
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "make_fixtures", os.path.join(ROOT, "fixtures", "make_fixtures.py"))
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)

mf.OUT_DIR = os.path.join(ROOT, "tests", "pdf_layout")
H, P = mf.H, mf.P

# Exam blocks: a question stem, a bordered passage paragraph, an answer choice. Their truth type
# is paragraph (stems, passages) or list_item (choices); the HTML differs.
EXTRA_CSS = """
.box { border: 0.7pt solid #000; padding: 1.5mm 2mm; margin: 0 0 2mm 0; }
.box p { margin: 0 0 1.5mm 0; }
p.q { margin: 2mm 0 1.5mm 0; }
p.q b { font-family: 'NanumGothic'; }
p.choice { margin: 0 0 0.8mm 0; padding-left: 4mm; text-indent: -4mm; }
.body.rule { column-rule: 0.5pt solid #000; }
"""


def W(text, kind="paragraph", html_class=None):
    """A block written for the test (no booklet line; `line` 0)."""
    block = {"type": kind, "text": text, "line": 0}
    if html_class:
        block["class"] = html_class
    return block


def Q(text):
    return W(text, html_class="q")


def BOX(*paragraphs):
    """Passage paragraphs inside one bordered box (each is its own truth paragraph)."""
    return [dict(p, box=(i, len(paragraphs))) for i, p in enumerate(paragraphs)]


def C(text):
    return W(text, kind="list_item", html_class="choice")


_block_html = mf.block_html


def block_html(block):
    if block.get("class"):
        html = f'<p class="{block["class"]}">{mf.inline_html(block["text"])}</p>'
    else:
        html = _block_html(block)
    if "box" in block:
        i, n = block["box"]
        html = ('<div class="box">' if i == 0 else "") + html + ("</div>" if i == n - 1 else "")
    return html


_css_for = mf.css_for


def css_for(style):
    css = _css_for(style) + EXTRA_CSS
    if style.get("column_rule"):
        css = css.replace(".body.cols {", ".body.cols { column-rule: 0.5pt solid #000;", 1)
    return css


# The left edge of the right column in points (pdftotext reads each column alone for the
# build's checks): measure 170 mm → 105 mm; the narrow measure (120 mm) → 80 mm.
SPLIT_PT = {"default": 298}


def pdf_text(path, columns=1):
    if columns == 1:
        return mf.run(["pdftotext", "-enc", "UTF-8", path, "-"]).stdout.decode("utf-8", "replace")
    split = SPLIT_PT["current"]
    out = []
    for page in range(1, mf.pdf_pages(path) + 1):
        for x, w in ((0, split), (split, 595 - split)):
            out.append(mf.run([
                "pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-x", str(x),
                "-y", "0", "-W", str(w), "-H", "842", path, "-",
            ]).stdout.decode("utf-8", "replace"))
    return "\n".join(out)


_truth_for = mf.truth_for


def truth_for(fixture, pages_in_pdf):
    truth = _truth_for(fixture, pages_in_pdf)
    truth["generator"] = "scripts/make_fidelity_fixtures.py"
    return truth


mf.truth_for = truth_for
mf.block_html = block_html
mf.css_for = css_for
mf.pdf_text = pdf_text


def flat(pages):
    return [[b for item in page for b in (item if isinstance(item, list) else [item])]
            for page in pages]


FIXTURES = [
    {
        "name": "narrow_two_column",
        "kind": "text",
        "exercises": [
            "two narrow justified columns (about 16 syllables a line): most Korean lines wrap "
            "inside a word and must be joined without a space",
            "paragraphs continuing from the left column into the right one and onto page 2",
        ],
        "style": {"header": True, "page_numbers": True, "columns": 2, "measure_mm": 120,
                  "justify": True, "split_pt": 227},
        "pages": [
            [
                H("성과와 과제", 1),
                P("자치구 사회적경제 생태계 권역별로 진행한", lines=5),
                P("자치구 생태계구축사업은 2012에 시작되면서", lines=28),
                P("현재 서울시와 민간전문가들이 모여 정책을", lines=5),
                P("지역의 사회적경제 거버넌스를 구축하고 확장했다는 것입니다."),
            ],
            [
                P("지역 안에서 성과를 기반으로"),
                P("사회적경제 마켓이나 공공구매 지원하는 것이"),
            ],
        ],
    },
    {
        "name": "latin_runs",
        "kind": "text",
        "exercises": [
            "digits, Latin letters and spaces set in a Latin font (Liberation Serif) and the "
            "Hangul after them in NanumMyeongjo, as LibreOffice does (`2012에`, `10년차`, `TF가`): "
            "two font runs inside one word, which must stay joined",
        ],
        "style": {"header": True, "page_numbers": True, "justify": True,
                  "body_font": "'Liberation Serif', 'NanumMyeongjo', serif"},
        "pages": [
            [
                H("성과2. 지역의 사회적경제 거버넌스 구축 및 확장", 1),
                P("자치구 생태계구축사업은 2012에 시작되면서", lines=28),
                P("현재 서울시와 민간전문가들이 모여 정책을", lines=5),
                P("이러한 서울시 정책환경을 기반으로 2020년 현재"),
                P("민민거버넌스를 2020년을 중심으로 살펴보면"),
                W("2021년에는 TF가 3차례 모였고, 6개 SE네트워크와 24개 자치구 센터가 "
                  "10년차 평가에 참여했습니다. 1,2기 센터 중 17곳은 2022년에 사업을 마쳤고, "
                  "ESG 경영을 도입한 기업은 35%에 이르렀습니다."),
            ],
            [
                P("공동브랜드에는 위원회라는 구조로 진행이 됩니다."),
                P("자치구 순회 사전 포럼은 자치구별 성과와"),
                W("2023년 5월 12일 TF 2차 회의에서는 3개 권역의 KPI를 정했고, "
                  "SE조직 48곳과 NGO 7곳이 1:1 상담에 참여했습니다."),
            ],
        ],
    },
    {
        "name": "exam_two_column",
        "kind": "text",
        "exercises": [
            "a two-column exam page with a rule between the columns (Hancom exam style)",
            "question numbers (`1.`), bordered passages, answer choices ① … ⑤ under their question",
            "`(가)`/`(나)` inside sentences (text, not list markers)",
            "a boxed passage continuing from the foot of the left column into the right one",
        ],
        "style": {"header": False, "page_numbers": True, "columns": 2, "column_rule": True,
                  "font_pt": 10, "body_mm": 230},
        "pages": flat([
            [
                Q("1. 다음 글을 읽고 물음에 답하시오."),
                BOX(P("자치구 사회적경제 생태계 권역별로 진행한", lines=5),
                    P("현재 서울시와 민간전문가들이 모여 정책을", lines=5)),
                Q("윗글의 (가)와 (나)에 대한 설명으로 가장 적절한 것은? 단, (가)는 첫째 "
                  "문단이고 (나)는 둘째 문단이다."),
                C("① (가)는 사전포럼의 목적을, (나)는 그 한계를 밝힌다."),
                C("② (가)와 달리 (나)는 거버넌스의 성과를 제시한다."),
                C("③ (나)는 (가)에서 제기한 문제의 원인을 분석한다."),
                C("④ (가)와 (나)는 모두 민관 협력의 필요성을 부정한다."),
                C("⑤ (나)에서 말한 위원회는 (가)의 사전포럼을 대신한다."),
                Q("2. 다음 글의 내용과 일치하지 않는 것은?"),
                BOX(P("자치구 생태계구축사업은 2012에 시작되면서", lines=28)),
                C("① 자치구 생태계구축사업은 2012년에 시작되었다."),
                C("② 1,2기 센터의 사업은 내년에 종료된다."),
                C("③ 초기에는 광역에서 함께 설계하는 시간이 많았다."),
                C("④ 외부 연구자들의 연구는 현장과 충분히 공감하였다."),
                C("⑤ 필자는 구축 전략 2.0 수립 기반조성을 생각하고 있다."),
            ],
        ]),
    },
]


def main():
    only = set(sys.argv[1:])
    os.makedirs(mf.OUT_DIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for fixture in FIXTURES:
            if only and fixture["name"] not in only:
                continue
            SPLIT_PT["current"] = fixture["style"].get("split_pt", SPLIT_PT["default"])
            mf.build_printed(fixture, work)


if __name__ == "__main__":
    main()
