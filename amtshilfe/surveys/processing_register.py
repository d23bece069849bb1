"""The processing register (Verzeichnis von Verarbeitungstätigkeiten, Art. 30 DSGVO) as data.

Kept in code, next to the models it describes, so that a change of what the platform stores
shows up in the same review. The page ``/umfragen/verarbeitungsverzeichnis/`` renders it for
the coordination, the steering group and the auditor role (data protection, staff council).

Honesty rule: ``deletion`` says what the software does *today*; where it does not delete by
itself, ``automatic`` is False and the page marks the gap, so nobody reads a wish as a fact.
The texts are a draft for the controller's data-protection officer, who checks and completes
them (contact details, the network's agreement as legal basis).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise

LEGAL_PUBLIC_TASK = _(
    "Art. 6 Abs. 1 lit. e, Abs. 3 DSGVO i. V. m. § 3 SächsDSDG und der öffentlich-rechtlichen "
    "Vereinbarung der Kommunen über das IT-Fachkräfte-Netzwerk"
)
LEGAL_EMPLOYMENT = _(
    "Art. 6 Abs. 1 lit. e, Art. 88 DSGVO i. V. m. § 11 SächsDSDG (Beschäftigtendaten, "
    "soweit für die dienstliche Aufgabe erforderlich)"
)
LEGAL_CONSENT = _("Art. 6 Abs. 1 lit. a DSGVO (freiwillige Angabe, jederzeit widerrufbar)")
LEGAL_OBLIGATION = _(
    "Art. 6 Abs. 1 lit. c, Art. 5 Abs. 2 und Art. 32 DSGVO (Rechenschaft und Sicherheit)"
)


@dataclass(frozen=True)
class Activity:
    """One processing activity (one row of the register)."""

    key: str
    name: Text
    purpose: Text
    legal_basis: Text
    data: Text
    persons: Text
    recipients: Text
    retention: Text
    deletion: Text
    automatic: bool
    where: str  # the models that hold the data (for the technical reader)


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        key="accounts",
        name=_("Benutzerkonten"),
        purpose=_("Anmeldung und Zuordnung von Rechten; Kontakt bei Anfragen."),
        legal_basis=LEGAL_EMPLOYMENT,
        data=_(
            "Benutzername, Vor- und Nachname, dienstliche E-Mail-Adresse, optional "
            "Telefonnummer, Sprache, Passwort nur als Argon2-Hash, Zeitpunkt der letzten "
            "Anmeldung, fehlgeschlagene Anmeldeversuche (Benutzername, IP-Adresse)."
        ),
        persons=_("Beschäftigte der teilnehmenden Kommunen und der Koordination."),
        recipients=_("Koordination; im Netzwerk sichtbar sind nur Name und Rolle."),
        retention=_(
            "Solange eine Mitgliedschaft besteht; nach dem Ausscheiden wird das Konto "
            "deaktiviert. Gesperrte Anmeldeversuche verfallen nach 15 Minuten."
        ),
        deletion=_(
            "Deaktivieren durch die Koordination; Konten werden nicht automatisch gelöscht, "
            "weil Anfragen und Artikel auf sie verweisen (Löschung auf Antrag durch die "
            "Koordination)."
        ),
        automatic=False,
        where="accounts.User, axes",
    ),
    Activity(
        key="memberships",
        name=_("Mitgliedschaften und Rollen"),
        purpose=_(
            "Nachweis, wer für welche Kommune in welcher Rolle mitwirkt (Verwaltung, "
            "IT-Fachkraft, Koordination, Steuerungsgruppe, Datenschutz/Personalrat)."
        ),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_("Person, Kommune, Rolle, Beginn und Ende; Themencluster und Zuständigkeiten."),
        persons=_("Beschäftigte der teilnehmenden Kommunen."),
        recipients=_("Mitglieder des Netzwerks (Rollen und Zuständigkeiten)."),
        retention=_("Als Historie dauerhaft, weil Abrechnungen und Entscheidungen darauf beruhen."),
        deletion=_("Keine Löschung; beendete Mitgliedschaften bleiben mit Enddatum erhalten."),
        automatic=False,
        where="tenancy.Membership, tenancy.NetworkRole, experts.ClusterMembership",
    ),
    Activity(
        key="audit",
        name=_("Protokoll (Audit-Log)"),
        purpose=_(
            "Nachvollziehbarkeit aller Änderungen an Stammdaten, Anfragen, Abrechnungen und "
            "Entscheidungen; Aufklärung von Missbrauch."
        ),
        legal_basis=LEGAL_OBLIGATION,
        data=_(
            "Zeitpunkt, handelnde Person, Aktion, betroffenes Objekt, geänderte Felder vorher "
            "und nachher, IP-Adresse, Anfrage-Kennung."
        ),
        persons=_("Alle Personen mit Konto."),
        recipients=_("Koordination und Datenschutz/Personalrat (lesend)."),
        retention=_("Unveränderlich gespeichert; Frist vom Verantwortlichen festzulegen."),
        deletion=_(
            "Datenbank-Trigger verhindern Änderung und Löschung; eine Löschfrist ist noch "
            "nicht umgesetzt (offene Maßnahme)."
        ),
        automatic=False,
        where="core.AuditEvent",
    ),
    Activity(
        key="requests",
        name=_("Anfragen, Kommentare und Verlauf"),
        purpose=_(
            "Bearbeitung von Hilfeersuchen zwischen den Kommunen; Auswertung der Abläufe "
            "ohne Personenbezug."
        ),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_(
            "Anfragende Person, Kommune, Betreff und Beschreibung, Kommentare (auch interne "
            "der IT), Zuständigkeit, Statuswechsel mit Zeitpunkt und handelnder Person, "
            "Bewertung und Kommentar zur Bewertung."
        ),
        persons=_("Anfragende Verwaltungsmitarbeitende, bearbeitende IT-Fachkräfte."),
        recipients=_(
            "Die anfragende Kommune und die IT-Seite (Cluster, Koordination); interne "
            "Kommentare nur die IT-Seite."
        ),
        retention=_("Für die Dauer der Netzwerkarbeit; Verlauf unveränderlich."),
        deletion=_("Keine automatische Löschung (offene Maßnahme: Frist festlegen)."),
        automatic=False,
        where="board.ServiceRequest, board.Comment, board.RequestEvent, board.Watcher",
    ),
    Activity(
        key="attachments",
        name=_("Anhänge an Anfragen, Artikeln und Vorlagen"),
        purpose=_("Bildschirmfotos und Dokumente zur Lösung einer Anfrage."),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_(
            "Dateien, die Personen hochladen (können personenbezogene Daten enthalten), "
            "hochladende Person, Zeitpunkt."
        ),
        persons=_("Hochladende Personen und in Dateien Abgebildete."),
        recipients=_("Wer die Anfrage, den Artikel oder die Vorlage sehen darf."),
        retention=_("Wie das Objekt, zu dem der Anhang gehört."),
        deletion=_("Entfernen durch Berechtigte; keine automatische Löschung."),
        automatic=False,
        where="board.RequestAttachment, wiki.Attachment, decisions.ProposalAttachment",
    ),
    Activity(
        key="time",
        name=_("Zeiterfassung"),
        purpose=_("Abrechnung der geleisteten Hilfe zwischen den Kommunen."),
        legal_basis=LEGAL_EMPLOYMENT,
        data=_("Person, Anfrage, Datum, Dauer, Tätigkeitsart, Bemerkung."),
        persons=_("IT-Fachkräfte, die Zeit erfassen."),
        recipients=_(
            "Die Person selbst und die Koordination; Berichte zeigen nur Summen je Kommune, "
            "nie Einzelpersonen (Dienstvereinbarung)."
        ),
        retention=_("Bis zum Abschluss der Abrechnungsperiode und der Aufbewahrungsfrist."),
        deletion=_("Keine automatische Löschung; abgeschlossene Zeiträume sind gesperrt."),
        automatic=False,
        where="timeaccounting.TimeEntry",
    ),
    Activity(
        key="settlement",
        name=_("Abrechnungen zwischen Kommunen"),
        purpose=_("Ausgleich der geleisteten Stunden zwischen den Kommunen."),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_(
            "Abrechnungen und Ausgleichsbuchungen je Kommune – ohne Personenbezug; nur die "
            "Bearbeitung steht im Protokoll."
        ),
        persons=_("Keine (Kommunen); im Protokoll die bearbeitende Person."),
        recipients=_("Koordination, Steuerungsgruppe, die betroffenen Kommunen."),
        retention=_("Haushaltsrechtliche Aufbewahrung (in der Regel 10 Jahre)."),
        deletion=_("Abgeschlossene Perioden werden nie geändert; keine automatische Löschung."),
        automatic=False,
        where="settlement.SettlementPeriod, settlement.Statement, settlement.Transfer",
    ),
    Activity(
        key="notifications",
        name=_("Benachrichtigungen"),
        purpose=_("Information über neue Anfragen, Kommentare, Umfragen und Termine."),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_(
            "Empfänger, Art, Titel, Text, Link, gelesen am, Versandstatus der E-Mail; "
            "Einstellungen, welche Arten per E-Mail kommen."
        ),
        persons=_("Alle Personen mit Konto."),
        recipients=_("Nur die Person selbst; E-Mails über den Mailserver der Kommune."),
        retention=_("Soll: 12 Monate."),
        deletion=_("Noch keine automatische Löschung (offene Maßnahme)."),
        automatic=False,
        where="notifications.Notification, notifications.NotificationPreference",
    ),
    Activity(
        key="assistant",
        name=_("Gespräche mit dem Assistenten"),
        purpose=_(
            "Antworten aus der Wissensdatenbank; Verbesserung anhand der Rückmeldung "
            "„Hat das geholfen?“."
        ),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_("Fragen und Antworten, Quellen, Rückmeldung, Person, Kommune."),
        persons=_("Verwaltungsmitarbeitende und IT-Fachkräfte, die den Assistenten nutzen."),
        recipients=_(
            "Nur die Person selbst; ein externes Sprachmodell nur, wenn die Verwaltung es "
            "ausdrücklich einrichtet."
        ),
        retention=_("30 Tage nach der letzten Nachricht (AMTSHILFE_ASSISTANT_RETENTION_DAYS)."),
        deletion=_(
            "Automatisch: „amtshilfe delete-old-conversations“ (täglich per Cron); die "
            "Person kann ihre Gespräche jederzeit selbst löschen."
        ),
        automatic=True,
        where="assistant.Conversation, assistant.Message",
    ),
    Activity(
        key="search_log",
        name=_("Suchanfragen"),
        purpose=_(
            "Liste der Fragen, zu denen die Suche nichts fand – Aufgaben für die "
            "Themen-Zuständigen."
        ),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_("Suchtext, Anzahl Treffer, Zeitpunkt – ohne Person und ohne Kommune."),
        persons=_("Keine direkt; Suchtexte können Namen enthalten."),
        recipients=_("Koordination und Themen-Zuständige (aggregiert)."),
        retention=_("Soll: 12 Monate."),
        deletion=_("Noch keine automatische Löschung (offene Maßnahme)."),
        automatic=False,
        where="wiki.SearchQueryLog",
    ),
    Activity(
        key="rating_invitations",
        name=_("Einladungen zur Bewertung einer Anfrage"),
        purpose=_("Zufriedenheit der Verwaltung nach einer erledigten Anfrage erfragen."),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_(
            "Anfragende Person, Anfrage, Link-Kennung nur als Hash, gültig bis, genutzt am. "
            "Die Bewertung selbst steht an der Anfrage (siehe Anfragen)."
        ),
        persons=_("Anfragende Verwaltungsmitarbeitende."),
        recipients=_("Niemand (technische Daten); die Bewertung sieht die IT-Seite der Anfrage."),
        retention=_("Links gelten 30 Tage und nur einmal."),
        deletion=_("Abgelaufene Einladungen werden noch nicht automatisch gelöscht."),
        automatic=False,
        where="surveys.RatingInvitation",
    ),
    Activity(
        key="surveys",
        name=_("Umfragen: Einladungen und anonyme Antworten"),
        purpose=_(
            "Erfolgsmessung des Netzwerks (gesparte Zeit, Gelerntes, Zufriedenheit) – nur "
            "zusammengefasst."
        ),
        legal_basis=LEGAL_CONSENT,
        data=_(
            "Einladung: Person, Umfrage, Link-Kennung nur als Hash, „beantwortet“ ja/nein, "
            "Tag der letzten Erinnerung. Antwort: Umfrage, Tag, Kommune und Rolle, Antworten – "
            "ohne Person, ohne Verbindung zur Einladung, ohne Uhrzeit."
        ),
        persons=_("Eingeladene Mitglieder des Netzwerks."),
        recipients=_(
            "Koordination und Steuerungsgruppe sehen Ergebnisse erst ab fünf Antworten "
            "(auch je Kommune); Freitexte in zufälliger Reihenfolge ohne Angaben zur Person."
        ),
        retention=_(
            "Antworten bis zur Auswertung und für Zeitreihen; Einladungen Soll: 12 Monate."
        ),
        deletion=_("Noch keine automatische Löschung der Einladungen (offene Maßnahme)."),
        automatic=False,
        where="surveys.Survey, surveys.SurveyInvitation, surveys.Response, surveys.Answer",
    ),
    Activity(
        key="join_requests",
        name=_("Beitrittsanfragen von Kommunen"),
        purpose=_("Aufnahme neuer Kommunen in das Netzwerk."),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_("Kommune, Ansprechperson, E-Mail, Telefon, Nachricht, Entscheidung."),
        persons=_("Ansprechpersonen interessierter Kommunen."),
        recipients=_("Koordination."),
        retention=_("Soll: 12 Monate nach der Entscheidung."),
        deletion=_("Noch keine automatische Löschung (offene Maßnahme)."),
        automatic=False,
        where="website.JoinRequest",
    ),
    Activity(
        key="events",
        name=_("Anmeldungen zu Veranstaltungen"),
        purpose=_("Organisation von Treffen und Schulungen des Netzwerks."),
        legal_basis=LEGAL_PUBLIC_TASK,
        data=_("Person, Veranstaltung, Status (angemeldet, Warteliste, abgesagt), Zeitpunkt."),
        persons=_("Mitglieder, die sich anmelden."),
        recipients=_("Koordination; Teilnehmerzahlen im Netzwerk."),
        retention=_("Soll: 6 Monate nach der Veranstaltung."),
        deletion=_("Noch keine automatische Löschung (offene Maßnahme)."),
        automatic=False,
        where="communication.EventRegistration",
    ),
    Activity(
        key="directory",
        name=_("Mitgliederverzeichnis und Expertise"),
        purpose=_(
            "Wer weiß was, in welcher Kommune, mit wie viel Zeit – damit Hilfe die richtige "
            "Person findet."
        ),
        legal_basis=LEGAL_CONSENT,
        data=_(
            "Selbst gewählte Angaben: Sichtbarkeit, E-Mail, Telefon, Notiz; Fähigkeiten, "
            "zugesagte Stunden, Abwesenheit."
        ),
        persons=_("IT-Fachkräfte und Mitglieder, die sich eintragen."),
        recipients=_("Mitglieder des Netzwerks, nur soweit die Person es freigibt."),
        retention=_("Bis die Person die Angaben ändert oder ausscheidet."),
        deletion=_("Die Person ändert oder entfernt ihre Angaben selbst."),
        automatic=True,
        where="communication.DirectoryEntry, experts.ExpertProfile, experts.Skill",
    ),
)

MEASURES: tuple[tuple[Text, Text], ...] = (
    (
        _("Vertraulichkeit"),
        _(
            "Anmeldung mit Passwort (Argon2), Sperre nach fünf Fehlversuchen je Benutzername "
            "und IP-Adresse; Rechte je Rolle und Kommune, unsichtbare Daten antworten wie "
            "nicht vorhanden (404); API-Schlüssel nur als Hash, widerrufbar."
        ),
    ),
    (
        _("Integrität"),
        _(
            "Unveränderliches Protokoll (Datenbank-Trigger); abgeschlossene Abrechnungen "
            "und entschiedene Vorlagen sind gesperrt; Verlauf jeder Anfrage nur anhängbar."
        ),
    ),
    (
        _("Keine externen Ressourcen"),
        _(
            "Alle Skripte, Schriften und Bilder liefert die Anwendung selbst; "
            "Content-Security-Policy nur für die eigene Herkunft; kein Tracking."
        ),
    ),
    (
        _("Übertragung"),
        _(
            "HTTPS mit HSTS im Betrieb; Cookies nur über HTTPS, HttpOnly, SameSite; "
            "Schutz gegen Einbettung in fremde Seiten."
        ),
    ),
    (
        _("Datensparsamkeit in Auswertungen"),
        _(
            "Keine Zahl über einzelne Personen, keine Rangliste; Gruppen unter fünf Personen "
            "werden in Seiten, Exporten und der Schnittstelle unterdrückt."
        ),
    ),
    (
        _("Einmal-Links"),
        _(
            "Links in E-Mails sind zufällig (256 Bit), nur als Hash gespeichert, laufen ab "
            "und gelten nur einmal; ein Aufruf allein speichert nichts."
        ),
    ),
    (
        _("Verfügbarkeit"),
        _(
            "Betrieb auf Servern der Verwaltung (SQLite oder PostgreSQL); Datensicherung nach "
            "dem Sicherungskonzept des Betreibers."
        ),
    ),
)


def activities() -> tuple[Activity, ...]:
    return ACTIVITIES


def open_measures() -> list[Activity]:
    """Activities whose deletion is not automatic yet (shown as a to-do list)."""
    return [activity for activity in ACTIVITIES if not activity.automatic]
