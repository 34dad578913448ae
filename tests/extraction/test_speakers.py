"""Speaker resolution against a registry: names, aliases, accents, possessives, surnames."""

from statements.extraction import ActorName, resolve_speaker
from statements.extraction.speakers import split_title, tokens

REGISTRY = (
    ActorName("maria-lopez", ("María López",), "person"),
    ActorName("portugal", ("Portugal", "Lisbon"), "state"),
    ActorName("tom-reed", ("Tom Reed",), "person"),
    ActorName("tim-reed", ("Tim Reed",), "person"),
)


def test_accent_and_case_insensitive():
    assert resolve_speaker("MARIA LOPEZ", REGISTRY).slug == "maria-lopez"


def test_metonym_and_possessive_and_adjective():
    assert resolve_speaker("Lisbon", REGISTRY).slug == "portugal"
    assert resolve_speaker("Lisbon’s", REGISTRY).slug == "portugal"


def test_surname_only_when_unambiguous():
    assert resolve_speaker("Lopez", REGISTRY).slug == "maria-lopez"
    assert resolve_speaker("Reed", REGISTRY) is None  # Tom or Tim?


def test_unknown_name():
    assert resolve_speaker("Olaf Berg", REGISTRY) is None


def test_title_split_from_name():
    text = "Portuguese Finance Minister Ana Duarte"
    assert split_title(tokens(text, 0, len(text)), text) == (
        "Ana Duarte",
        "Portuguese Finance Minister",
    )
