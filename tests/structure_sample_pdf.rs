//! The structure stage on the sample booklet printed to PDF (`input/…pdf`, made by the
//! fixtures script): the same anatomy as on the text path. Skips when the PDF or the PDF
//! engine is not there.

use jaryo::document::{BlockType, SectionKind};
use jaryo::structure::{build_with, flatten, Structure};

fn structure() -> Option<Structure> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("input/seoul_social_economy_forum_2020.pdf");
    if !path.exists() {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    }
    let source = jaryo::source::read(&path).ok()?;
    let Ok((mut extracted, _)) =
        jaryo::extract::extract(&source, &jaryo::extract::ExtractOptions::default())
    else {
        eprintln!("skipped: the PDF engine cannot read the sample yet");
        return None;
    };
    jaryo::normalize::normalize(&mut extracted.pages);
    let spaced = |_: &str, _: &str| false;
    Some(build_with(&extracted.pages, &spaced))
}

#[test]
fn the_pdf_has_the_same_anatomy_as_the_text() {
    let Some(s) = structure() else { return };
    assert_eq!(
        s.title.as_deref(),
        Some("2020년 서울시 사회적경제 생태계 구축 성과 포럼 자료집")
    );
    let pages: Vec<Option<u32>> = s.toc.iter().map(|e| e.page).collect();
    assert_eq!(
        pages,
        [
            Some(8),
            Some(16),
            Some(22),
            Some(26),
            Some(30),
            Some(36),
            Some(40),
            Some(44),
            None
        ]
    );
    assert!(s.toc.iter().all(|e| e.section.is_some()));
    let all = flatten(&s.sections);
    let kinds = |k: SectionKind| all.iter().filter(|x| x.kind == k).count();
    assert_eq!(kinds(SectionKind::Presentation), 3);
    assert_eq!(kinds(SectionKind::Discussion), 4);
    assert_eq!(kinds(SectionKind::Appendix), 2);
    assert_eq!(kinds(SectionKind::Forum), 2);
    let presenters: Vec<(&str, Option<&str>)> = all
        .iter()
        .filter(|x| x.kind == SectionKind::Presentation)
        .map(|x| {
            (
                x.speakers[0].name.as_str(),
                x.speakers[0].affiliation.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        presenters,
        [
            ("홍진주", Some("마포구사회적경제통합지원센터")),
            ("박치득", Some("은평구사회적경제허브센터")),
            ("권소일", Some("서울시사회적경제지원센터 시민경제연구U")),
        ]
    );
    // The discussions start where the text path puts them: at the paper `*본 토론문은 …`,
    // at the slide `민관 거버넌스 형성 성과와 과제`, at `2012년에 서울시사회적경제생태계 …`
    // and at the title slide `전환의 시대, 변화를 위한 관계`.
    let openings: Vec<&str> = all
        .iter()
        .filter(|x| x.kind == SectionKind::Discussion)
        .map(|x| {
            let id = &x.blocks[0];
            s.blocks
                .iter()
                .find(|b| &b.id == id)
                .map_or("", |b| b.text.as_str())
        })
        .collect();
    let expected = [
        "*본 토론문은 발제문의",
        "민관 거버넌스 형성 성과와 과제",
        "2012년에 서울시사회적경제생태계",
        "전환의 시대, 변화를 위한 관계",
    ];
    assert_eq!(openings.len(), 4);
    for (got, want) in openings.iter().zip(expected) {
        assert!(
            got.starts_with(want),
            "{got:?} does not start with {want:?}"
        );
    }
    let tables: Vec<(usize, usize)> = s
        .blocks
        .iter()
        .filter_map(|b| b.table.as_ref())
        .map(|t| (t.rows.len(), t.rows.first().map_or(0, Vec::len)))
        .collect();
    assert_eq!(tables.len(), 32);
    assert_eq!(tables[0], (4, 9));
    assert_eq!(tables[31], (25, 4));
    assert!(s
        .blocks
        .iter()
        .all(|b| b.page.is_some() && (b.bbox.is_some() || b.kind == BlockType::Figure)));
    assert_eq!(s.colophon.len(), 8);
}
