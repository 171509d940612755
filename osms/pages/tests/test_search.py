"""The search index: folding, stems, every word required, ranking, safe snippets (no database)."""

from __future__ import annotations

from osms.pages.search import Index, Unit, fold, query_words, snippet, stem


def unit(slug: str, text: str, *, title: str = "Title", heading: str = "", anchor: str = "") -> Unit:
    return Unit(slug=slug, page_title=title, summary="", anchor=anchor, heading=heading, text=text)


def test_fold_lowercases_and_maps_kazakh_letters_and_yo():
    assert fold("СақтандырУ") == "сактандыру"
    assert fold("Ёлка әғқңөұүһі") == "елка агкноуухи"


def test_query_words_are_distinct_folded_and_bounded():
    assert query_words("Статус статус и 1414") == ["статус", "1414"]  # "и" is too short to search
    assert len(query_words(" ".join(f"w{i}" for i in range(40)))) == 10


def test_stem_keeps_short_words_whole():
    assert stem("ГПХ".lower()) == "гпх"
    assert stem("статуса") == "статус"
    assert stem("сактандыруды") == "сактандыр"


def test_kazakh_without_kazakh_letters_and_word_forms_match():
    index = Index([unit("a", "Сақтандырылған мәртебесін тексеру"), unit("b", "Другое")])
    assert [hit.slug for hit in index.search("сактандыруды")] == ["a"]
    assert [hit.slug for hit in index.search("МӘРТЕБЕ")] == ["a"]


def test_every_word_must_be_on_the_page_but_may_be_in_different_sections():
    index = Index(
        [
            unit("a", "Временный статус на один месяц", anchor="temporary"),
            unit("a", "Документы для льготной категории", anchor="documents"),
            unit("b", "Временный перенос"),
        ]
    )
    assert [hit.slug for hit in index.search("временный документы")] == ["a"]
    assert index.search("временный отсутствует") == []


def test_short_words_match_whole_words_only():
    index = Index([unit("a", "договор ГПХ"), unit("b", "гпхх")])
    assert [hit.slug for hit in index.search("ГПХ")] == ["a"]


def test_title_and_heading_rank_above_text_and_the_best_section_is_linked():
    index = Index(
        [
            unit("text", "предоплата упоминается один раз", title="Другое"),
            unit("titled", "ничего", title="Предоплата"),
            unit("headed", "про взносы", heading="Предоплата на год", anchor="prepay", title="Статус"),
        ]
    )
    hits = index.search("предоплата")
    assert [hit.slug for hit in hits] == ["titled", "headed", "text"]
    assert hits[1].anchor == "prepay" and hits[1].heading == "Предоплата на год"


def test_snippet_escapes_text_and_marks_matches():
    html = snippet("Платите <b>взносы</b> каждый месяц & вовремя", {"взносы"})
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert "<mark>взносы</mark>" in html


def test_snippet_is_a_window_around_the_first_match():
    text = " ".join(f"слово{i}" for i in range(100)) + " предоплата " + " ".join(f"хвост{i}" for i in range(100))
    html = snippet(text, {"предоплата"}, size=12)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>предоплата</mark>" in html and "слово0 " not in html


def test_empty_or_punctuation_query_finds_nothing():
    index = Index([unit("a", "текст")])
    assert index.search("") == [] and index.search("!!! ??") == []
