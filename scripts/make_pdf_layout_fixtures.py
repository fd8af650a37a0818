#!/usr/bin/env python3
"""Makes the small PDFs the layout tests (tests/pdf_*.rs) read, from lines of the sample
booklet, by printing HTML with headless Chromium and Korean fonts (Debian: chromium,
fonts-nanum). Output: tests/pdf_layout/*.pdf (committed; CI does not regenerate them).

Usage: python3 scripts/make_pdf_layout_fixtures.py [NAME ...]   (default: all)
"""
import base64
import os
import struct
import subprocess
import sys
import tempfile
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "pdf_layout")

# Lines of input/seoul_social_economy_forum_2020.txt ([발제1], pages 8-9).
PARA1 = ("자치구 사회적경제 생태계 권역별로 진행한 사전포럼 과정을 통해 자치구 생태계 구축의 "
         "성과는 무엇이지, 그것을 기반으로 앞으로 서울과 자치구가 함께 가져야가 하는 공동전략이 "
         "무엇인지 살펴보도록 하겠습니다.")
PARA2 = ("자치구 생태계구축사업은 2012에 시작되면서 10년차에 도래하는 시기입니다. 10년차이면 큰 "
         "변화가 있는 시기인데 자치구 사업들 돌아보면 일몰제를 연장하느냐 아니냐에 대한 이슈에 "
         "스스로 매몰되었던 것은 아닌가 생각해봅니다. 그런 연장과 폐지를 논의하는 과정 속에서 어느덧 "
         "내년에는 실제로 1,2기 센터의 사업이 종료되는 시기가 도래했습니다.")
PARA3 = ("그 과정에서 우리가 함께 이루어온 생태계 구축사업에 대한 의미와 성과에 대해서 충분히 "
         "논의하거나 공감하는 시간을 갖지 못한 아쉬움이 있습니다. 또 초기에 사업을 시작할 때는 "
         "광역에서 함께 설계하고 성과와 과제 논의하면 peer supervision하는 시간들이 많았는데 "
         "어느순간 사람과 제도가 바뀌면서 서로 이해하고 공유하는 것이 부족 했고, 사업에 참여하는 "
         "지역들이 늘어나면서 각 지역의 특성에 맞게 다양하게 펼쳐나가고 있습니다.")
PARA4 = ("이루어졌지만 결과나 과정이 현장과 공감하고 이해하는 평가의 기회들이 부족했던 아쉬움이 "
         "있습니다. 그러나 아쉬움에 멈춰있을 수 없기 때문에 새로운 10년을 준비하며 우리를 스스로 "
         "회고하고 점검하면서 내부자적 관점에서 우리 안으로부터 공감대를 만들며, 자치구 생태계 "
         "구축 전략 2.0(가칭)수립 기반조성을 생각하면서 발제를 준비하였습니다.")
HEADER = "2020년 서울시 사회적경제 생태계 구축 성과 포럼"

STYLE = """
@page { size: A4; margin: 0; }
body { margin: 0; font-family: 'NanumMyeongjo', 'NanumGothic', serif; font-size: 11pt; }
.page { position: relative; width: 210mm; height: 297mm; page-break-after: always; overflow: hidden; }
.header { position: absolute; top: 12mm; left: 25mm; right: 25mm; font-size: 9pt;
          border-bottom: 0.5pt solid #444; padding-bottom: 2pt; }
.footer { position: absolute; bottom: 12mm; left: 0; right: 0; text-align: center; font-size: 9pt; }
.body { position: absolute; top: 30mm; left: 25mm; right: 25mm; line-height: 1.7; }
.body p { margin: 0 0 11pt 0; text-align: justify; }
h2 { font-size: 15pt; margin: 0 0 12pt 0; }
.cols { column-count: 2; column-gap: 10mm; }
sup { font-size: 60%; }
td.a { border: none; padding: 2pt 18pt 2pt 0; }
.toc { display: flex; margin: 0 0 6pt 0; }
.toc span:first-child { flex: 1; overflow: hidden; white-space: nowrap; }
.toc span:first-child::after { content: ' ..........................................................................................'; }
.toc2 { display: grid; grid-template-columns: 20mm 90mm 40mm; margin: 0 0 6pt 0; }
table { border-collapse: collapse; margin: 8pt 0; }
td, th { border: 0.75pt solid #000; padding: 3pt 6pt; font-weight: normal; }
"""


def page(body, number, header=True):
    head = f'<div class="header">{HEADER}</div>' if header else ""
    return (f'<div class="page">{head}<div class="body">{body}</div>'
            f'<div class="footer">- {number} -</div></div>')


def tiny_png():
    """A 40×40 grey PNG (an image-only page needs an image)."""
    raw = b"".join(b"\x00" + b"\x80" * 40 for _ in range(40))
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 40, 40, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


DOCUMENTS = {
    # One column, running header, page numbers, a footnote marker, a paragraph per <p>.
    "one_column": "".join([
        page(f"<h2>[발제1] 자치구별 사회적경제 통합지원센터 현황과 전략과제</h2>"
             f"<p>{PARA1}</p><p>{PARA2}</p><p>중랑구<sup>1</sup>의 경우 {PARA3}</p>", 8),
        page(f"<p>{PARA4}</p><p>{PARA2}</p>", 9),
        page(f"<p>{PARA3}</p><p>{PARA1}</p>", 10),
    ]),
    # Two justified columns under a full-width title.
    "two_column": page(
        f"<h2>자치구별 사회적경제 통합지원센터 현황과 전략과제</h2>"
        f'<div class="cols"><p>{PARA1}</p><p>{PARA2}</p><p>{PARA3}</p><p>{PARA4}</p></div>', 3),
    # A narrow justified measure: lines wrap inside words.
    "narrow_wrap": page(f'<div style="width: 62mm"><p>{PARA2}</p><p>{PARA4}</p></div>', 4),
    # A ruled table with a letter-spaced label, then text.
    "ruled_table": page(
        "<p>자치구별 참여 현황은 다음과 같다.</p>"
        "<table><tr><td>구분</td><td>참여 기관</td><td>참여 인원</td></tr>"
        "<tr><td style='letter-spacing: 6pt'>서남권</td><td>마포구사회적경제통합지원센터</td><td>30명</td></tr>"
        "<tr><td>동북권</td><td>중랑구 사회적경제지원센터</td><td>25명</td></tr></table>"
        f"<p>{PARA1}</p>", 5),
    # Shaded tables (sample lines 45-51, 2190, 11-12): a gray header row over a white body; a
    # form whose label column is gray; a table shaded only in its last row.
    "shaded_tables": page(
        "<table><tr style='background: #d9d9d9'><td>구분</td><td>참여 기관</td><td>참여 인원</td></tr>"
        "<tr><td>서남권</td><td>1년차13개 센터 그 외 2개 기관 총 15개 기관</td><td>30명</td></tr>"
        "<tr><td>동북권</td><td>8개 센터</td><td>28명</td></tr></table>"
        "<p>발제와 토론은 다음과 같다.</p>"
        "<table><tr><td style='background: #d9d9d9'>발제자</td>"
        "<td>동대문구사회적경제통합지원센터 최근영 센터장</td></tr>"
        "<tr><td style='background: #d9d9d9'>토론 1</td><td>관악사회적경제통합지원센터장 이종환</td></tr>"
        "<tr><td style='background: #d9d9d9'>토론 2</td><td>노원사회적경제지원센터 우순영 센터장</td></tr>"
        "</table><p>권역별 참여 현황은 다음과 같다.</p>"
        "<table><tr><td>서북권</td><td>11개 센터</td><td>22명</td></tr>"
        "<tr><td>동남권</td><td>11개 센터</td><td>26명</td></tr>"
        "<tr style='background: #d9d9d9'><td>※ 센터에서는 서울시센터 포함</td><td></td><td>106명</td></tr>"
        "</table>", 7),
    # Tables without vertical rulings (sample lines 994-1000, 서남권 현황): one between a rule
    # above and a rule below (booktabs style), one with no rules at all, each under a line of
    # text and followed by text.
    "aligned_tables": page(
        "<p>서남권 현황은 다음과 같다.</p>"
        "<table style='border-top: 1pt solid #000; border-bottom: 1pt solid #000'>"
        "<tr><td class='a'>구</td><td class='a'>면적(km2)</td><td class='a'>인구수(만명)</td>"
        "<td class='a'>기업개수</td><td class='a'>종사자수</td></tr>"
        "<tr><td class='a'>관악구</td><td class='a'>30</td><td class='a'>51</td>"
        "<td class='a'>26,105</td><td class='a'>113,944</td></tr>"
        "<tr><td class='a'>양천구</td><td class='a'>17</td><td class='a'>46</td>"
        "<td class='a'>26,126</td><td class='a'>123,311</td></tr>"
        "<tr><td class='a'>강서구</td><td class='a'>41</td><td class='a'>54</td>"
        "<td class='a'>38,524</td><td class='a'>248,204</td></tr></table>"
        f"<p>{PARA1}</p>"
        "<table>"
        "<tr><td class='a'>구</td><td class='a'>사정기업개수</td><td class='a'>매출액(억)</td></tr>"
        "<tr><td class='a'>금천구</td><td class='a'>190</td><td class='a'>250</td></tr>"
        "<tr><td class='a'>영등포구</td><td class='a'>338</td><td class='a'>500</td></tr>"
        "<tr><td class='a'>관악구</td><td class='a'>193</td><td class='a'>300</td></tr></table>"
        f"<p>{PARA2}</p>", 11),
    # Near misses for the alignment rule: two-column prose and a table of contents with dot
    # leaders and page numbers (sample lines 7-15).
    "aligned_near_misses": "".join([
        page(f'<div class="cols"><p>{PARA1}</p><p>{PARA2}</p><p>{PARA3}</p><p>{PARA4}</p>'
             f'<p>{PARA1}</p><p>{PARA3}</p></div>', 12),
        page("<h2>목 차</h2>" + "".join(
            f"<div class='toc'><span>{title}</span><span>{number}</span></div>"
            for number, title in [
                (8, "[발제1] 자치구별 사회적경제 통합지원센터 현황과 전략과제"),
                (16, "[발제2] 자치구 거버넌스 구축 성과와 과제"),
                (22, "토론 1 관악사회적경제통합지원센터장 이종환"),
                (26, "토론 2 노원사회적경제지원센터 우순영 센터장"),
                (36, "토론 1 구로사회적경제통합지원센터 이향자센터장"),
                (40, "토론 2 동대문사회적경제지원센터 최근영 센터장"),
            ]) + "".join(
            f"<div class='toc2'><span>{number}</span><span>{title}</span><span>{who}</span></div>"
            for number, title, who in [
                (8, "[발제1] 통합지원센터 현황과 전략과제", "홍진주 센터장"),
                (16, "[발제2] 거버넌스 구축 성과와 과제", "박치득 센터장"),
                (22, "토론 1", "이종환 센터장"),
                (26, "토론 2", "우순영 센터장"),
            ]), 2),
    ]),
    # Shadowed text: every glyph drawn twice, the copy 0.4 pt off (Hancom's fake bold).
    "shadow_text": page(
        '<div style="position: relative; height: 20pt; font-size: 14pt">'
        '<span style="position: absolute; left: 0; top: 0">【별첨】 일반현황</span>'
        '<span style="position: absolute; left: 0.4pt; top: 0.3pt">【별첨】 일반현황</span></div>'
        f"<p>{PARA1}</p>", 6),
    # An image-only page between two text pages.
    "image_page": "".join([
        page(f"<p>{PARA1}</p>", 1),
        f'<div class="page"><img src="data:image/png;base64,{tiny_png()}" '
        'style="width: 150mm; height: 200mm; margin: 40mm 30mm"></div>',
        page(f"<p>{PARA2}</p>", 3),
    ]),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    chromium = os.environ.get("CHROMIUM", "chromium")
    # Names given on the command line: only those documents (the others stay as committed).
    only = set(sys.argv[1:])
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in DOCUMENTS.items():
            if only and name not in only:
                continue
            html = os.path.join(tmp, name + ".html")
            with open(html, "w", encoding="utf-8") as f:
                f.write(f"<!doctype html><html lang='ko'><meta charset='utf-8'>"
                        f"<style>{STYLE}</style><body>{body}</body></html>")
            pdf = os.path.join(OUT, name + ".pdf")
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(pdf, os.path.getsize(pdf), file=sys.stderr)
    if only and "shadow_text" not in only:
        return
    # The shadow page encrypted (user password `jaryo`), for the password tests (needs qpdf).
    subprocess.run(["qpdf", "--encrypt", "jaryo", "owner-secret", "256", "--",
                    os.path.join(OUT, "shadow_text.pdf"), os.path.join(OUT, "encrypted.pdf")],
                   check=True)


if __name__ == "__main__":
    main()
