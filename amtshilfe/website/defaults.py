"""Default texts of the editable website pages, until the coordination saves its own.

The texts are templates in German Markdown with ``{network}``, ``{region}`` and ``{email}``
filled in from the network. They are a sensible start, not legal advice: the coordination
checks and completes them (placeholders in square brackets).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from amtshilfe.tenancy.models import Network
from amtshilfe.website.models import SitePage

TITLES = {
    SitePage.Key.HOME: _("Willkommen"),
    SitePage.Key.IMPRINT: _("Impressum"),
    SitePage.Key.PRIVACY: _("Datenschutzerklärung"),
    SitePage.Key.ACCESSIBILITY: _("Erklärung zur Barrierefreiheit"),
}

HOME = """Im Netzwerk **{network}** bündeln die IT-Fachkräfte der Städte und Gemeinden
{region_phrase}ihr Wissen und helfen sich gegenseitig – nach dem Motto „Hilfe zur Selbsthilfe“.
Kleine Verwaltungen ohne eigene IT-Abteilung finden hier Anleitungen, Ansprechpersonen und
schnelle Hilfe aus den Nachbarkommunen.
"""

IMPRINT = """## Angaben gemäß § 5 DDG

{network}
vertreten durch die Koordinierungsstelle des Netzwerks
[Anschrift der Koordinierungsstelle]

## Kontakt

E-Mail: {email}
Telefon: [Telefonnummer]

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

[Name der verantwortlichen Person], [Anschrift]

## Haftung für Inhalte und Links

Die Inhalte dieser Website werden mit Sorgfalt erstellt. Für Inhalte verlinkter externer
Seiten sind ausschließlich deren Betreiber verantwortlich.
"""

PRIVACY = """## Verantwortliche Stelle

{network}, Koordinierungsstelle, [Anschrift], E-Mail: {email}

## Datenschutzbeauftragte Person

[Name und Kontakt der oder des Datenschutzbeauftragten]

## Aufruf der Website

Beim Aufruf dieser Website verarbeitet der Server technisch notwendige Daten (IP-Adresse,
Zeitpunkt, aufgerufene Seite). Sie dienen der Auslieferung und Sicherheit der Website
(Art. 6 Abs. 1 lit. e DSGVO) und werden nicht an Dritte weitergegeben. Die Website lädt
keine Inhalte von anderen Servern, setzt keine Analyse- oder Werbe-Cookies und kommt
ohne Tracking aus. Ein Sitzungs-Cookie wird nur nach der Anmeldung gesetzt.

## Beitrittsanfrage („Mitmachen“)

Wenn Sie eine Beitrittsanfrage stellen, verarbeiten wir die Angaben im Formular (Kommune,
Ansprechperson, E-Mail-Adresse, Telefonnummer, Angaben zur Mitarbeit), um Ihre Anfrage zu
bearbeiten und Sie zu kontaktieren (Art. 6 Abs. 1 lit. a und e DSGVO). Die Daten sieht nur
die Koordinierungsstelle. Entschiedene Anfragen werden zwölf Monate nach der Entscheidung gelöscht.

## Ihre Rechte

Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung,
Widerspruch und – bei einer Einwilligung – deren Widerruf mit Wirkung für die Zukunft.
Sie können sich bei der zuständigen Datenschutzaufsichtsbehörde beschweren.
"""

ACCESSIBILITY = """Die Koordinierungsstelle des Netzwerks **{network}** ist bemüht, diese Website
barrierefrei zugänglich zu machen. Rechtsgrundlage sind das Behindertengleichstellungsgesetz
(BGG), die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und das jeweilige
Landesrecht zur Umsetzung der Richtlinie (EU) 2016/2102.

## Stand der Vereinbarkeit mit den Anforderungen

Die Website ist mit den Anforderungen der BITV 2.0 und der EN 301 549 weitgehend vereinbar.
Sie wird regelmäßig automatisiert (axe-core) und mit der Tastatur geprüft. Alle Seiten
funktionieren ohne JavaScript, lassen sich vergrößern und drucken.

## Nicht barrierefreie Inhalte

Anhänge in Artikeln der Wissensdatenbank, die von Kommunen hochgeladen wurden (zum Beispiel
PDF-Dateien), sind nicht in jedem Fall barrierefrei.

## Erstellung dieser Erklärung

Diese Erklärung wurde auf Grundlage einer Selbstbewertung erstellt und wird jährlich
überprüft.

## Feedback und Kontaktangaben

Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten aufgefallen, oder benötigen Sie
Informationen in einer barrierefreien Form? Dann wenden Sie sich bitte an die
Koordinierungsstelle: E-Mail {email}, Telefon [Telefonnummer]. Wir antworten in der Regel
innerhalb von zwei Wochen.

## Durchsetzungsverfahren (Schlichtungsverfahren)

Wenn auch nach Ihrem Feedback an den oben genannten Kontakt keine zufriedenstellende Lösung
gefunden wurde, können Sie sich an die Durchsetzungs- bzw. Schlichtungsstelle Ihres Landes
wenden (für Bundesbehörden: Schlichtungsstelle nach § 16 BGG beim Beauftragten der
Bundesregierung für die Belange von Menschen mit Behinderungen). Das Verfahren ist
kostenlos; Sie brauchen keinen Rechtsbeistand. [Anschrift und Kontakt der zuständigen
Durchsetzungsstelle des Landes]
"""

BODIES = {
    SitePage.Key.HOME: HOME,
    SitePage.Key.IMPRINT: IMPRINT,
    SitePage.Key.PRIVACY: PRIVACY,
    SitePage.Key.ACCESSIBILITY: ACCESSIBILITY,
}


def default_title(key: str) -> str:
    return str(TITLES[SitePage.Key(key)])


def default_body(key: str, network: Network) -> str:
    """The default text of page ``key`` with the network's name and contact filled in."""
    return BODIES[SitePage.Key(key)].format(
        network=network.name,
        region_phrase=f"in der Region {network.region} " if network.region else "",
        email=network.contact_email or "[E-Mail-Adresse]",
    )
