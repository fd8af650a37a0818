#!/usr/bin/env python3
"""Makes the program fixtures the program tests (tests/structure_programs.rs) read: three small
booklets whose first pages carry an order of proceedings, printed from HTML by headless
Chromium with the system's Korean fonts (Debian: chromium, fonts-nanum), so they reach jaryo as
real PDFs do (lines with sizes and boxes, ruled tables).

  press_conference.pdf  a press conference's `기자회견 순서`: `사 회 | …`, `인사말 | …`,
                        `발 표 | 1) … : …` with a second numbered item on the next line, then
                        one page per talk headed by its title (no byline under it).
  forum_timetable.pdf   a forum's `프로그램`: a ruled table 시간 | 내용 | 발표자 (the role in
                        the content cell), then a table with a role column 구분 | 주제 | 발표자,
                        then the talks' pages.
  ceremony_order.pdf    a ceremony's `식 순`: a numbered list (`1. 개회사 : …`, dot leaders
                        between a spaced role and its speaker, items with no role), then one
                        page per address headed by its role (`환영사`).

Speakers appear in every form programs use: `이름 직함(소속)`, `소속 이름 직함`,
`이름/직함, 소속`, a name in a speaker column. Every name, organisation and title is made up.
Output: tests/data/program/*.pdf (committed; CI does not regenerate them).

Usage: python3 scripts/make_program_fixtures.py
"""
import os
import subprocess
import sys
import tempfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "program")

STYLE = """
@page { size: A4; margin: 0; }
body { margin: 0; font-family: 'NanumMyeongjo', serif; font-size: 11pt; }
.page { position: relative; width: 210mm; height: 297mm; page-break-after: always; overflow: hidden; }
.footer { position: absolute; bottom: 12mm; left: 0; right: 0; text-align: center; font-size: 9pt; }
.body { position: absolute; top: 30mm; left: 25mm; right: 25mm; line-height: 1.7; }
.body p { margin: 0 0 11pt 0; text-align: justify; }
h1 { font-family: 'NanumGothic', sans-serif; font-size: 22pt; text-align: center; margin: 60mm 0 14pt 0; }
h2 { font-family: 'NanumGothic', sans-serif; font-size: 16pt; margin: 0 0 14pt 0; }
.cover p { text-align: center; font-size: 12pt; }
.order p { margin: 0 0 8pt 0; font-size: 12pt; }
.order .indent { padding-left: 22mm; }
table { border-collapse: collapse; margin: 8pt 0 18pt 0; width: 100%; }
td, th { border: 0.75pt solid #000; padding: 4pt 6pt; font-weight: normal; font-size: 10pt; white-space: nowrap; }
"""

# Prose for the talks' pages: made up, a few sentences each.
PROSE = {
    "cause": ("사고가 난 지 일 년이 지났지만 원인을 밝히는 조사는 아직 첫걸음도 떼지 못하고 있습니다. "
              "조사 기구가 독립성을 갖추지 못한 채 관계 부처의 자료 제출에만 기대고 있기 때문입니다. "
              "조사 위원의 임기와 권한을 법으로 보장하고, 자료 제출을 거부하는 기관에 대한 제재 "
              "수단을 마련해야 합니다."),
    "support": ("피해자 지원은 의료비와 생계비에 머물러 있고, 심리 지원은 신청한 사람에게만 "
                "제공됩니다. 지원 기간도 사고 후 육 개월로 묶여 있어 장기적인 회복을 돕지 "
                "못합니다. 지원 대상을 가족과 현장 대응 인력까지 넓히고 기간 제한을 없애야 합니다."),
    "care": ("가온구의 주거 취약계층 가운데 홀로 사는 어르신의 비율은 지난 오 년 동안 꾸준히 "
             "늘었습니다. 돌봄 서비스는 동 주민센터마다 따로 운영되어 같은 가구가 여러 기관의 "
             "방문을 받거나 아무 방문도 받지 못하는 일이 생깁니다."),
    "village": ("마을 단위 돌봄 협력 모델은 주민 모임과 복지관, 보건소가 한 달에 한 번 함께 "
                "사례를 나누는 데서 출발합니다. 누리구의 두 개 동에서 시범 운영한 결과 방문의 "
                "중복이 크게 줄었습니다."),
    "opening": ("오늘 제5회 마을공동체 한마당에 함께해 주신 여러분께 감사드립니다. 올해 "
                "한마당은 서로 돌보는 마을을 주제로 준비하였습니다."),
    "welcome": ("가온구를 찾아 주신 모든 분을 환영합니다. 주민 여러분이 가꾸어 온 마을공동체가 "
                "구정의 든든한 버팀목이 되고 있습니다."),
    "congrats": ("한마당의 개최를 진심으로 축하드립니다. 의회도 마을공동체 지원 조례의 개정으로 "
                 "힘을 보태겠습니다."),
}


def page(body, number=None, cls=""):
    foot = f'<div class="footer">- {number} -</div>' if number else ""
    return f'<div class="page"><div class="body {cls}">{body}</div>{foot}</div>'


def table(rows):
    head, *body = rows
    html = "<tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr>"
    for row in body:
        html += "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
    return f"<table>{html}</table>"


PRESS = "".join([
    page("<h1>「생활안전기본법」 개정 촉구 기자회견</h1>"
         "<p>2026. 3. 12.(목) 오전 10시 · 국회 소통관</p>"
         "<p>주최 : 시민안전연대 · 녹색교통포럼</p>", cls="cover"),
    page("<h2>기자회견 순서</h2>"
         "<p>사 회 | 한서윤 사무처장(시민안전연대)</p>"
         "<p>인사말 | 녹색교통포럼 오민재 공동대표</p>"
         "<p>발 표 | 1) 사고 원인 조사의 과제 : 정다온 변호사(공익법센터 새길)</p>"
         "<p class='indent'>2) 피해자 지원 제도의 빈틈 : 유지호/연구위원, 사회안전연구소</p>"
         "<p>질의응답</p>", 1, cls="order"),
    page(f"<h2>사고 원인 조사의 과제</h2><p>{PROSE['cause']}</p><p>{PROSE['cause']}</p>", 2),
    page(f"<h2>피해자 지원 제도의 빈틈</h2><p>{PROSE['support']}</p><p>{PROSE['support']}</p>", 3),
])

FORUM = "".join([
    page("<h1>지역 돌봄과 주거 정책 토론회</h1>"
         "<p>2026년 5월 20일(수) 14:00 · 가온구청 대강당</p>", cls="cover"),
    page("<h2>프로그램</h2>"
         + table([
             ["시간", "내용", "발표자"],
             ["14:00~14:10", "개회사", "윤가람 이사장(한국마을재생학회)"],
             ["14:10~14:20", "축사", "가온구의회 문예진 의원"],
             ["14:20~14:50", "기조발제 : 돌봄이 머무는 동네", "백승하 교수(누리대학교)"],
         ])
         + "<p>2부 정책토론</p>"
         + table([
             ["구분", "주제", "발표자"],
             ["좌장", "", "남궁별 교수(가온대학교)"],
             ["발제 1", "주거 취약계층의 돌봄 실태", "차은결/선임연구원, 주거복지연구소"],
             ["발제 2", "마을 단위 돌봄 협력 모델", "누리구마을돌봄센터 진소망 센터장"],
             ["토론", "", "표하람 연구위원(국토정책연구원), 석지우 팀장(가온구청)"],
         ]), 1),
    page(f"<h2>주거 취약계층의 돌봄 실태</h2><p>{PROSE['care']}</p><p>{PROSE['care']}</p>", 2),
    page(f"<h2>마을 단위 돌봄 협력 모델</h2><p>{PROSE['village']}</p><p>{PROSE['village']}</p>", 3),
])

CEREMONY = "".join([
    page("<h1>제5회 마을공동체 한마당 기념식</h1>"
         "<p>2026. 10. 9.(금) 오후 2시 · 가온구 문화예술회관</p>", cls="cover"),
    page("<h2>식 순</h2>"
         "<p>1. 개회사 : 한국마을공동체협의회 장하은 상임대표</p>"
         "<p>2. 국민의례</p>"
         "<p>3. 환 영 사 ··········· 이수빈 구청장(가온구)</p>"
         "<p>4. 축 사 ··········· 나윤서/위원장, 가온구의회 행정복지위원회</p>"
         "<p>5. 기조강연 「서로 돌보는 마을」 - 도현우 교수(누리대학교)</p>"
         "<p>6. 시상 및 기념촬영</p>", 1, cls="order"),
    page(f"<h2>개회사</h2><p>{PROSE['opening']}</p>"
         f"<h2>환영사</h2><p>{PROSE['welcome']}</p>"
         f"<h2>축사</h2><p>{PROSE['congrats']}</p>", 2),
])

DOCUMENTS = {
    "press_conference": PRESS,
    "forum_timetable": FORUM,
    "ceremony_order": CEREMONY,
}


def main():
    os.makedirs(OUT, exist_ok=True)
    chromium = os.environ.get("CHROMIUM", "chromium")
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in DOCUMENTS.items():
            html = os.path.join(tmp, name + ".html")
            with open(html, "w", encoding="utf-8") as f:
                f.write(f"<!doctype html><html lang='ko'><meta charset='utf-8'>"
                        f"<style>{STYLE}</style><body>{body}</body></html>")
            pdf = os.path.join(OUT, name + ".pdf")
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(pdf, os.path.getsize(pdf), file=sys.stderr)


if __name__ == "__main__":
    main()
