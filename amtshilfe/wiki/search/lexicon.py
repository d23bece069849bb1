"""Language knowledge for German IT-support search: stop words, synonyms, colloquial words.

Written for Amtshilfe. Groups are equivalence classes: a query containing one member also
searches for the others. Keep entries lowercase, with umlauts; multi-word phrases are
matched on the normalised query text.
"""

from __future__ import annotations

STOPWORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anders auch auf aus bei beim bin bis bist da dabei dadurch dafür dagegen daher dahin damals
damit dann daran darauf daraus darf darfst darin darum darunter das dass davon davor dazu dein
deine deinem deinen deiner dem den denn der deren des deshalb dessen dich die dies diese diesem
diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einfach einmal er
es etwas euch euer eure für gab gar gibt ging gleich habe haben hab hast hat hatte hätte her
hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im immer in ins irgendwie irgendwas
ist ja jede jedem jeden jeder jedes jetzt kann kannst kein keine keinem keinen keiner man manche
mich mir mit muss musste nach nachdem nein noch nun nur ob oder ohne schon sehr sein seine
seinem seinen seiner seit sich sie sind so soll sollen sollte sondern sowie über um und uns
unser unsere unter viel vom von vor wann war waren warum was weil weiter welche welchem welchen
welcher welches wenn wer werde werden wie wieder will wir wird wirst wo wobei wurde wurden zu
zum zur zwar zwischen bitte hallo danke grüße gruß guten tag morgen mal eben halt echt total
leider kurz frage fragen problem probleme hilfe helfen hilft brauche brauchen möchte möchten
würde würden könnte könnten wieso weshalb wo woran bei beim heute gestern seit geht gehen kriege
krieg kriegt bekomme bekommen klappt nix nichts meinem meinen meiner mein meine sagt zeigt kommt
steht stehen dran drauf drin rein raus
""".split())

# Equivalence classes (synonyms, abbreviations, colloquial and English words staff use).
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("passwort", "kennwort", "pw", "passwd", "password", "zugangsdaten"),
    ("drucker", "printer", "druckgerät"),
    ("kopierer", "multifunktionsgerät", "mfp", "mfd", "multifunktionsdrucker"),
    ("handy", "smartphone", "mobiltelefon", "diensthandy", "telefon app"),
    ("laptop", "notebook", "dienstlaptop", "klapprechner"),
    ("pc", "rechner", "computer", "arbeitsplatzrechner", "kiste"),
    ("mail", "e-mail", "email", "mails", "emails"),
    ("wlan", "wifi", "wi-fi", "funknetz"),
    ("mfa", "2fa", "zwei-faktor", "mehr-faktor", "zweiter faktor", "authenticator"),
    ("ewo", "einwohnermeldewesen", "meldewesen", "einwohnermeldeamt", "meldebehörde"),
    ("e-akte", "eakte", "dms", "elektronische akte", "dokumentenmanagement"),
    ("gesperrt", "blockiert", "lock", "locked", "ausgesperrt"),
    ("kaputt", "defekt", "störung", "ausgefallen"),
    ("langsam", "lahm", "träge", "ewig", "dauert"),
    ("ausdrucken", "drucken", "druck"),
    ("einscannen", "scannen", "scan"),
    ("anrufbeantworter", "voicemail", "mailbox", "sprachnachricht"),
    ("beamer", "projektor"),
    ("abwesenheitsnotiz", "abwesenheitsassistent", "autoreply", "automatische antwort",
     "out of office", "urlaubsnotiz", "abwesenheitsmeldung"),
    ("urlaub", "abwesend", "abwesenheit", "verreist"),
    ("virus", "schadsoftware", "malware", "trojaner", "viren", "virenwarnung"),
    ("phishing", "betrugsmail", "verdächtige", "gefälscht", "spam"),
    ("usb-stick", "stick", "speicherstick", "usb"),
    ("vpn", "fernzugriff", "fernzugang", "remotezugang"),
    ("homeoffice", "home-office", "zuhause", "daheim", "telearbeit", "mobiles arbeiten"),
    ("ratsinformationssystem", "ris", "ratsinfo", "sitzungsdienst"),
    ("ozg", "onlinezugangsgesetz"),
    ("bundid", "bund-id", "nutzerkonto bund", "bürgerkonto"),
    ("headset", "kopfhörer", "hörer"),
    ("telefon", "tischtelefon", "apparat", "festnetz"),
    ("verloren", "gestohlen", "verlegt", "weg", "liegen lassen", "liegengelassen"),
    ("neue mitarbeitende", "neuer mitarbeiter", "neue kollegin", "neuer kollege", "azubi",
     "einstellung", "neueinstellung"),
    ("zugriff", "berechtigung", "rechte", "zugriffsrechte", "freigabe"),
    ("monitor", "bildschirm", "display"),
    ("anhang", "anlage", "attachment"),
    ("videokonferenz", "webkonferenz", "videocall", "videokonferenzen", "videoschalte"),
    ("netzlaufwerk", "laufwerk", "netzwerkordner", "gruppenlaufwerk", "share"),
    ("internet", "netzwerk", "netz", "lan", "online"),
    ("programm", "software", "anwendung", "app"),
    ("installieren", "installation", "aufspielen", "draufmachen"),
    ("rathaus", "verwaltung", "amt", "dienststelle"),
    ("verschlüsseln", "verschlüsselt", "verschlüsselung", "kryptografie"),
    ("meldebescheinigung", "meldebestätigung"),
    ("ausweis", "personalausweis", "pass", "reisepass"),
    ("toner", "tinte", "druckerpatrone", "patrone"),
    ("papierstau", "papier klemmt", "papier steckt", "stau"),
    ("texterkennung", "ocr", "durchsuchbar"),
    ("rechnung", "eingangsrechnung", "beleg"),
    ("kalender", "termin", "termine"),
    ("postfach", "mailbox", "inbox", "posteingang"),
    ("funktionspostfach", "gruppenpostfach", "sammelpostfach", "shared mailbox"),
    ("update", "updates", "aktualisierung", "neustart"),
    ("zertifikat", "certificate", "zertifikate"),
    ("konferenztechnik", "konferenzanlage", "mikrofon", "mikrofone"),
    ("ki", "künstliche intelligenz", "chatgpt", "chatbot", "übersetzer"),
    ("datenpanne", "datenschutzvorfall", "datenschutzverletzung", "falscher empfänger"),
    ("bitlocker", "wiederherstellungsschlüssel", "recovery key", "recovery"),
    ("dockingstation", "docking", "dock", "docking-station"),
    ("softwarecenter", "softwarekatalog", "software center"),
    ("unternehmensportal", "company portal", "intune", "geräteverwaltung", "mdm"),
    ("website", "webseite", "homepage", "internetseite", "internetauftritt"),
    ("cms", "redaktionssystem", "content management"),
    ("bezahlung", "e-payment", "zahlung", "gebühr", "bezahlt"),
    ("antrag", "anträge", "online-antrag", "formular"),
)

# Colloquial phrases that describe a problem without naming it.
PHRASES: tuple[tuple[str, str], ...] = (
    ("geht nicht", "störung fehler"),
    ("funktioniert nicht", "störung fehler"),
    ("klappt nicht", "störung fehler"),
    ("kommt nichts raus", "druckauftrag druckerwarteschlange"),
    ("kommt nix raus", "druckauftrag druckerwarteschlange"),
    ("nicht angemeldet", "anmeldung"),
    ("komm nicht rein", "anmeldung gesperrt"),
    ("komme nicht rein", "anmeldung gesperrt"),
    ("nicht mehr rein", "anmeldung gesperrt"),
    ("zu groß", "größe"),
    ("voll", "speicherplatz"),
    ("rotes kreuz", "rotem kreuz"),
    ("kein ton", "audio lautsprecher"),
    ("hört mich nicht", "mikrofon"),
)
