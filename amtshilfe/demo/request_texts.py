"""Texts of the demo's request history: further requests, comments and self-help searches.

``OFFICES`` are all masculine or neuter ("im Bauamt", "des Bauhofs"), as the templates need.

Written for the demo (fictional, like everything in ``demo_data/``). The requests of the
development data set (``demo_data/requests.jsonl``) are joined by ``VARIATIONS``: more
requests of the same kinds, per topic cluster, with ``{amt}`` filled in from ``OFFICES``.
The conversation on a request is drawn from the pools below; ``{name}``, ``{colleague}``,
``{article}`` and ``{municipality}`` are filled in by ``history.py``.
"""

from __future__ import annotations

OFFICES: tuple[str, ...] = (
    "Bürgerbüro",
    "Standesamt",
    "Ordnungsamt",
    "Bauamt",
    "Einwohnermeldeamt",
    "Hauptamt",
    "Personalamt",
    "Bauhof",
)

# Per cluster: (title, description, urgency). Titles stay unique per municipality.
VARIATIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "arbeitsplatz-drucker": (
        (
            "Drucker im {amt} druckt nur noch leere Seiten",
            "Seit heute früh kommen aus dem Etagendrucker im {amt} nur weiße Blätter. Toner "
            "ist laut Anzeige noch halb voll.",
            "normal",
        ),
        (
            "Zweiter Bildschirm bleibt schwarz",
            "Am Platz im {amt} wird der zweite Monitor nach dem Umzug in ein anderes Büro "
            "nicht mehr erkannt. Kabel habe ich schon getauscht.",
            "low",
        ),
        (
            "Scan-to-Folder landet nicht im Ordner",
            "Der Kopierer im {amt} meldet „Senden erfolgreich“, im Scan-Ordner kommt aber "
            "nichts an.",
            "normal",
        ),
        (
            "Software aus dem Softwarecenter installiert nicht",
            "Ich brauche den PDF-Editor für die Formulare im {amt}. Die Installation bleibt "
            "im Softwarecenter bei „Wird heruntergeladen“ stehen.",
            "low",
        ),
        (
            "PC startet nach Update in Schleife neu",
            "Der Rechner am Schalter im {amt} hat über Nacht Updates installiert und startet "
            "seitdem immer wieder neu. Wir haben Publikumsverkehr.",
            "high",
        ),
        (
            "Tonerbestellung für das Multifunktionsgerät",
            "Beim Gerät im {amt} geht der schwarze Toner zur Neige. Wer bestellt den und "
            "welche Artikelnummer brauchen wir?",
            "low",
        ),
        (
            "Druckaufträge bleiben in der Warteschlange",
            "Alle Ausdrucke aus dem {amt} hängen mit „Fehler – Drucken“. Neustart des "
            "Druckers hat nichts gebracht.",
            "normal",
        ),
    ),
    "konten-passwoerter": (
        (
            "Konto nach Urlaub gesperrt",
            "Nach drei Wochen Urlaub kann ich mich nicht mehr anmelden, es heißt „Konto "
            "gesperrt“. Ich arbeite im {amt}.",
            "high",
        ),
        (
            "Neue Kollegin braucht ein Benutzerkonto",
            "Zum Ersten fängt bei uns im {amt} eine neue Sachbearbeiterin an. Was brauchen "
            "Sie von uns für Konto, Postfach und Fachverfahren?",
            "normal",
        ),
        (
            "Authenticator-App zeigt falsche Codes",
            "Die Codes aus der App werden bei der Anmeldung abgelehnt. Das Handy hat gestern "
            "ein Update bekommen.",
            "normal",
        ),
        (
            "Passwort abgelaufen im Homeoffice",
            "Beim Anmelden von zu Hause steht, dass mein Kennwort abgelaufen ist, ändern "
            "kann ich es aber nicht.",
            "normal",
        ),
        (
            "Zugriff auf Ordner des {amt}s fehlt",
            "Ich vertrete ab Montag eine Kollegin im {amt} und sehe deren Ablageordner nicht.",
            "low",
        ),
        (
            "Konto einer ausgeschiedenen Mitarbeiterin",
            "Eine Kollegin aus dem {amt} ist Ende des Monats ausgeschieden. Wie wird ihr "
            "Konto deaktiviert und was passiert mit ihren Dateien?",
            "low",
        ),
        (
            "Self-Service zum Zurücksetzen klappt nicht",
            "Der Link zum Kennwort-Zurücksetzen sagt, meine Sicherheitsfragen sind nicht "
            "hinterlegt.",
            "normal",
        ),
    ),
    "email-kalender": (
        (
            "Funktionspostfach des {amt}s fehlt in Outlook",
            "Das gemeinsame Postfach des {amt}s ist seit heute aus meinem Outlook verschwunden.",
            "normal",
        ),
        (
            "Postfach fast voll – Warnmeldung",
            "Outlook warnt, dass mein Postfach gleich voll ist. Ich darf keine Mails "
            "löschen, die in die Akte gehören.",
            "low",
        ),
        (
            "Abwesenheitsnotiz für Kollegin einrichten",
            "Eine Kollegin aus dem {amt} ist kurzfristig krank. Können wir für sie eine "
            "Abwesenheitsnotiz setzen?",
            "normal",
        ),
        (
            "Outlook hängt beim Start bei „Profil wird geladen“",
            "Seit dem Neustart heute Morgen kommt Outlook nicht über den Ladebildschirm hinaus.",
            "high",
        ),
        (
            "Anhang zu groß für Bauantragsunterlagen",
            "Ich soll Pläne an ein Planungsbüro schicken, die Mail kommt mit „Anhang zu "
            "groß“ zurück.",
            "normal",
        ),
        (
            "Kalender der Amtsleitung freigeben",
            "Das Vorzimmer im {amt} soll die Termine der Amtsleitung sehen und eintragen können.",
            "low",
        ),
        (
            "Besprechungsraum lässt sich nicht buchen",
            "Der große Sitzungsraum taucht in Outlook nicht mehr als Raum auf.",
            "low",
        ),
    ),
    "netzwerk-vpn": (
        (
            "VPN bricht alle paar Minuten ab",
            "Im Homeoffice trennt sich das VPN ständig, danach muss ich mich neu anmelden.",
            "normal",
        ),
        (
            "Kein Netz im {amt} nach Stromausfall",
            "Nach dem Stromausfall gestern Abend haben drei Arbeitsplätze im {amt} kein "
            "Netzwerk mehr.",
            "critical",
        ),
        (
            "Laufwerk H: mit rotem Kreuz",
            "Mein persönliches Laufwerk ist nicht erreichbar, Dateien im Explorer werden "
            "nicht angezeigt.",
            "normal",
        ),
        (
            "Gäste-WLAN für Schulung im Ratssaal",
            "Am Donnerstag ist eine Schulung mit zwölf externen Teilnehmenden. Wie kommen "
            "die ins Gäste-WLAN?",
            "low",
        ),
        (
            "Bauhof hat keine Verbindung zum Rathaus",
            "Die Kollegen im Bauhof kommen seit heute Morgen nicht mehr auf die Server im Rathaus.",
            "high",
        ),
        (
            "Dienstlaptop findet das Dienst-WLAN nicht",
            "Mein neuer Laptop zeigt das Dienst-WLAN im Rathaus nicht an, nur das Gäste-WLAN.",
            "normal",
        ),
        (
            "Internet im {amt} sehr langsam",
            "Webseiten laden im {amt} seit gestern extrem langsam, das Fachverfahren im "
            "Browser hängt.",
            "normal",
        ),
    ),
    "telefonie-video": (
        (
            "Headset ohne Ton im Softphone",
            "Das neue USB-Headset wird erkannt, im Gespräch höre ich aber nichts.",
            "normal",
        ),
        (
            "Rufumleitung auf Handy einrichten",
            "Ich bin ab nächster Woche viel im Außendienst und möchte Anrufe auf das "
            "Diensthandy umleiten.",
            "low",
        ),
        (
            "Videokonferenz mit dem Landratsamt startet nicht",
            "Der Einladungslink aus dem Landratsamt öffnet sich, aber Kamera und Mikrofon "
            "bleiben grau.",
            "high",
        ),
        (
            "Mailbox-PIN vergessen",
            "Ich komme nicht mehr an meine Voicemail, weil ich die PIN vergessen habe.",
            "low",
        ),
        (
            "Konferenztechnik im Ratssaal für hybride Sitzung",
            "Für die nächste Gemeinderatssitzung sollen zwei Räte online zugeschaltet "
            "werden. Wer kann uns die Technik erklären?",
            "normal",
        ),
        (
            "Telefon im {amt} zeigt „Keine Leitung“",
            "Zwei Tischtelefone im {amt} sind seit heute tot, das Display zeigt „Keine Leitung“.",
            "high",
        ),
        (
            "Sammelnummer des {amt}s klingelt nirgends",
            "Anrufe auf die Sammelnummer des {amt}s gehen ins Leere, Einzelnummern funktionieren.",
            "high",
        ),
    ),
    "mobile-geraete": (
        (
            "Diensthandy synchronisiert keine Mails mehr",
            "Auf dem Diensthandy kommen seit zwei Tagen keine neuen Mails und Termine an.",
            "normal",
        ),
        (
            "Tablet für den Außendienst einrichten",
            "Der Bauhof hat ein neues Tablet bekommen. Wie bringen wir es in die Geräteverwaltung?",
            "low",
        ),
        (
            "Laptop fragt nach BitLocker-Schlüssel",
            "Nach dem Tausch der Dockingstation will der Laptop beim Start einen "
            "Wiederherstellungsschlüssel.",
            "high",
        ),
        (
            "Diensthandy im Zug liegen gelassen",
            "Mein Diensthandy ist seit gestern Abend weg, vermutlich im Zug nach Dresden.",
            "critical",
        ),
        (
            "App aus dem Unternehmensportal fehlt",
            "Ich finde die Scanner-App im Unternehmensportal nicht, die Kollegin hat sie aber.",
            "low",
        ),
        (
            "Akku vom Dienst-Tablet hält nur noch eine Stunde",
            "Das Tablet aus dem {amt} ist nach einer Stunde leer. Gibt es Ersatz?",
            "low",
        ),
        (
            "Neues Diensthandy: Authenticator umziehen",
            "Ich habe ein neues Diensthandy bekommen. Was muss ich mit der "
            "Anmelde-App machen, bevor ich das alte abgebe?",
            "normal",
        ),
    ),
    "eakte-scannen": (
        (
            "Scans in der E-Akte nicht durchsuchbar",
            "Die Dokumente von der Scanstation lassen sich in der E-Akte nicht nach Text "
            "durchsuchen.",
            "low",
        ),
        (
            "Dokument versehentlich überschrieben",
            "Ich habe in der E-Akte eine Stellungnahme mit einer falschen Fassung "
            "überschrieben. Kann man die alte Version zurückholen?",
            "normal",
        ),
        (
            "Posteingang: Briefe landen im falschen Korb",
            "Gescannte Post für das {amt} erscheint im Eingangskorb des Hauptamts.",
            "normal",
        ),
        (
            "Trennblätter werden nicht erkannt",
            "An der Scanstation werden alle Briefe zu einem einzigen PDF zusammengefasst.",
            "normal",
        ),
        (
            "Vertretung sieht Akten nicht",
            "Meine Vertretung im {amt} kann die laufenden Akten in der E-Akte nicht öffnen.",
            "normal",
        ),
        (
            "Akte abschließen vor der Aussonderung",
            "Wir wollen alte Vorgänge aus 2014 abschließen. Welche Fristen gelten und wie "
            "geht das in der E-Akte?",
            "low",
        ),
        (
            "E-Mail mit Anhängen in die E-Akte übernehmen",
            "Wie lege ich eine Mail mitsamt Anhängen in der richtigen Akte ab?",
            "low",
        ),
    ),
    "fachverfahren": (
        (
            "Meldebescheinigung druckt nicht",
            "Im Einwohnermeldeverfahren kommt beim Drucken der Meldebescheinigung kein "
            "Ausdruck, am Schalter wartet jemand.",
            "high",
        ),
        (
            "Fingerabdruckscanner wird nicht erkannt",
            "Bei der Beantragung eines Personalausweises meldet das Verfahren „Gerät nicht "
            "gefunden“.",
            "critical",
        ),
        (
            "Buchung im Finanzwesen abgelehnt",
            "Ich kann eine Rechnung aus dem Dezember nicht buchen, es heißt „Periode gesperrt“.",
            "normal",
        ),
        (
            "Rechnungsworkflow hängt bei der Freigabe",
            "Eine Eingangsrechnung steht seit einer Woche bei „Freigabe“, obwohl die "
            "Amtsleitung freigegeben hat.",
            "normal",
        ),
        (
            "Ratsinformationssystem: Vorlage nicht veröffentlicht",
            "Die Sitzungsvorlage für den Bauausschuss ist im RIS angelegt, erscheint aber "
            "nicht im öffentlichen Bereich.",
            "normal",
        ),
        (
            "Fachverfahren startet über den Terminalserver nicht",
            "Beim Klick auf das Verfahren erscheint kurz ein Fenster, dann passiert nichts.",
            "high",
        ),
        (
            "Rückmeldungen bleiben im Postkorb",
            "Im Meldeverfahren stauen sich Rückmeldungen anderer Meldebehörden im Postkorb.",
            "normal",
        ),
    ),
    "ozg-onlinedienste": (
        (
            "Online-Antrag auf Hundesteuer freischalten",
            "Wir möchten die Anmeldung zur Hundesteuer online anbieten. Was müssen wir dafür tun?",
            "low",
        ),
        (
            "Bürger findet Zahlung zum Antrag nicht",
            "Ein Bürger hat online bezahlt, im Behördenpostfach ist der Antrag aber als "
            "„unbezahlt“ markiert.",
            "normal",
        ),
        (
            "Online-Formular bricht beim Absenden ab",
            "Mehrere Bürgerinnen melden, dass das Formular für die Sondernutzung beim "
            "Absenden eine Fehlerseite zeigt.",
            "high",
        ),
        (
            "Neue Meldung auf der Website veröffentlichen",
            "Wie stelle ich im CMS eine Baustellenmeldung mit Bild auf die Startseite?",
            "low",
        ),
        (
            "Bürgerin kommt nicht ins Nutzerkonto",
            "Eine Bürgerin bekommt beim Anmelden mit ihrem Nutzerkonto immer wieder die "
            "Startseite angezeigt.",
            "normal",
        ),
        (
            "Behördenpostfach: Anträge werden nicht abgerufen",
            "Seit drei Tagen kommen im {amt} keine Online-Anträge mehr an, obwohl Bürger "
            "welche gestellt haben.",
            "high",
        ),
        (
            "Zuständigkeit im Landesportal falsch",
            "Im Landesportal wird für Gewerbeanmeldungen noch die alte Ansprechperson angezeigt.",
            "low",
        ),
    ),
    "infosicherheit-datenschutz": (
        (
            "Verdächtige Rechnung per Mail",
            "Im {amt} kam eine Mail mit einer Rechnung als ZIP-Datei von einer Firma, die "
            "wir nicht kennen.",
            "high",
        ),
        (
            "Mail an falschen Empfänger geschickt",
            "Ich habe einen Bescheid mit Gesundheitsdaten an einen falschen Empfänger "
            "geschickt. Was muss ich jetzt tun?",
            "critical",
        ),
        (
            "Darf ich einen Online-Übersetzer nutzen?",
            "Für ein Schreiben an eine ukrainische Familie würde ich gern einen "
            "Online-Übersetzer nutzen. Ist das erlaubt?",
            "low",
        ),
        (
            "USB-Stick vom Planungsbüro wird blockiert",
            "Ein Planungsbüro hat uns Unterlagen auf USB-Stick gebracht, der PC sperrt ihn.",
            "normal",
        ),
        (
            "Virenmeldung beim Öffnen eines Anhangs",
            "Beim Öffnen eines Anhangs kam eine rote Warnung des Virenschutzes. Ich habe den "
            "PC nicht ausgeschaltet.",
            "critical",
        ),
        (
            "Vertrauliche Unterlagen verschlüsselt versenden",
            "Ich muss Personalunterlagen an das Landratsamt schicken. Wie verschlüssele ich "
            "die Mail?",
            "normal",
        ),
        (
            "Schulung zu Phishing für das {amt}",
            "Können Sie dem {amt} in einer Dienstberatung kurz zeigen, woran man Phishing erkennt?",
            "low",
        ),
    ),
}

# The IT specialist asks for details (the card then waits for the municipality).
QUESTIONS: tuple[str, ...] = (
    "Können Sie mir ein Foto oder einen Screenshot der Fehlermeldung schicken?",
    "Seit wann genau tritt das auf, und betrifft es nur Ihren Arbeitsplatz?",
    "Bitte nennen Sie mir die Inventarnummer des Geräts (Aufkleber auf der Rückseite).",
    "Haben Sie den Rechner schon einmal komplett neu gestartet? Falls ja: Tritt es danach "
    "sofort wieder auf?",
    "Wann sind Sie morgen erreichbar? Ich würde mich gern per Fernwartung aufschalten.",
)

# The municipality answers.
REPLIES: tuple[str, ...] = (
    "Ja, der Neustart hat nichts geändert. Screenshot ist angehängt bzw. folgt per Mail.",
    "Betrifft nur meinen Platz, die Kollegin nebenan hat das Problem nicht.",
    "Seit gestern Nachmittag. Ich bin morgen ab 8 Uhr im Büro.",
    "Die Inventarnummer ist {number}. Ich bin heute bis 15 Uhr da.",
)

# How the IT specialist solved it; ``{article}`` links the knowledge-base article.
SOLUTIONS: dict[str, tuple[str, ...]] = {
    "arbeitsplatz-drucker": (
        "Die Warteschlange war hängen geblieben; ich habe sie geleert und den Treiber neu "
        "verteilt. Anleitung für das nächste Mal: {article}",
        "Das Gerät war nach dem Firmware-Update neu eingerichtet worden. Ist korrigiert, "
        "bitte einmal testen.",
    ),
    "konten-passwoerter": (
        "Konto ist entsperrt. Bitte das Kennwort bald selbst ändern, wie hier beschrieben: "
        "{article}",
        "Die Berechtigung ist eingerichtet und wirkt nach der nächsten Anmeldung.",
    ),
    "email-kalender": (
        "Ich habe die Freigabe neu gesetzt, nach einem Outlook-Neustart sollte alles da "
        "sein. Zum Nachlesen: {article}",
        "Das Profil war beschädigt; ich habe es neu angelegt. Ihre Mails sind vollständig.",
    ),
    "netzwerk-vpn": (
        "Der Switch im Verteilerschrank hing nach dem Stromausfall. Ist neu gestartet, "
        "alle Ports sind wieder aktiv.",
        "Das Zertifikat war abgelaufen; ich habe es erneuert. Hintergrund: {article}",
    ),
    "telefonie-video": (
        "Im Softphone war das falsche Audiogerät ausgewählt. Wie man es umstellt: {article}",
        "Die Nebenstellen waren nach der Wartung nicht wieder angemeldet. Läuft wieder.",
    ),
    "mobile-geraete": (
        "Das Gerät ist in der Geräteverwaltung neu registriert; die Profile sind wieder da. "
        "Siehe auch {article}",
        "Der Wiederherstellungsschlüssel ist telefonisch durchgegeben, der Laptop startet wieder.",
    ),
    "eakte-scannen": (
        "Die Texterkennung war am Scanprofil abgeschaltet. Ist wieder aktiv, Details hier: "
        "{article}",
        "Die Zuordnung im Posteingang war falsch hinterlegt und ist korrigiert.",
    ),
    "fachverfahren": (
        "Nach dem letzten Update fehlte die Druckerzuordnung im Verfahren. Ist ergänzt. "
        "Siehe {article}",
        "Der Hersteller hat uns einen Patch gegeben; ich habe ihn eingespielt.",
    ),
    "ozg-onlinedienste": (
        "Die Zuständigkeit im Portal war falsch gepflegt. Ist geändert, Anleitung: {article}",
        "Der Abruf aus dem Behördenpostfach lief mit einem abgelaufenen Zertifikat. Erneuert.",
    ),
    "infosicherheit-datenschutz": (
        "Danke für die schnelle Meldung! Die Mail ist gesperrt, der Rechner geprüft und "
        "sauber. Zum Nachlesen: {article}",
        "Ich habe mit dem Datenschutz gesprochen; das weitere Vorgehen steht in {article}",
    ),
}

# An internal note for a colleague of the cluster (``{colleague}`` is a username).
INTERNAL_NOTES: tuple[str, ...] = (
    "@{colleague} hattest du das nicht neulich in deiner Kommune auch? Wie hast du es gelöst?",
    "@{colleague} kannst du kurz draufschauen? Ich komme erst übermorgen dazu.",
    "Intern: Das ist schon die dritte Meldung dieser Art diese Woche. @{colleague} sollten "
    "wir das im Themencluster besprechen?",
)
INTERNAL_ANSWERS: tuple[str, ...] = (
    "Ja, bei uns war es das letzte Update. Rückgängig machen hat geholfen.",
    "Schaue ich mir heute Nachmittag an.",
    "Gute Idee, ich setze es auf die nächste Runde.",
)

# The municipality says thanks; ``RATING_COMMENTS`` go with a rating.
THANKS: tuple[str, ...] = (
    "Danke, funktioniert wieder!",
    "Vielen Dank für die schnelle Hilfe.",
    "Klappt jetzt, danke schön.",
)
RATING_COMMENTS: dict[int, tuple[str, ...]] = {
    5: ("Schnell und freundlich, vielen Dank!", "Super erklärt, das kann ich jetzt selbst.", ""),
    4: ("Hat etwas gedauert, aber jetzt läuft es.", ""),
    3: ("Gelöst, aber wir mussten mehrmals nachfragen.", ""),
    2: ("Hat fast zwei Wochen gedauert.",),
}
FOLLOW_UP = "Ich habe es mir noch einmal angesehen und die Einstellung dauerhaft korrigiert."
REOPEN_REASONS: tuple[str, ...] = (
    "Leider tritt der Fehler seit heute wieder auf.",
    "Bei der Kollegin im Nachbarbüro geht es immer noch nicht.",
)

# "Das hat geholfen" on the help page: what people searched for, and the article it found.
SELF_HELP: tuple[tuple[str, str], ...] = (
    ("drucker hängt", "druckerwarteschlange-haengt"),
    ("druckauftrag kommt nicht raus", "druckerwarteschlange-haengt"),
    ("kennwort vergessen", "kennwort-vergessen-selfservice"),
    ("passwort zurücksetzen", "kennwort-vergessen-selfservice"),
    ("konto gesperrt", "konto-gesperrt"),
    ("abwesenheitsnotiz", "abwesenheit-outlook"),
    ("urlaub automatische antwort", "abwesenheit-outlook"),
    ("postfach voll", "postfach-voll"),
    ("anhang zu groß", "grosse-dateien-senden"),
    ("vpn zuhause", "vpn-homeoffice-einwahl"),
    ("laufwerk rotes kreuz", "netzlaufwerk-fehlt"),
    ("gäste wlan", "gaeste-wlan-sitzung"),
    ("rufumleitung", "rufumleitung-einrichten"),
    ("headset kein ton", "softphone-headset"),
    ("mailbox abhören", "voicemail-abhoeren"),
    ("neues handy authenticator", "mfa-neues-smartphone"),
    ("bitlocker schlüssel", "bitlocker-wiederherstellung"),
    ("scan durchsuchbar", "scan-ocr-pdfa"),
    ("alte version wiederherstellen", "eakte-version-wiederherstellen"),
    ("phishing", "phishing-melden"),
    ("verdächtige mail", "phishing-melden"),
    ("ki übersetzer erlaubt", "ki-tools-dienstdaten"),
    ("zweiter monitor", "zweiter-monitor-docking"),
    ("scan to mail", "mfp-scan-to-mail"),
    ("programm installieren", "software-center-installieren"),
    ("kalender freigeben", "kalender-freigeben-stellvertretung"),
    ("raum buchen beamer", "raum-buchen"),
    ("videokonferenz extern", "videokonferenz-extern-teilnehmen"),
    ("website öffnungszeiten ändern", "website-cms-aendern"),
    ("pc langsam", "pc-langsam-updates"),
)
