"""Quotations and sentences: straight, curly, doubled apostrophes, re-opened paragraphs."""

from statements.extraction.quotes import find_quotes
from statements.extraction.sentences import QuoteIndex, split_sentences


def _quoted(text: str) -> list[str]:
    return [text[a:b] for a, b in find_quotes(text)]


def test_curly_and_straight_quotes():
    text = 'She said “yes, at once.” He said "no, never." They said ``maybe``.'
    assert _quoted(text) == ["“yes, at once.”", '"no, never."']


def test_doubled_apostrophes_count_as_quote_marks():
    assert _quoted("''We are ready,'' the coach said.") == ["''We are ready,''"]


def test_reopened_quote_spans_paragraphs():
    text = (
        "The pilot said: “We lost one engine over the sea.\n\n"
        "“Then the second one began to cough.”\n\nNothing else was said."
    )
    (quote,) = _quoted(text)
    assert quote.startswith("“We lost") and quote.endswith("cough.”")


def test_unclosed_quote_ends_with_its_paragraph():
    text = "He shouted “stop the cars\n\nThe cars stopped."
    assert _quoted(text) == ["“stop the cars"]


def test_sentences_never_split_inside_a_quote():
    text = "“We came. We saw. We left,” the tourist said. Mr. Lee agreed."
    sentences = split_sentences(text, 0, QuoteIndex(find_quotes(text)))
    assert [text[s.start : s.end] for s in sentences] == [
        "“We came. We saw. We left,” the tourist said.",
        "Mr. Lee agreed.",
    ]
