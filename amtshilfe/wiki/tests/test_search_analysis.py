"""German analysis: tokens, stems, compounds, synonyms, typo repair."""

from __future__ import annotations

from amtshilfe.wiki.search.analysis import (
    CompoundSplitter,
    Vocabulary,
    analyse_query,
    correct_typo,
    document_terms,
    stem,
    tokens,
)


def test_it_keeps_error_codes_and_splits_hyphenated_words():
    assert tokens("Scan-to-Folder 0x80070005 E-Akte") == [
        "scantofolder",
        "scan",
        "to",
        "folder",
        "0x80070005",
        "eakte",
        "akte",
    ]


def test_it_splits_compounds_with_linking_elements():
    splitter = CompoundSplitter(
        ["drucker", "warteschlange", "anmeldung", "fehler", "ruf", "umleitung"],
        [stem("aufträge"), stem("druck")],
    )
    assert splitter.split("druckerwarteschlange") == ["drucker", "warteschlange"]
    assert splitter.split("anmeldungsfehler") == ["anmeldung", "fehler"]
    assert splitter.split("rufumleitung") == ["ruf", "umleitung"]
    assert splitter.split("ordner") == []
    assert splitter.split("drucker") == []


def test_it_indexes_compound_parts_so_that_separate_words_match():
    splitter = CompoundSplitter(["drucker", "warteschlange"])
    terms = document_terms("Die Druckerwarteschlange hängt", splitter)
    assert stem("drucker") in terms and stem("warteschlange") in terms


def test_it_repairs_typos_against_the_index_vocabulary():
    vocabulary = Vocabulary(document_frequency={stem("warteschlange"): 3, stem("drucker"): 5})
    assert correct_typo(stem("warteschlnage"), vocabulary) == [stem("warteschlange")]
    assert correct_typo(stem("kaffeemaschine"), vocabulary) == []


def test_it_expands_synonyms_abbreviations_and_colloquial_phrases():
    vocabulary = Vocabulary(document_frequency={stem("passwort"): 2})
    terms = {
        t.term: t for t in analyse_query("Kennwort geht nicht", vocabulary, CompoundSplitter([]))
    }
    assert terms[stem("kennwort")].source == "word"
    assert terms[stem("passwort")].source == "synonym"
    assert stem("störung") in terms  # "geht nicht"
    mfa = {t.term for t in analyse_query("MFA einrichten", vocabulary, CompoundSplitter([]))}
    assert stem("authenticator") in mfa and "mehrfaktor" in mfa


def test_it_drops_stop_words_and_filler():
    terms = {
        t.term
        for t in analyse_query(
            "hallo, ich hab mal eine Frage zum Drucker", Vocabulary(), CompoundSplitter([])
        )
    }
    assert terms >= {stem("drucker")}
    assert not terms & {"hallo", "ich", "mal", "frag"}
