"""Is a question about IT support at all? Off-topic questions are declined politely.

Two signals: the search's own "nothing found" (no passage is similar enough and no lexical
evidence: the question is far from every article) and a short list of typical requests to a
chat bot that are never IT support (weather, poems, jokes, recipes, sport, horoscopes) and a
few building and personnel matters (air conditioning, payroll). The list is generic on
purpose: none of its words was taken from the development questions (ADR 0013).
Either alone is not enough when the question names something technical ("Wetter-App auf dem
Diensthandy", "Gedicht in Word formatieren"): then it is an IT question without an article
("unknown") and may become a request.
"""

from __future__ import annotations

import re

OFF_TOPIC = re.compile(
    r"\b("
    r"wetter\w*|regen(?:schirm)?|sonnig|temperatur(?:en)?\s+morgen"
    r"|gedicht\w*|reim\w*|lied(?:text)?|songtext|geschichte\s+(?:schreib|erz[äa]hl)\w*"
    r"|witz\w*|erz[äa]hl\w*\s+(?:mir\s+)?(?:einen|eine|was)"
    r"|rezept\w*|kochen|backen|kuchen\w*|abendessen|mittagessen"
    r"|fu(?:ß|ss)ball\w*|bundesliga|tor(?:e)?\s+geschossen|olympi\w*"
    r"|horoskop\w*|sternzeichen|lotto\w*"
    r"|hauptstadt|bundeskanzler\w*|präsident\w*"
    r"|urlaubsziel\w*|reisetipp\w*|restaurant\w*|kinoprogramm|film\s?tipp\w*"
    # Building and personnel matters: other departments help there, not the IT network.
    r"|klimaanlage|büromaterial\w*|kantine\w*|gehaltsabrechnung\w*|lohnabrechnung\w*"
    r"|reisekostenabrechnung\w*|dienstwagen\w*"
    r")\b",
    re.IGNORECASE,
)

# Words that make a question technical whatever else it mentions.
IT_WORDS = re.compile(
    r"(computer|rechner|\bpc\b|laptop|notebook|tablet|handy|smartphone|drucker|scanner|kopierer"
    r"|bildschirm|monitor|tastatur|maus\b|headset|telefon|software|programm|\bapp\b|\bapps\b"
    r"|windows|outlook|word\b|excel|teams|browser|internet|wlan|vpn|netzwerk|server|laufwerk"
    r"|passwort|kennwort|\bpin\b|anmeld|login|konto|e-?mail|mail\b|postfach|datei|ordner"
    r"|fehler|meldung|update|installier|zertifikat|karte|akte|fachverfahren|portal|webseite"
    r"|homepage|\bit\b|digital|online|signatur|formular|usb|bluetooth|kamera|video)",
    re.IGNORECASE,
)

OFF_TOPIC_ANSWER = (
    "Ich bin der KI-Assistent des Netzwerks für Fragen zur IT-Unterstützung und antworte "
    "nur aus dem Wissen des Netzwerks. Bei dieser Frage kann ich Ihnen leider nicht helfen. "
    "Haben Sie eine Frage zu Ihrem Arbeitsplatz, zu Programmen oder Geräten? Dann fragen Sie "
    "gern."
)


def is_technical(question: str) -> bool:
    return bool(IT_WORDS.search(question))


def is_off_topic(question: str, *, search_found_nothing: bool) -> bool:
    """Decline when the question is clearly not IT support (see the module docstring)."""
    if is_technical(question):
        return False
    return search_found_nothing or bool(OFF_TOPIC.search(question))
