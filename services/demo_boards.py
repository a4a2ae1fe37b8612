"""Demo boards for `seed-demo`: six boards, sixty threads with replies, solutions, mentions and reactions (German).

Everything is written through the board services, so counters, the search index, mentions and read marks are what
real use would leave behind. Only the timestamps are moved back afterwards (see `_backdate`): the services stamp every
post "now", and a demo written in one second should look like eight weeks of use.

Texts are templates filled per author: {ort} "in Lünen" / "im Kreis Wesel" (where the writer works), {aus} "aus
Lünen", {vorname} the first name of whoever asked, {frage} an @mention of them, {kolleg} an @mention of a third
member, {r0}…{r7} an @mention of the author of that reply. A reply starting with "Q|" is written by whoever asked,
one starting with "R2|" by the author of reply 2 (counted from 0).
"""

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from models.board import Board, Post, ReactionKind, Thread
from models.organization import Organization
from models.user import Role, Status, User
from services import boards, moderation, posts

WEEKS = 8  # threads start within the last eight weeks


class Topic(NamedTuple):
    title: str
    tags: str  # comma-separated
    question: str
    replies: tuple[str, ...] = ()
    solution: int | None = None  # index into replies of the one the asker marks
    who: str = ''  # who takes part; '' = the board's default (see AUDIENCES)
    pinned: bool = False


class BoardSpec(NamedTuple):
    slug: str
    name: str
    description: str
    topics: tuple[Topic, ...]
    who: str = 'alle'
    moderators_only: bool = False


# Whose organisation fits a topic: the Kfz-Zulassung is no topic for the ministry.
AUDIENCES = {
    'alle': None,
    'kommunal': {'kommunal', 'regional'},  # levels: cities, districts and the regional association (TVöD, Rat, …)
    'vor-ort': {'kommunal'},  # only cities and districts: Bürgerbüro, Zulassung, Schulen
}

PLACES = {  # organisation: (where we work, where we write from)
    'Stadt Essen': ('in Essen', 'aus Essen'),
    'Stadt Lünen': ('in Lünen', 'aus Lünen'),
    'Kreis Wesel': ('im Kreis Wesel', 'aus dem Kreis Wesel'),
    'Regionalverband Ruhr': ('beim RVR', 'vom RVR'),
    'Stadt Duisburg': ('in Duisburg', 'aus Duisburg'),
    'Stadt Bochum': ('in Bochum', 'aus Bochum'),
    'Ministerium des Innern NRW': ('im Innenministerium', 'aus dem Innenministerium'),
    'Stadt Dortmund': ('in Dortmund', 'aus Dortmund'),
    'Stadt Gelsenkirchen': ('in Gelsenkirchen', 'aus Gelsenkirchen'),
    'Kreis Recklinghausen': ('im Kreis Recklinghausen', 'aus dem Kreis Recklinghausen'),
    'Stadt Oberhausen': ('in Oberhausen', 'aus Oberhausen'),
    'Hochschule für Polizei und öffentliche Verwaltung NRW': ('an der HSPV', 'von der HSPV'),
}

# ---------------------------------------------------------------- content

DIGITAL = (
    Topic(
        'E-Akte: Wie habt ihr die Altakten-Frage gelöst?', 'E-Akte, Dokumentenmanagement',
        'Hallo zusammen,\n\nwir {ort} führen gerade die E-Akte in den ersten drei Fachbereichen ein. Technisch läuft '
        'es inzwischen, aber intern diskutieren wir heftig über die Altakten: alles nachscannen, nur bei Bedarf '
        'scannen oder das Papier bis zum Ende der Aufbewahrungsfrist liegen lassen?\n\nWie seid ihr vorgegangen – '
        'und was hat es gekostet?\n\nViele Grüße {aus}',
        ('Wir {ort} scannen nur bei Bedarf („Scan on demand“). Wird eine Altakte angefordert, geht sie an die '
         'Poststelle und ist am nächsten Tag digital da. Alles nachzuscannen hätte laut Angebot einen sechsstelligen '
         'Betrag gekostet – für Akten, die zu 80 % nie wieder jemand anfasst.',
         'Bei uns war es ähnlich. Wichtig war, vorher mit dem Archiv zu klären, was ohnehin archivwürdig ist. Die '
         'alten Akten bleiben bis zur Abgabe analog, alles Neue entsteht digital. Eine Übergangszeit mit doppelter '
         'Aktenführung mussten wir trotzdem aushalten.',
         'Kleiner Hinweis: Wer ersetzend scannen will, sollte sich die TR-RESISCAN des BSI anschauen. {kolleg} hat '
         'bei uns die Verfahrensdokumentation geschrieben und kann sicher mehr dazu sagen.',
         'Q|Danke euch, das bestätigt meinen Eindruck. Wir gehen mit „Scan on demand“ plus Abstimmung mit dem Archiv '
         'in die nächste Lenkungsgruppe.'),
        solution=0, who='kommunal'),
    Topic(
        'PDF/A-Prüfung vor der Übernahme in die E-Akte automatisieren?', 'E-Akte, Open Source',
        'Hallo zusammen,\n\nunser Archiv möchte, dass alles, was in die E-Akte geht, sauber als PDF/A vorliegt. '
        'Im Moment prüft das niemand, und beim Export gibt es dann Überraschungen. Hat jemand die Prüfung '
        'automatisiert, ohne gleich ein teures Zusatzmodul zu kaufen?',
        ('Wir nutzen dafür veraPDF (Open Source) im Scan-Workflow. Auf dem Scanserver läuft ein kleines Skript über '
         'den Eingangsordner:\n\n```\nverapdf --flavour 2b --format text eingang/*.pdf > pruefbericht.txt\n```\n\n'
         'Was durchfällt, landet im Ordner „Nacharbeit“. Läuft seit einem Jahr stabil.',
         'Bei uns erledigt das der DMS-Hersteller mit einer Konvertierung beim Import. Bequemer, aber die Lizenz war '
         'nicht ganz billig. Für den Einstieg würde ich auch veraPDF nehmen.',
         'Q|Super, genau so etwas habe ich gesucht! {r0}, darf ich mich wegen des Skripts kurz bei dir melden?',
         'R0|Klar, gern! Das Skript ist wirklich nur eine Handvoll Zeilen, ich schicke es dir per Mail.'),
        solution=0),
    Topic(
        'Digitale Unterschrift: Fernsignatur oder Signaturkarte?', 'Digitale Signatur, E-Akte',
        'Hallo zusammen,\n\nbei uns {ort} sollen Bescheide künftig komplett digital verschickt werden. Für die Fälle '
        'mit Schriftformerfordernis brauchen wir eine qualifizierte elektronische Signatur. Die IT favorisiert '
        'Signaturkarten mit Lesegerät, die Fachbereiche hätten lieber eine Fernsignatur. Welche Erfahrungen habt ihr '
        'gemacht?',
        ('Wir haben mit Karten angefangen und sind nach zwei Jahren auf Fernsignatur umgestiegen. Karten gehen '
         'verloren, PINs werden vergessen, und im Homeoffice fehlt das Lesegerät. Die Fernsignatur per App läuft '
         'deutlich reibungsloser.',
         'Bevor ihr euch festlegt: Zählt, in wie vielen Fällen ihr die QES wirklich braucht. Bei uns war die Liste '
         'nach einer Prüfung durch das Rechtsamt nur noch halb so lang. Viele Schreiben verlangen gar keine '
         'Schriftform, da reicht ein elektronischer Bescheid mit Namenswiedergabe.',
         'Fernsignatur auch hier, seit letztem Herbst. Wichtig war eine klare Dienstanweisung, wer was signieren '
         'darf. Die teile ich gern, {vorname}.',
         'Q|Danke, das hilft sehr – vor allem der Hinweis, die Fälle erst einmal zu zählen. Die Dienstanweisung '
         'nehme ich gern, {r2}.'),
        solution=1),
    Topic(
        'OZG-Leistung Wohngeld: Wer hat die EfA-Lösung schon angebunden?', 'OZG-Umsetzung, Wohngeld',
        'Hallo zusammen,\n\nwir {ort} bieten den Wohngeldantrag über die EfA-Lösung an. Die Anträge kommen zwar an, '
        'müssen aber von Hand ins Fachverfahren übertragen werden. Hat jemand die Übergabe schon ohne Medienbruch '
        'hinbekommen?',
        ('Bei uns kommen die Anträge inzwischen per Schnittstelle direkt ins Fachverfahren. Das hat aber gedauert: '
         'Unser Hersteller hat das passende Update erst im zweiten Anlauf geliefert. Fragt am besten direkt nach dem '
         'Release-Stand.',
         'Wir tippen ehrlich gesagt noch ab. Das Volumen ist überschaubar, aber schön ist anders. Ich hänge mich hier '
         'mal dran.',
         'Tipp: Beim kommunalen IT-Dienstleister gibt es einen Anwenderkreis zu genau diesem Thema. {kolleg} '
         'organisiert ihn und weiß, welche Versionen bei wem laufen.'),
        who='vor-ort'),
    Topic(
        'Onlinezugangsgesetz 2.0: Was ändert sich konkret für uns?', 'OZG-Umsetzung',
        'Hallo zusammen,\n\nmit dem OZG-Änderungsgesetz gibt es keine feste Frist mehr wie Ende 2022, dafür neue '
        'Pflichten. In unserer Amtsleitungsrunde kam die Frage auf, was das konkret für uns bedeutet. Hat jemand eine '
        'kurze Zusammenfassung, die man intern weitergeben kann?',
        ('Ich habe das für unseren Verwaltungsvorstand so zusammengefasst (ohne Gewähr, bitte selbst gegenprüfen):\n\n'
         '- **BundID** wird das zentrale Nutzerkonto für Bürger:innen, die Konten der Länder laufen aus\n'
         '- **Ende-zu-Ende-Digitalisierung** statt nur Online-Formular mit Ausdruck im Backoffice\n'
         '- **Once-Only**: Nachweise sollen aus Registern abgerufen statt erneut eingereicht werden\n'
         '- Leistungen für Unternehmen perspektivisch **ausschließlich digital**\n\n'
         'Einen guten Überblick gibt es auf [digitale-verwaltung.de](https://www.digitale-verwaltung.de).',
         'Danke, sehr hilfreich! Ergänzen würde ich: Vieles hängt an den Ländern, die das noch in Landesrecht '
         'umsetzen müssen. Auf manche Details warten wir also noch.',
         'Genau das hat bei uns auch für Verwirrung gesorgt. Ich habe die Zusammenfassung mit Quellenangabe in '
         'unser Intranet übernommen – ich hoffe, das ist okay, {r0}?',
         'R0|Natürlich, dafür ist sie da.',
         'Q|Vielen Dank! Ich nehme die Liste so mit in die Runde.'),
        solution=0),
    Topic(
        'KI-Chatbot für Bürgeranfragen: Hat jemand Erfahrungen?', 'KI in der Verwaltung, Datenschutz',
        'Hallo zusammen,\n\nbei uns {ort} kam aus der Politik der Wunsch nach einem KI-Chatbot für die Website. '
        'Bevor wir etwas ausschreiben: Hat jemand schon einen im Einsatz? Wie sieht es mit Datenschutz und '
        'erfundenen Antworten aus?',
        ('Wir testen seit drei Monaten einen Assistenten, der nur auf unsere eigenen Seiten zugreift. Die Antworten '
         'sind meist gut. Bei Gebühren und Fristen verlinkt er aber bewusst auf die Fachseite, statt selbst Zahlen '
         'zu nennen.',
         'Bei uns war der Datenschutz das größere Thema als die Technik: Es dürfen keine personenbezogenen Daten '
         'eingegeben werden, und das steht auch gut sichtbar dran. Eine Datenschutz-Folgenabschätzung haben wir '
         'trotzdem gemacht.',
         'Ehrlich gesagt: Eine gut gepflegte FAQ mit ordentlicher Suche hat bei uns mehr gebracht als der Chatbot. '
         'Der kann nur so gut sein wie die Inhalte, auf die er zugreift.',
         'Das unterschreibe ich. Wir haben vor dem Start erst einmal 200 Seiten Website-Text aufgeräumt – das war '
         'der eigentliche Gewinn.',
         'Q|Danke, sehr wertvoll! Ich nehme mit: erst die Inhalte aufräumen, dann über den Bot reden. {kolleg}, das '
         'könnte auch für euer Website-Projekt interessant sein.')),
    Topic(
        'Digitaler Posteingang: zentral oder dezentral scannen?', 'E-Akte, Prozessmanagement',
        'Hallo zusammen,\n\nwir {ort} stellen auf digitalen Posteingang um. Offen ist, ob die Poststelle zentral '
        'alles scannt oder jedes Amt selbst. Was hat sich bei euch bewährt?',
        ('Zentral, ganz klar. Zwei Hochleistungsscanner in der Poststelle, ein eingespieltes Team, und die Ämter '
         'haben ihre Post bis 10 Uhr digital im Postkorb. Vorher haben wir dezentral gescannt – und jedes Amt hat es '
         'anders gemacht.',
         'Bei uns gemischt: Standardpost zentral, Personalakten und Vergabeunterlagen scannen die Bereiche selbst. '
         'Vertraulichkeit war das Hauptargument.',
         'Q|Die Ausnahmen für Personal und Vergabe sind ein guter Punkt, die hatten wir noch nicht auf dem Zettel. '
         'Danke!')),
    Topic(
        'Low-Code für kleine Fachanwendungen – wie verhindert ihr Wildwuchs?', 'Low-Code, Wissensmanagement',
        'Hallo zusammen,\n\nwir haben {ort} gefühlt hundert Excel-Listen, die eigentlich kleine Fachanwendungen sein '
        'müssten: Schlüsselverwaltung, Fortbildungsanträge, Raumbuchung. Setzt jemand eine Low-Code-Plattform ein? '
        'Und wie verhindert ihr, dass daraus neuer Wildwuchs wird?',
        ('Wir arbeiten seit einem Jahr mit einer Low-Code-Plattform. Gegen Wildwuchs hilft ein kleines '
         'Kompetenzteam in der IT, das jede neue Anwendung kurz abnimmt: Datenschutz, Berechtigungen – und wer sich '
         'kümmert, wenn die Person geht, die sie gebaut hat.',
         'Der letzte Punkt ist der wichtigste. Wir hatten eine tolle Access-Datenbank, die an einer einzigen Person '
         'hing. Seit dem Ruhestand traut sich niemand mehr ran.',
         'Schaut auch, was es schon zur Nachnutzung gibt. Für Raumbuchung und Fortbildungsanträge haben andere '
         'Verwaltungen fertige Lösungen, die sie gern teilen.',
         'Q|Danke! Das Modell mit dem Kompetenzteam gefällt mir. {r0}, hättest du Lust, es in 20 Minuten bei '
         'unserem Digitalisierungsteam vorzustellen?',
         'R0|Gern, schick mir einfach ein paar Terminvorschläge.'),
        solution=0),
    Topic(
        'Open Data: Welche Datensätze werden bei euch wirklich genutzt?', 'Open Data',
        'Hallo zusammen,\n\nwir {ort} veröffentlichen seit zwei Jahren offene Daten, aber die Abrufzahlen sind '
        'überschaubar. Welche Datensätze werden bei euch tatsächlich nachgefragt?',
        ('Mit Abstand am meisten: Baustellen, Haltestellen, Kita-Standorte und Wahlergebnisse. Die Haushaltsdaten '
         'rufen vor allem Journalist:innen ab.',
         'Bei uns ist es das Baumkataster – eine Bürgerinitiative hat daraus eine Gieß-App gebaut. Seitdem melden '
         'sich Leute, wenn Daten veraltet sind. Ein schöner Nebeneffekt.'),
        who='kommunal'),
    Topic(
        'Barrierefreie PDF-Formulare: Wer hat ein gutes Werkzeug?', 'Barrierefreiheit',
        'Hallo zusammen,\n\nfür unsere Formulare, die es noch als PDF gibt, müssen wir nachbessern – der BITV-Test '
        'war ernüchternd. Nutzt jemand ein Werkzeug, mit dem die Formulare vernünftig barrierefrei werden, ohne '
        'jedes Dokument von Hand zu taggen? Oder stellt ihr gleich auf HTML-Formulare um?'),
    Topic(
        'Phishing-Simulation für alle Mitarbeitenden – wie mit dem Personalrat?', 'Informationssicherheit',
        'Hallo zusammen,\n\nunsere Informationssicherheit möchte eine Phishing-Simulation für alle Mitarbeitenden '
        'durchführen. Der Personalrat ist skeptisch. Hat das jemand schon gemacht, und wie habt ihr den Personalrat '
        'ins Boot geholt?',
        ('Wir haben eine Dienstvereinbarung abgeschlossen: Auswertung nur anonym und zusammengefasst, keine '
         'Rückschlüsse auf einzelne Personen, und wer klickt, landet auf einer freundlichen Lernseite statt bei einer '
         'Rüge. Damit war der Personalrat einverstanden.',
         'Genau so. Und vorher ankündigen, dass in den nächsten Monaten Tests kommen – ohne den Zeitpunkt zu '
         'verraten. Beim ersten Durchgang lag die Klickrate bei uns bei knapp 20 %, beim dritten unter 5 %.',
         'Das BSI hat gute Materialien zur Sensibilisierung: [bsi.bund.de](https://www.bsi.bund.de). Die haben wir '
         'für die Lernseite genutzt.',
         'Q|Danke! Die anonyme Auswertung und die Lernseite sind genau die Argumente, die mir noch gefehlt haben.')),
)

PERSONAL = (
    Topic(
        'Homeoffice-Dienstvereinbarung: Wie viele Tage sind bei euch möglich?', 'Mobiles Arbeiten',
        'Hallo zusammen,\n\nunsere Dienstvereinbarung zum mobilen Arbeiten läuft Ende des Jahres aus, und wir '
        'verhandeln mit dem Personalrat neu. Aktuell sind bei uns {ort} bis zu drei Tage pro Woche möglich. Wie ist '
        'das bei euch geregelt – und gibt es eine Mindestpräsenz im Büro?',
        ('Bei uns sind es bis zu 60 % der Arbeitszeit, im Team abgestimmt. Eine feste Mindestpräsenz gibt es nicht, '
         'aber jedes Team legt einen gemeinsamen Präsenztag fest.',
         'Drei Tage auch hier. Wichtig bei der Neuverhandlung war die Erreichbarkeit: Die ist jetzt klar geregelt, '
         'damit niemand abends um neun noch Mails beantwortet.',
         'Wir haben die feste Grenze gestrichen und durch diese Formulierung ersetzt:\n\n> Der Umfang mobiler Arbeit '
         'wird im Team vereinbart. Maßstab sind die Erreichbarkeit für Bürger:innen und die Arbeitsfähigkeit des '
         'Teams.\n\nFunktioniert gut, setzt aber Vertrauen in die Führungskräfte voraus.',
         'Spannend, {r2}! Gab es bei euch keine Sorge, dass die Teams zu weit auseinanderlaufen?',
         'R2|Doch, am Anfang schon. Nach einem Jahr sind die Unterschiede aber kleiner als gedacht: Die meisten Teams '
         'landen bei zwei bis drei Tagen.',
         'Ein Punkt aus unserer Erfahrung: die Ausstattung. Ohne zweiten Bildschirm und ordentliches Headset ist auch '
         'der beste Homeoffice-Tag nur halb so produktiv.',
         'Q|Danke euch allen! Die Formulierung mit dem Team als Maßstab nehme ich in die nächste Verhandlungsrunde '
         'mit.'),
        solution=2),
    Topic(
        'Fachkräftegewinnung: Was funktioniert bei euch wirklich?', 'Personalgewinnung',
        'Hallo zusammen,\n\nwir {ort} haben aktuell über 40 offene Stellen, vor allem in Technik, IT und sozialer '
        'Arbeit. Klassische Anzeigen bringen kaum noch Bewerbungen. Was hat bei euch tatsächlich funktioniert?',
        ('Bei uns: Mitarbeitende werben Mitarbeitende. Wer jemanden erfolgreich empfiehlt, bekommt eine Prämie. '
         'Klingt banal, bringt aber inzwischen ein Viertel unserer Einstellungen.',
         'Tempo! Wir haben den Weg von der Bewerbung bis zur Zusage von acht auf drei Wochen verkürzt. Viele gute '
         'Leute sind sonst längst woanders.',
         'Dazu: Stellenanzeigen ohne Behördendeutsch. Wir haben unsere Texte komplett überarbeitet – konkrete '
         'Aufgaben statt „Wahrnehmung von Aufgaben im Bereich …“. Die Resonanz ist deutlich besser.',
         'Für die IT hat bei uns die Fachkräftezulage geholfen, und dass wir mobiles Arbeiten schon in der Anzeige '
         'klar benennen.',
         'Q|Vielen Dank! Die Verfahrensdauer bespreche ich direkt mit unserer Personalabteilung – wir liegen aktuell '
         'bei fast zehn Wochen.'),
        who='kommunal'),
    Topic(
        'Ausbildung Verwaltungsfachangestellte: Digitale Berichtshefte?', 'Ausbildung',
        'Hallo zusammen,\n\nbei uns {ort} schreiben die Azubis zur bzw. zum Verwaltungsfachangestellten ihre '
        'Ausbildungsnachweise noch auf Papier. Wer nutzt schon digitale Berichtshefte, und akzeptiert die zuständige '
        'Stelle das problemlos?',
        ('Wir nutzen seit zwei Jahrgängen ein digitales Berichtsheft. Seit der Novelle des Berufsbildungsgesetzes '
         'ist die elektronische Form ausdrücklich zulässig – sie muss nur im Ausbildungsvertrag vereinbart sein.',
         'Kann ich bestätigen. Wichtig war bei uns, dass die Ausbilder:innen in den Fachbereichen die Einträge auch '
         'wirklich abzeichnen. Dafür gibt es jetzt eine Erinnerung per Mail.',
         'Q|Danke! Das mit dem Ausbildungsvertrag wusste ich nicht. Dann passen wir es für den nächsten Jahrgang an.'),
        solution=0),
    Topic(
        'Azubi-Marketing: Lohnt sich ein eigener Instagram-Kanal?', 'Ausbildung, Personalgewinnung',
        'Hallo zusammen,\n\nunser Ausbildungsteam möchte einen eigenen Instagram-Kanal für Azubis starten. Die '
        'Pressestelle ist wegen des Aufwands skeptisch. Habt ihr Erfahrungen, ob sich das in Bewerbungen '
        'niederschlägt?',
        ('Bei uns bespielen die Azubis den Kanal selbst, mit Freigabe durch die Ausbildungsleitung. Das wirkt '
         'authentisch, und in den Vorstellungsgesprächen sagen viele, dass sie uns darüber gefunden haben.',
         'Bei uns hat Instagram weniger gebracht als Schulbesuche und Praktika. Gut fürs Image, aber die Entscheidung '
         'fällt oft erst nach einem Praktikum.',
         'Warum nicht beides? Wir werben auf Instagram vor allem für Praktikumsplätze. Das eine führt zum anderen.',
         'Q|Danke, dann schlagen wir ein Pilotjahr vor, in dem die Azubis selbst posten. {kolleg}, wollen wir uns '
         'dazu mal austauschen?')),
    Topic(
        'Führen in Teilzeit: Wer hat Führungstandems?', 'Führung in Teilzeit',
        'Hallo zusammen,\n\nbei uns gibt es den Wunsch, eine Abteilungsleitung als Tandem zu besetzen: zwei Personen '
        'mit je 60 %. Hat jemand Erfahrung mit Führungstandems? Wie habt ihr Zuständigkeiten und Vertretung geregelt?',
        ('Wir haben zwei Tandems in Sachgebietsleitungen. Entscheidend: Beide sind gleichberechtigt, es gibt keine '
         '„erste“ und „zweite“ Leitung. An einem Tag pro Woche sind beide da, für Übergaben und Teamtermine.',
         'Wir haben die Aufgaben thematisch geteilt, nicht nach Wochentagen. Für das Team sind die '
         'Ansprechpersonen so klarer.',
         'Tipp: Holt die Gleichstellungsstelle dazu, die hatte bei uns einen guten Leitfaden. {kolleg} hat ihn '
         'mitgeschrieben.',
         'Q|Danke euch, sehr hilfreich! Den Leitfaden schaue ich mir gern an, {r2}.'),
        solution=0),
    Topic(
        'Onboarding: Was bekommen neue Kolleg:innen am ersten Tag?', 'Personalgewinnung, Wissensmanagement',
        'Hallo zusammen,\n\nbei uns sah der erste Arbeitstag lange so aus: kein Laptop, kein Zugang, kein Schlüssel. '
        'Das wollen wir ändern. Was gehört bei euch zum ersten Tag?',
        ('Unsere Checkliste für den ersten Tag:\n\n'
         '1. Laptop und Zugänge sind **vorher** eingerichtet\n'
         '2. Eine Patin oder ein Pate aus dem Team holt die neue Person am Eingang ab\n'
         '3. Gemeinsames Mittagessen mit dem Team\n'
         '4. Ein kurzer Willkommensbrief der Verwaltungsspitze\n\n'
         'Punkt 1 war der schwierigste, weil IT und Personalabteilung dafür früher miteinander reden müssen.',
         'Zusätzlich gibt es bei uns einmal im Monat einen Willkommenstag für alle Neuen, mit Führung durchs Haus. '
         'Wird sehr gut angenommen.',
         'Schöne Liste! Bei uns gibt es außerdem nach 100 Tagen ein Feedbackgespräch: Was lief gut, was hat gefehlt? '
         'Daraus lernen wir mehr als aus jeder Umfrage.',
         'Q|Danke! Die Liste übernehme ich fast 1:1 in unser Konzept.')),
    Topic(
        'Wissenstransfer vor dem Ruhestand: Wie macht ihr das?', 'Wissensmanagement',
        'Hallo zusammen,\n\nin den nächsten fünf Jahren geht bei uns {ort} fast ein Drittel der Belegschaft in '
        'Rente oder Pension. Wie sichert ihr das Wissen der erfahrenen Kolleg:innen, bevor sie gehen?',
        ('Wir besetzen Stellen überlappend: Die Nachfolge startet drei bis sechs Monate vorher. Das kostet Geld, ist '
         'aber die einzige Methode, die wirklich funktioniert.',
         'Ergänzend führen wir kurze Wissensinterviews, moderiert von der Personalentwicklung. Heraus kommt eine '
         'Übersicht: Wer sind die wichtigen Kontakte, welche Fristen gibt es, wo liegen die Stolperfallen?')),
    Topic(
        'IT-Stellen im TVöD: Wie bekommt ihr sie besetzt?', 'Personalgewinnung, IT',
        'Hallo zusammen,\n\nunsere IT-Stellen sind in EG 9c bis 10 bewertet, dafür bekommen wir am Markt kaum '
        'jemanden. Nutzt ihr die Fachkräftezulage oder die Vorweggewährung von Stufen? Und wie argumentiert ihr das '
        'gegenüber anderen Bereichen im Haus?',
        ('Wir nutzen beides. Die Vorweggewährung von Stufen ist für die IT inzwischen Standard, die Zulage gibt es '
         'zusätzlich bei besonders schwer besetzbaren Stellen.',
         'Gegenüber den anderen Bereichen hilft Transparenz: Wir haben die Kriterien veröffentlicht, nach denen '
         'Zulagen gezahlt werden. Seitdem gibt es deutlich weniger Unmut.',
         'Außerdem prüfen wir die Stellenbewertungen neu. Viele IT-Stellen sind noch nach alten '
         'Tätigkeitsbeschreibungen bewertet, die mit der heutigen Arbeit wenig zu tun haben.',
         'Q|Danke, die veröffentlichten Kriterien sind ein guter Ansatz für unsere Diskussion im Haus.'),
        solution=1, who='kommunal'),
    Topic(
        'Duales Studium: Wie viele bleiben nach dem Bachelor?', 'Ausbildung',
        'Hallo zusammen,\n\nwir {ort} bilden jedes Jahr rund 15 Inspektoranwärter:innen aus. Zuletzt sind nach dem '
        'Bachelor gleich mehrere zu anderen Kommunen gewechselt. Wie viele bleiben bei euch, und was tut ihr, damit '
        'die Leute bleiben?', who='kommunal'),
    Topic(
        'Gesundheitsmanagement: Bewegte Pause auch im Homeoffice?', 'Gesundheit, Mobiles Arbeiten',
        'Hallo zusammen,\n\nunser BGM möchte Angebote machen, die auch im Homeoffice funktionieren. Hat jemand eine '
        'digitale bewegte Pause oder etwas Ähnliches, und wird das angenommen?',
        ('Bei uns gibt es dienstags und donnerstags 15 Minuten Bewegungspause per Videokonferenz, angeleitet von '
         'einer Kollegin aus dem Sportamt. Anfangs waren 80 Leute dabei, jetzt ein fester Kern von 25. Finden wir '
         'völlig in Ordnung.',
         'Bei uns läuft das über eine Krankenkasse, die einen Teil der Kosten übernimmt. Fragt mal bei euren Kassen '
         'nach, für BGM gibt es da oft Fördertöpfe.',
         'Q|Danke! Der Hinweis auf die Krankenkassen ist Gold wert.')),
    Topic(
        'Personalauswahl: Strukturierte Interviews statt Bauchgefühl', 'Personalgewinnung',
        'Hallo zusammen,\n\nwir möchten unsere Auswahlverfahren professioneller machen und strukturierte Interviews '
        'einführen. Hat jemand einen Fragenkatalog, den ihr teilen könnt?',
        ('Wir haben einen Leitfaden mit Fragen zu jeder Anforderung aus dem Stellenprofil, jeweils mit '
         'Bewertungsankern. Teile ich gern, schreib mir einfach, {vorname}.',
         'Wichtig ist, dass alle in der Auswahlkommission vorher geschult werden. Der beste Fragenkatalog nützt '
         'nichts, wenn dann doch frei drauflos gefragt wird.')),
)

BUERGERSERVICE = (
    Topic(
        'Terminbuchung im Bürgerbüro: Wie hoch ist eure No-Show-Quote?', 'Terminvergabe',
        'Hallo zusammen,\n\nwir {ort} vergeben im Bürgerbüro seit der Pandemie nur noch Termine. Inzwischen '
        'erscheinen bis zu 20 % der Leute nicht. Wie geht ihr damit um – Erinnerungen, Überbuchung, Gebühren?',
        ('Erinnerung per SMS oder Mail 24 Stunden vorher, mit einem Link zum Absagen. Damit sind wir von 18 % auf '
         'etwa 8 % heruntergekommen.',
         'Wir überbuchen leicht und halten morgens eine Stunde für Spontankundschaft frei. Die Mischung hat sich '
         'bewährt.',
         'Ausfallgebühren haben wir geprüft und verworfen: rechtlich wackelig und schlecht fürs Image. Die '
         'Erinnerung mit Absage-Link bringt mehr.',
         'Dem schließe ich mich an. Wichtig ist, dass das Absagen wirklich nur einen Klick braucht. Bei uns musste '
         'man sich dafür erst anmelden – da sagt niemand ab.',
         'Q|Danke euch! Die Erinnerung mit Ein-Klick-Absage steht bei uns jetzt ganz oben auf der Liste.'),
        solution=0),
    Topic(
        'Wartezeiten Kfz-Zulassung: Wie bekommt ihr die Spitzen in den Griff?', 'Kfz-Zulassung, Terminvergabe',
        'Hallo zusammen,\n\nunsere Zulassungsstelle hat im Frühjahr regelmäßig drei Wochen Wartezeit auf einen '
        'Termin. Autohäuser und Zulassungsdienste beschweren sich, Bürger:innen sowieso. Was habt ihr dagegen '
        'unternommen?',
        ('Wir haben Händler und Zulassungsdienste konsequent auf einen eigenen Schalter mit Abgabefach umgestellt: '
         'Unterlagen morgens abgeben, nachmittags abholen. Das entlastet die Termine für Privatleute enorm.',
         'i-Kfz offensiv bewerben! Seit der letzten Ausbaustufe geht fast alles online. In jeder Terminbestätigung '
         'steht bei uns ein Hinweis auf die Online-Zulassung, und die Quote ist deutlich gestiegen.',
         'Kann ich beides bestätigen. Zusätzlich helfen bei uns Samstagstermine in der Hochsaison – freiwillig und '
         'mit Freizeitausgleich.',
         'Wer die Entwicklung der Wartezeit verfolgen will: Wir werten einfach den Export aus dem Terminsystem aus. '
         'In Excel reicht dafür\n\n```\n=MITTELWERTWENNS(Wartetage; Monat; "03")\n```\n\nNicht elegant, aber für '
         'den Bericht an den Verwaltungsvorstand genügt es.',
         'Q|Vielen Dank! Den Händlerschalter schlagen wir jetzt vor, und den i-Kfz-Hinweis bauen wir sofort in die '
         'Bestätigungsmail ein.'),
        solution=0),
    Topic(
        'Bürgerbüro ohne Termin: Hat jemand die Terminpflicht wieder abgeschafft?', 'Terminvergabe',
        'Hallo zusammen,\n\nbei uns gibt es politischen Druck, wieder offene Sprechzeiten ohne Termin anzubieten. '
        'Hat jemand die Terminpflicht zurückgenommen – und wie sind die Erfahrungen?',
        ('Wir haben ein Mischmodell: vormittags Termine, an zwei Nachmittagen offene Sprechzeit. Die offenen Zeiten '
         'sind voll, aber viele schätzen es, auch mal spontan kommen zu können.',
         'Wir hatten die Terminpflicht aufgehoben und nach einem halben Jahr wieder eingeführt. Die Schlangen vor der '
         'Tür waren für alle belastend, auch für die Kolleg:innen am Schalter.',
         'Bei uns hilft ein Ticketsystem mit Aufruf per Nummer. Wer ohne Termin kommt, zieht eine Nummer und sieht '
         'ungefähr, wie lange es dauert.',
         'Q|Danke, sehr unterschiedliche Erfahrungen – das hilft für die Diskussion im Ausschuss. Das Mischmodell '
         'klingt für uns am realistischsten.')),
    Topic(
        'Personalausweis: Direktversand statt zweitem Besuch?', 'Bürgerservice, Pass- und Ausweiswesen',
        'Hallo zusammen,\n\nbei uns {ort} kommen fast alle für die Abholung des Personalausweises noch einmal ins '
        'Bürgerbüro. Inzwischen gibt es ja den Direktversand durch die Bundesdruckerei. Wer bietet den schon aktiv '
        'an?',
        ('Wir bieten den Direktversand an und weisen bei jeder Antragstellung darauf hin. Rund ein Drittel nimmt ihn '
         'trotz der Gebühr, das spart uns viele Abholtermine.',
         'Bei uns ähnlich. Wichtig: Die Kolleg:innen am Schalter müssen gut erklären können, was mit PIN-Brief und '
         'Sperrkennwort passiert. Sonst kommen die Leute doch wieder mit Fragen.',
         'Q|Danke! Dann nehmen wir den Direktversand aktiv in die Beratung auf.'),
        solution=0),
    Topic(
        'Ausländerbehörde: Wie bewältigt ihr die E-Mail-Flut?', 'Integration, Bürgerservice',
        'Hallo zusammen,\n\nunsere Ausländerbehörde bekommt täglich Hunderte E-Mails, viele davon Nachfragen zum '
        'Bearbeitungsstand. Die Kolleg:innen kommen kaum noch zur eigentlichen Arbeit. Wie geht ihr damit um?',
        ('Wir haben ein Kontaktformular mit Pflichtfeldern eingeführt (Aktenzeichen, Anliegen aus einer Liste). So '
         'landen die Anfragen sortiert im richtigen Postfach, und doppelte Anfragen fallen auf.',
         'Eine Online-Statusabfrage hat bei uns viel gebracht: Wer sieht, dass der Antrag in Bearbeitung ist, fragt '
         'seltener nach.',
         'Zusätzlich haben wir für die häufigsten Fragen Textbausteine in mehreren Sprachen. Das spart pro Mail ein '
         'paar Minuten – bei der Menge ist das viel.',
         'Alles richtig. Wir haben parallel die Personalbemessung angepackt: Ohne zusätzliche Stellen hilft auch die '
         'beste Organisation nur begrenzt.')),
    Topic(
        'Standesamt: Trauungen an besonderen Orten', 'Standesamt',
        'Hallo zusammen,\n\nbei uns {ort} wird oft gefragt, ob Trauungen auch außerhalb des Trauzimmers möglich sind, '
        'etwa im Museum oder auf einer Zeche. Wie habt ihr das geregelt – Widmung, Gebühren, Personal?',
        ('Wir haben drei externe Orte als zusätzliche Trauorte gewidmet. Die Betreiber stellen den Raum, für den '
         'Mehraufwand gibt es eine zusätzliche Gebühr. Läuft gut, ist aber personalintensiv.',
         'Bei uns geht das nur freitags und samstags in der Saison, mit höchstens zwei Trauungen pro Tag außer Haus. '
         'Sonst kommt das Standesamt mit den regulären Terminen nicht hinterher.',
         'Q|Danke! Dann schlagen wir erst einmal einen einzigen Ort als Pilot vor.')),
    Topic(
        'Gebärdensprache im Bürgerbüro: Wer nutzt Video-Dolmetschen?', 'Barrierefreiheit',
        'Hallo zusammen,\n\nwir suchen eine Lösung, damit gehörlose Menschen im Bürgerbüro ohne lange Vorplanung '
        'bedient werden können. Nutzt jemand Video-Dolmetschen für Gebärdensprache?',
        ('Ja, wir haben einen Vertrag mit einem Dienst für Video-Dolmetschen. Am Schalter liegt ein Tablet bereit, '
         'die Verbindung steht meist in wenigen Minuten. Die Rückmeldungen sind sehr gut.',
         'Wir auch. Tipp: Sprecht vorher mit dem örtlichen Gehörlosenverband. Der hat uns wertvolle Hinweise '
         'gegeben, auch zur Beschilderung.',
         'Q|Danke, das Gespräch mit dem Gehörlosenverband machen wir als Erstes.'),
        solution=0),
    Topic(
        'Samstagsöffnung im Bürgerbüro: Lohnt sich das?', 'Terminvergabe',
        'Hallo zusammen,\n\ndie Politik wünscht sich Öffnungszeiten am Samstag im Bürgerbüro. Wer bietet das an, und '
        'wie ist die Nachfrage?',
        ('Wir öffnen jeden ersten Samstag im Monat von 9 bis 12 Uhr, nur mit Termin. Die Termine sind binnen '
         'Stunden weg – Nachfrage ist also da.',
         'Bei uns war es umgekehrt: Samstags kamen fast nur Leute, die auch unter der Woche gekonnt hätten. Wir haben '
         'stattdessen einen langen Donnerstag bis 19 Uhr eingeführt.',
         'Vergesst den Personalrat nicht. Ohne freiwillige Kolleg:innen und echten Freizeitausgleich wird das '
         'schwierig.',
         'Q|Danke, dann schlagen wir einen Test mit einem Samstag im Monat vor und werten danach aus.')),
    Topic(
        'Mehrsprachige Hinweisblätter: Wer übersetzt bei euch?', 'Integration, Einfache Sprache',
        'Hallo zusammen,\n\nwir möchten die wichtigsten Hinweisblätter im Bürgerbüro in mehreren Sprachen anbieten. '
        'Lasst ihr professionell übersetzen, oder nutzt ihr maschinelle Übersetzung mit Prüfung?',
        ('Maschinell vorübersetzen, dann von Kolleg:innen mit der jeweiligen Muttersprache prüfen lassen – wir haben '
         'dafür eine interne Liste mit Freiwilligen. Rechtlich relevante Texte lassen wir aber professionell '
         'übersetzen.',
         'Und bitte Einfache Sprache mitdenken! Ein kurzer, klarer deutscher Text hilft oft mehr als fünf '
         'Übersetzungen eines komplizierten.')),
    Topic(
        'Aufruf aufs Handy: Erfahrungen mit digitalen Wartemarken?', 'Terminvergabe',
        'Hallo zusammen,\n\nwir überlegen, unser Aufrufsystem so zu erweitern, dass Wartende eine Nachricht aufs Handy '
        'bekommen, wenn sie bald an der Reihe sind. Dann könnten sie so lange einen Kaffee trinken gehen, statt im '
        'Wartebereich zu sitzen. Setzt das jemand schon ein?'),
    Topic(
        'Elektronische Wohnsitzanmeldung: Wie viele nutzen sie?', 'OZG-Umsetzung, Melderecht',
        'Hallo zusammen,\n\nseit Kurzem bieten wir {ort} die elektronische Wohnsitzanmeldung an. Bisher wird sie '
        'kaum genutzt. Wie sind eure Zahlen, und wie macht ihr den Dienst bekannt?',
        ('Bei uns liegt die Quote nach einem Jahr bei etwa 10 %. Die größte Hürde ist die Online-Ausweisfunktion: '
         'Viele haben ihre PIN nicht mehr.',
         'Wir legen an den Schaltern einen Flyer „Nächstes Mal online“ aus und helfen bei Bedarf, die PIN '
         'zurückzusetzen. Die Zahlen steigen langsam.',
         'Q|Danke! Der Flyer ist eine schöne Idee. {r1}, würdet ihr uns die Vorlage schicken?',
         'R1|Gern, ich schicke sie dir per Mail.'),
        solution=1),
)

VERGABE = (
    Topic(
        'eVergabe: Welche Plattform nutzt ihr?', 'Vergaberecht, eVergabe',
        'Hallo zusammen,\n\nwir {ort} müssen unsere eVergabe-Plattform neu ausschreiben. Welche nutzt ihr, und wie '
        'zufrieden seid ihr, gerade mit Blick auf Bieterfragen und die elektronische Angebotsöffnung?',
        ('Wir nutzen den Vergabemarktplatz des Landes, Informationen gibt es bei '
         '[Vergabe.NRW](https://www.vergabe.nrw.de). Für uns unkompliziert, und viele Bieter aus der Region sind '
         'dort ohnehin registriert.',
         'Wir haben eine kommerzielle Plattform. Die Bieterkommunikation funktioniert gut, die Anbindung an unser '
         'Vertragsmanagement war aber mühsam.',
         'Wichtig bei der Auswahl: Fragt nach der Schnittstelle zur E-Akte. Bei uns werden die Vergabeakten '
         'inzwischen direkt übernommen, das spart viel Doppelarbeit.',
         'Q|Danke! Die Schnittstelle zur E-Akte nehmen wir als Muss-Kriterium auf.'),
        solution=2),
    Topic(
        'UVgO-Schwellenwerte: Bis zu welchem Wert erlaubt ihr Direktaufträge?', 'Vergaberecht, UVgO',
        'Hallo zusammen,\n\nwir überarbeiten gerade unsere Vergabedienstanweisung. Bis zu welchem Auftragswert '
        'erlaubt ihr Direktaufträge, und ab wann verlangt ihr mindestens drei Angebote?',
        ('Bei uns, Stand der aktuellen Dienstanweisung:\n\n'
         '- Direktauftrag bis 15.000 € netto\n'
         '- darüber Verhandlungsvergabe oder beschränkte Ausschreibung mit mindestens drei Angeboten\n'
         '- öffentliche Ausschreibung ab den Wertgrenzen der Dienstanweisung\n\n'
         'Wichtig: Die Landesvorgaben für Kommunen haben sich zuletzt mehrfach geändert. Bitte immer den aktuellen '
         'Erlass prüfen.',
         'Wir haben die Grenze angehoben, seit das Land mehr Spielraum lässt. Gleichzeitig dokumentieren wir auch '
         'Direktaufträge kurz mit einem Preisvergleich, zum Beispiel per Internetrecherche. Das schützt bei der '
         'Prüfung.',
         'Unsere Rechnungsprüfung sieht das genauso: Die häufigste Beanstandung ist nicht die Wertgrenze, sondern die '
         'fehlende Dokumentation, warum ein Auftrag nicht gestückelt wurde.',
         'Q|Danke euch! Die Dokumentation auch bei Direktaufträgen nehme ich mit in den Entwurf.'),
        solution=0, who='kommunal'),
    Topic(
        'Rahmenvertrag Büromaterial: Gemeinsam ausschreiben?', 'Rahmenverträge, Nachhaltige Beschaffung',
        'Hallo zusammen,\n\nunser Rahmenvertrag für Büromaterial läuft aus. Hätten benachbarte Verwaltungen Interesse '
        'an einer gemeinsamen Ausschreibung? Mehr Volumen, bessere Preise, und die Arbeit teilt sich auf.\n\nViele '
        'Grüße {aus}',
        ('Grundsätzlich ja! Wir sind allerdings noch ein Jahr gebunden. Wenn ihr die Laufzeit so wählt, dass wir '
         'später beitreten können, sind wir dabei.',
         'Achtung bei gemeinsamen Ausschreibungen: Ihr müsst die Mengen aller Beteiligten sauber schätzen und den '
         'späteren Beitritt im Vertrag klar regeln. Sonst wird es später schwierig.',
         'Wir hätten Interesse. {kolleg} aus unserer Vergabestelle meldet sich bei dir, {vorname}.',
         'Q|Super, danke! Ich lade zu einem ersten Online-Termin ein.')),
    Topic(
        'Nachhaltige Beschaffung: Wie gewichtet ihr Umweltkriterien?', 'Nachhaltige Beschaffung',
        'Hallo zusammen,\n\nbei uns wurde beschlossen, dass Umweltkriterien bei Vergaben stärker zählen sollen. Wie '
        'setzt ihr das um – als Mindestanforderung oder als Zuschlagskriterium mit Gewichtung?',
        ('Beides, je nach Produktgruppe. Bei IT-Hardware sind Umweltzeichen bei uns Mindestanforderung (etwa Blauer '
         'Engel oder gleichwertig), bei Dienstleistungen gewichten wir Nachhaltigkeit mit 20 bis 30 %.',
         'Die Kompetenzstelle für nachhaltige Beschaffung beim Beschaffungsamt und das Umweltbundesamt haben gute '
         'Ausschreibungsempfehlungen für viele Produktgruppen. Da muss man das Rad nicht neu erfinden.',
         'Und „oder gleichwertig“ nicht vergessen, sonst ist das vergaberechtlich angreifbar.',
         'Q|Danke! Dann fangen wir mit IT-Hardware und Reinigungsmitteln an.'),
        solution=0),
    Topic(
        'Schulsanierung: Wie fein teilt ihr in Lose auf?', 'Vergaberecht, Bauvergabe',
        'Hallo zusammen,\n\nwir {ort} sanieren eine Gesamtschule und diskutieren, wie fein wir die Bauleistungen in '
        'Lose aufteilen. Mittelstandsfreundlich heißt viele Lose, die Bauleitung fürchtet aber den '
        'Koordinationsaufwand. Wie macht ihr das?',
        ('Lose sind der Grundsatz, eine Gesamtvergabe muss gut begründet sein. Wir orientieren uns an den Gewerken '
         'und bündeln nur, wo es technisch wirklich zusammengehört.',
         'Koordinationsaufwand allein reicht als Begründung für eine Gesamtvergabe nicht, das haben Vergabekammern '
         'mehrfach so gesehen. Plant lieber eine starke Projektsteuerung ein.',
         'Q|Danke, das deckt sich mit der Einschätzung unseres Rechtsamts. Dann bleiben wir bei Fachlosen.'),
        solution=1, who='vor-ort'),
    Topic(
        'Notebooks aus einem Rahmenvertrag des Landes abrufen?', 'Rahmenverträge, IT',
        'Hallo zusammen,\n\ndürfen wir als Kommune eigentlich aus Rahmenverträgen des Landes abrufen, etwa für '
        'Notebooks? Bei uns {ort} gehen die Meinungen dazu auseinander.',
        ('Das hängt davon ab, ob der Rahmenvertrag Kommunen ausdrücklich als Abrufberechtigte nennt. Steht es nicht '
         'drin, dürft ihr nicht abrufen. Also: Vertragsunterlagen prüfen lassen.',
         'Wir rufen über unseren kommunalen IT-Dienstleister ab, der eigene Rahmenverträge hat. Das war für uns der '
         'einfachere Weg.',
         'Q|Danke, dann lassen wir die Vertragsunterlagen prüfen und fragen parallel beim IT-Dienstleister nach.')
        , who='vor-ort'),
    Topic(
        'Stoffpreisgleitklauseln bei Bauaufträgen: Noch üblich?', 'Vergaberecht, Bauvergabe',
        'Hallo zusammen,\n\nseit den Preissteigerungen der letzten Jahre nehmen wir Stoffpreisgleitklauseln in '
        'Bauaufträge auf. Macht ihr das weiterhin, oder seid ihr wieder davon abgerückt?',
        ('Wir nehmen sie weiterhin auf, aber nur für Stoffe mit wirklich starken Schwankungen, etwa Stahl und '
         'Bitumen. Sonst wird die Abrechnung unnötig aufwendig.',
         'Bei uns entscheidet das die Bauverwaltung je nach Projekt. Eine pauschale Regel hat sich nicht bewährt.'),
        who='kommunal'),
    Topic(
        'Gebäudereinigung: Qualität statt Billigpreis', 'Vergaberecht',
        'Hallo zusammen,\n\nbei der letzten Ausschreibung der Gebäudereinigung hat das günstigste Angebot gewonnen – '
        'und die Qualität ist seitdem schlecht. Wie bekommt ihr Qualität in die Wertung?',
        ('Wir werten zu 40 % Qualität: Einarbeitungskonzept, Vertretungsregelung und Qualitätskontrolle. Dazu kommt '
         'eine Probereinigung in einem Referenzobjekt, die mitbewertet wird.',
         'Ganz wichtig: Leistungsverzeichnis nach Ergebnis statt nach Häufigkeit. Und Vertragsstrafen, die dann auch '
         'durchgesetzt werden.',
         'Prüft auch, ob die Kalkulation auskömmlich ist. Liegen die Stundenverrechnungssätze unter Tariflohn plus '
         'Zuschlägen, ist das ein Warnsignal.',
         'Q|Danke! Probereinigung und Prüfung der Auskömmlichkeit kommen in die nächste Ausschreibung.',
         '{frage}, schau dir gern unsere Wertungsmatrix an. Die hat {kolleg} entwickelt, ich verbinde euch gern.'),
        solution=0),
    Topic(
        'Softwarepflege: Verhandlungsverfahren ohne Teilnahmewettbewerb sauber begründen', 'Vergaberecht, IT',
        'Hallo zusammen,\n\nunser Fachverfahren kann nur der Hersteller pflegen. Für den neuen Pflegevertrag oberhalb '
        'des EU-Schwellenwerts wollen wir ein Verhandlungsverfahren ohne Teilnahmewettbewerb wegen '
        'Ausschließlichkeitsrechten durchführen. Wie habt ihr das dokumentiert, damit es einer Prüfung standhält?'),
    Topic(
        'Einkaufskarte für Kleinstbeschaffungen?', 'Prozessmanagement, Kämmerei',
        'Hallo zusammen,\n\nfür Kleinstbeschaffungen unter 500 € haben wir einen enormen Aufwand: Bestellschein, '
        'Rechnung, Anordnung, Buchung. Nutzt jemand eine Einkaufskarte für solche Fälle?',
        ('Ja, seit zwei Jahren. Jede Organisationseinheit hat eine Karte mit Limit, abgerechnet wird monatlich '
         'gesammelt. Die Zahl der Kleinrechnungen ist um mehr als die Hälfte gesunken.',
         'Unsere Kämmerei war anfangs skeptisch wegen der Kontrolle. Überzeugt hat sie, dass jede Kartenzahlung mit '
         'Beleg im System landet und die Vorgesetzten monatlich freigeben.',
         'Q|Danke! Dann bereite ich eine Vorlage für unsere Kämmerei vor. {r0}, habt ihr eine Dienstanweisung dazu?',
         'R0|Haben wir, ich schicke sie dir.'),
        solution=0),
    Topic(
        'Cloud-Dienst ausschreiben: Datenschutz schon in die Vergabeunterlagen?', 'Datenschutz, Vergaberecht',
        'Hallo zusammen,\n\nwir schreiben eine Cloud-Lösung für die Terminbuchung aus. Wie stellt ihr sicher, dass '
        'die Anforderungen an den Datenschutz (Auftragsverarbeitung, Serverstandort, Unterauftragnehmer) schon in '
        'den Vergabeunterlagen sauber stehen?',
        ('Wir legen den Vertrag zur Auftragsverarbeitung als verbindliche Anlage bei, und die Bieter müssen ihre '
         'Unterauftragnehmer mit dem Angebot benennen. Ein Serverstandort in der EU ist Mindestanforderung.',
         'Bei uns prüft der Datenschutz die Vergabeunterlagen vor der Veröffentlichung. Das kostet eine Woche, hat '
         'uns aber schon einmal eine Aufhebung erspart.',
         'Q|Danke! Die AV-Anlage und die Benennung der Unterauftragnehmer übernehmen wir genau so.')),
)

KLIMA = (
    Topic(
        'Jobrad für Tarifbeschäftigte: Wie läuft es bei euch?', 'Radverkehr, Jobrad',
        'Hallo zusammen,\n\nwir {ort} wollen Fahrradleasing per Entgeltumwandlung einführen. Wer hat das schon '
        'umgesetzt, mit welchem Anbieter, und wie groß war die Nachfrage?',
        ('Wir haben das seit gut zwei Jahren. Grundlage ist der Tarifvertrag zur Entgeltumwandlung fürs '
         'Fahrradleasing im kommunalen Bereich. Die Nachfrage war deutlich höher als erwartet: über 300 Räder im '
         'ersten Jahr.',
         'Bei uns genauso. Die Ausschreibung des Leasinganbieters war der größte Aufwand. Achtet auf die Regeln bei '
         'Elternzeit und langer Krankheit, da unterscheiden sich die Anbieter stark.',
         'Wie habt ihr es für die Beamt:innen gelöst? Bei ihnen funktioniert die Entgeltumwandlung ja nicht so '
         'einfach.',
         'Für Beamt:innen haben wir noch keine Lösung. Das ist bei uns der häufigste Kritikpunkt.',
         'Gibt es bei euch eine Obergrenze für den Wert des Rads? Bei uns wird gerade über 7.000 € diskutiert.',
         'R0|Bei uns liegt die Grenze bei 7.500 € Kaufpreis und höchstens zwei Rädern pro Person. Die meisten '
         'bleiben ohnehin deutlich darunter.',
         'Noch ein Tipp: Eine FAQ für Mitarbeitende mit Beispielrechnung brutto/netto hat uns unzählige '
         'Einzelanfragen erspart. {kolleg} hat sie bei uns geschrieben.',
         'Q|Vielen Dank für die vielen Hinweise! Elternzeit und Krankheit nehmen wir ausdrücklich in die '
         'Leistungsbeschreibung auf.'),
        solution=1, who='kommunal'),
    Topic(
        'Lastenräder im Dienst: Welche Modelle, wo abstellen?', 'Radverkehr, Lastenrad',
        'Hallo zusammen,\n\nunser Bauhof und die Hausmeister:innen sollen für kurze Wege in der Innenstadt '
        'Lastenräder bekommen. Welche Modelle habt ihr, und wo stellt ihr sie sicher ab?',
        ('Wir haben vier E-Lastenräder mit Kastenaufbau für Werkzeug. Wichtig ist ein abschließbarer Stellplatz mit '
         'Strom – sonst ist der Akku im Winter schnell leer.',
         'Bei uns nutzt das Ordnungsamt zwei Lastenräder. Anfangs gab es Skepsis, inzwischen sind sie ständig '
         'ausgebucht. Eine kurze Einweisung ist bei uns Pflicht für alle, die fahren.',
         'Förderung nicht vergessen! Gewerblich genutzte Lastenräder wurden in den letzten Jahren über Programme von '
         'Bund und Land bezuschusst. Schaut, was aktuell läuft.',
         'Q|Danke! Abschließbarer Stellplatz mit Strom und Einweisungspflicht kommen in unser Konzept.'),
        solution=0, who='vor-ort'),
    Topic(
        'Dienstwagen-Pool: Buchung und Schlüsselübergabe ohne Empfang?', 'Dienstwagen-Pool, Mobilität',
        'Hallo zusammen,\n\nwir wollen die Dienstwagen der einzelnen Ämter in einen gemeinsamen Pool überführen. '
        'Welches Buchungssystem nutzt ihr, und wie läuft die Schlüsselübergabe, ohne dass jemand am Empfang sitzen '
        'muss?',
        ('Wir buchen im Intranet, der Schlüssel liegt in einem elektronischen Schlüsseltresor und wird mit dem '
         'Dienstausweis geholt. Seit dem Pool brauchen wir rund ein Drittel weniger Fahrzeuge.',
         'Bei uns haben die Fahrzeuge eine Telematik-Box, geöffnet wird per Dienstausweis direkt am Auto. Teurer in '
         'der Anschaffung, aber sehr bequem.',
         'Denkt an den Personalrat: Fahrtdaten dürfen nicht zur Leistungs- oder Verhaltenskontrolle genutzt werden. '
         'Das gehört in eine Dienstvereinbarung.',
         'Q|Danke, sehr hilfreich! Wir starten mit dem Schlüsseltresor und holen den Personalrat von Anfang an dazu.')),
    Topic(
        'Klimaanpassungskonzept: Wie seid ihr gestartet?', 'Klimaanpassung',
        'Hallo zusammen,\n\nwir {ort} sollen ein Klimaanpassungskonzept erstellen und stehen ganz am Anfang. Habt ihr '
        'das mit externer Unterstützung gemacht, und wo gab es Fördergeld?',
        ('Wir haben ein Büro beauftragt, das Konzept wurde gefördert. Ein guter Einstieg ist das [Zentrum '
         'KlimaAnpassung](https://zentrum-klimaanpassung.de): Es berät Kommunen kostenlos, auch zu '
         'Förderprogrammen.',
         'Bei uns war der erste Schritt eine Betroffenheitsanalyse: Wo wird es heiß, wohin läuft das Wasser bei '
         'Starkregen? Die Starkregengefahrenkarten hatten wir schon, das hat viel Zeit gespart.',
         'Wichtig: Holt von Anfang an die anderen Ämter dazu, vor allem Grünflächen, Tiefbau und Stadtplanung. Sonst '
         'bleibt das Konzept ein Papier des Umweltamts.',
         'Q|Danke euch! Beim Zentrum KlimaAnpassung melde ich mich diese Woche.',
         '{frage}, wenn ihr so weit seid: Wir haben unseren Beteiligungsprozess gut dokumentiert und teilen die '
         'Unterlagen gern.'),
        solution=0, who='kommunal'),
    Topic(
        'Hitze im Büro: Was tut ihr kurzfristig für die Mitarbeitenden?', 'Klimaanpassung, Gesundheit',
        'Hallo zusammen,\n\nletzten Sommer hatten wir in einigen Büros über 30 Grad. Was habt ihr kurzfristig für '
        'die Mitarbeitenden getan, bevor bauliche Maßnahmen greifen?',
        ('Hitzefrei gibt es nicht, aber an Hitzetagen erweitern wir die Gleitzeit: Arbeitsbeginn ab 6 Uhr, und '
         'mobiles Arbeiten wird großzügig genehmigt.',
         'Außenjalousien nachzurüsten war bei uns die wirksamste Maßnahme. Innen liegende Jalousien bringen kaum '
         'etwas.',
         'Und Wasserspender auf jeder Etage! Klingt banal, kam aber sehr gut an.',
         'Die Arbeitsstättenregel zur Raumtemperatur (ASR A3.5) sagt übrigens, was ab 26 und ab 30 Grad zu tun ist. '
         'Unsere Fachkraft für Arbeitssicherheit hat daraus eine kurze Handlungsanweisung gemacht.',
         'Q|Vielen Dank! Die erweiterte Gleitzeit und eine Handlungsanweisung nach der ASR setzen wir für diesen '
         'Sommer um.'),
        solution=3),
    Topic(
        'Kommunale Wärmeplanung: Wie weit seid ihr?', 'Kommunale Wärmeplanung',
        'Hallo zusammen,\n\nnach dem Wärmeplanungsgesetz müssen große Städte ihre Wärmeplanung bis Mitte 2026 '
        'vorlegen, kleinere bis Mitte 2028. Wie weit seid ihr, und wie läuft die Datenbeschaffung bei Netzbetreibern '
        'und Schornsteinfeger:innen?',
        ('Wir stecken in der Bestandsanalyse. Die Daten der Schornsteinfeger:innen kamen überraschend schnell, die '
         'der Netzbetreiber eher zäh. Ein offizielles Anschreiben mit Hinweis auf die Auskunftspflicht hat geholfen.',
         'Ein Tipp: In manchen Kreisen koordiniert der Kreis die Wärmeplanung für die kreisangehörigen Kommunen, '
         'etwa bei der Ausschreibung. Das spart viel Doppelarbeit. Fragt mal bei eurem Kreis nach, {vorname}.',
         'Gute Idee! {kolleg}, wäre so eine Koordination bei uns auch denkbar?'),
        who='vor-ort'),
    Topic(
        'Fahrradabstellanlage am Rathaus: Was habt ihr gebaut?', 'Radverkehr',
        'Hallo zusammen,\n\nviele Mitarbeitende würden gern mit dem Rad kommen, aber die Abstellmöglichkeiten am '
        'Rathaus sind schlecht. Was habt ihr gebaut, und was hat es gekostet?',
        ('Wir haben eine überdachte Anlage mit 60 Plätzen und Zugang per Dienstausweis gebaut, dazu Duschen und '
         'Spinde im Keller. Kosten grob im niedrigen sechsstelligen Bereich, zum Teil gefördert.',
         'Kleinere Lösung bei uns: Zwei Autostellplätze wurden zu Fahrradstellplätzen umgewidmet. Hat kaum etwas '
         'gekostet und war ein starkes Signal.',
         'Q|Die Umwidmung von Parkplätzen gefällt mir als schneller erster Schritt. Danke!'),
        who='vor-ort'),
    Topic(
        'Deutschlandticket als Jobticket: Wie hoch ist euer Zuschuss?', 'Mobilität, Deutschlandticket',
        'Hallo zusammen,\n\nbietet ihr das Deutschlandticket als Jobticket an? Und wenn ja, mit welchem Zuschuss?',
        ('Ja, mit dem Zuschuss, den der Verkehrsverbund für den Jobticket-Rabatt verlangt. Über 40 % der '
         'Belegschaft nutzen es.',
         'Bei uns auch, und wir nutzen das Ticket zusätzlich für Dienstfahrten im Nahverkehr. Das spart viele '
         'Einzelfahrkarten und Abrechnungen.',
         'Wir zahlen bewusst mehr als nötig, damit das Ticket für die Mitarbeitenden deutlich günstiger wird. Das '
         'war eine Entscheidung für die Attraktivität als Arbeitgeberin.',
         'Q|Danke! Dann rechnen wir mal einen höheren Zuschuss durch.')),
    Topic(
        'Straßenbäume: Welche Arten vertragen Hitze und Trockenheit?', 'Klimaanpassung, Stadtgrün',
        'Hallo zusammen,\n\nwir pflanzen in den nächsten Jahren mehrere Hundert Straßenbäume nach. Welche Arten haben '
        'sich bei euch in Hitze und Trockenheit bewährt? Wir sind unsicher, ob wir bei heimischen Arten bleiben oder '
        'mehr auf sogenannte Zukunftsbäume setzen.', who='vor-ort'),
    Topic(
        'Ladesäulen am Rathaus: Dürfen Mitarbeitende privat laden?', 'Mobilität, Elektromobilität',
        'Hallo zusammen,\n\nwir haben Ladesäulen für unsere Dienstfahrzeuge. Jetzt fragen Mitarbeitende, ob sie dort '
        'auch ihr privates Auto laden dürfen. Wie habt ihr das geregelt (Abrechnung, Steuer)?',
        ('Bei uns ist privates Laden erlaubt, abgerechnet wird über Ladekarten zum Selbstkostenpreis.',
         'Steuerlich ist kostenloses oder verbilligtes Laden beim Arbeitgeber bis Ende 2030 steuerfrei (§ 3 Nr. 46 '
         'EStG). Das Problem war bei uns eher das Haushaltsrecht: Wir dürfen Strom nicht einfach verschenken. Daher '
         'Ladekarten und Abrechnung zum Selbstkostenpreis.',
         'Q|Danke, genau diese Kombination aus Steuer und Haushaltsrecht war unsere offene Frage. Damit gehen wir in '
         'die Abstimmung mit der Kämmerei.'),
        solution=1),
    Topic(
        'Mobilitätsbudget statt Dienstwagen?', 'Mobilität',
        'Hallo zusammen,\n\nhat jemand schon ein Mobilitätsbudget für Mitarbeitende eingeführt, also einen Betrag, '
        'der flexibel für Bahn, Carsharing oder Rad genutzt werden kann?',
        ('Wir prüfen das gerade, stoßen aber an tarifliche und steuerliche Grenzen. Im öffentlichen Dienst ist das '
         'deutlich schwieriger als in der Privatwirtschaft.',
         'Ich meine, ein Landkreis in Süddeutschland hat so ein Modell als Pilot. Ich suche den Kontakt heraus und '
         'poste ihn hier.')),
)

ANKUENDIGUNGEN = (
    Topic(
        'Willkommen im Verwaltungsnetz – bitte kurz lesen', 'Netiquette',
        'Liebe Kolleg:innen,\n\nherzlich willkommen im Verwaltungsnetz! Damit der Austausch für alle gut '
        'funktioniert, ein paar Grundregeln:\n\n'
        '1. **Auf Augenhöhe:** Wir duzen uns in der Regel und helfen einander, egal aus welcher Verwaltung.\n'
        '2. **Keine personenbezogenen Daten** von Bürger:innen, keine vertraulichen Vergabe- oder Personalunterlagen.\n'
        '3. **Lösungen markieren:** Hat euch eine Antwort geholfen, markiert sie als Lösung, damit andere sie finden.\n'
        '4. **@Erwähnungen** nutzen, um Kolleg:innen gezielt einzubinden.\n\n'
        'Fragen an die Moderation? Schreibt uns einfach direkt an.\n\nViele Grüße\nEuer Moderationsteam',
        pinned=True),
    Topic(
        'Online-Austausch „E-Akte in der Praxis“ – jetzt anmelden', 'E-Akte, Veranstaltung',
        'Hallo zusammen,\n\nin drei Wochen laden wir donnerstags zu einem einstündigen Online-Austausch zur E-Akte '
        'ein. {kolleg} berichtet von der Einführung in den Fachbereichen, danach ist Zeit für eure Fragen.\n\n'
        '- **Wann:** 10:00 bis 11:00 Uhr\n'
        '- **Wo:** Videokonferenz, den Link gibt es nach der Anmeldung\n'
        '- **Anmeldung:** per Nachricht an die Moderation\n\nWir freuen uns auf euch!',
        pinned=True),
    Topic(
        'Neu: Lösungen markieren und Beiträge als hilfreich bewerten', 'Verwaltungsnetz',
        'Hallo zusammen,\n\nab sofort könnt ihr in allen Foren\n\n'
        '- eine Antwort als **Lösung** markieren (wer gefragt hat),\n'
        '- Beiträge mit 👍 *Danke* oder 💡 *Hilfreich* bewerten,\n'
        '- Themen **beobachten**, um über neue Antworten informiert zu werden.\n\n'
        'In der Themenliste lässt sich außerdem nach gelösten und unbeantworteten Fragen filtern. Probiert es aus und '
        'gebt uns Rückmeldung!',
        pinned=True),
    Topic(
        'Wartungsarbeiten am Samstagvormittag', 'Verwaltungsnetz',
        'Hallo zusammen,\n\nam kommenden Samstag spielen wir zwischen 8 und 10 Uhr Updates ein. In dieser Zeit ist '
        'das Verwaltungsnetz eventuell kurz nicht erreichbar. Was ihr vorher schreibt, bleibt natürlich erhalten.\n\n'
        'Danke für euer Verständnis!'),
    Topic(
        'Herzlich willkommen, Kreis Recklinghausen und HSPV NRW!', 'Verwaltungsnetz',
        'Hallo zusammen,\n\nwir freuen uns über Verstärkung: Seit dieser Woche sind auch Kolleg:innen aus dem Kreis '
        'Recklinghausen und von der Hochschule für Polizei und öffentliche Verwaltung NRW dabei. Schaut gern in ihre '
        'Profile und sagt Hallo – zum Beispiel im Forum *Personal & Ausbildung*, zu dem die HSPV sicher viel '
        'beitragen kann.'),
)

BOARDS = (
    BoardSpec('digitalisierung-ozg', 'Digitalisierung & OZG',
              'Onlinezugangsgesetz, E-Akte, digitale Unterschrift, Fachverfahren und alles, was Verwaltung digitaler '
              'macht: Erfahrungen teilen, Fragen stellen, voneinander lernen.', DIGITAL),
    BoardSpec('personal-ausbildung', 'Personal & Ausbildung',
              'Fachkräftegewinnung, Ausbildung und duales Studium, Dienstvereinbarungen, mobiles Arbeiten und '
              'Führung: für alle, die Verwaltung als Arbeitgeberin voranbringen.', PERSONAL),
    BoardSpec('buergerservice', 'Bürgerservice',
              'Bürgerbüro, Terminbuchung, Kfz-Zulassung, Standesamt und Ausländerbehörde: wie wir Wartezeiten senken '
              'und Anliegen einfacher machen.', BUERGERSERVICE, who='vor-ort'),
    BoardSpec('beschaffung-vergabe', 'Beschaffung & Vergabe',
              'eVergabe, UVgO und VgV, Wertgrenzen, Rahmenverträge und nachhaltige Beschaffung. Bitte keine '
              'vertraulichen Angebotsdaten posten.', VERGABE),
    BoardSpec('klima-mobilitaet', 'Klima & Mobilität',
              'Klimaanpassung, Wärmeplanung, Radverkehr, Jobrad, Lastenräder und Dienstwagen-Pool: was in unseren '
              'Verwaltungen funktioniert – und was nicht.', KLIMA),
    BoardSpec('ankuendigungen', 'Ankündigungen',
              'Neuigkeiten aus dem Verwaltungsnetz: Veranstaltungen, neue Funktionen und Hinweise der Moderation. '
              'Hier schreibt nur die Moderation.', ANKUENDIGUNGEN, moderators_only=True),
)

# ---------------------------------------------------------------- planning

_BY = re.compile(r'^(Q|R(\d))\|')


@dataclass(frozen=True)
class Person:
    user: Any  # CurrentUser
    first_name: str
    organization_id: int | None
    level: str  # the organisation's level: kommunal, regional, Land
    place: tuple[str, str]  # ('in Lünen', 'aus Lünen')
    joined: datetime
    weight: int  # some members write far more than others

    @property
    def mention(self) -> str:
        name = self.user.name.replace('[', '(').replace(']', ')')
        return f'[@{name}](/members/{self.user.id})'


@dataclass
class _Plan:
    board: BoardSpec
    topic: Topic
    authors: list[Person]  # the question's, then one per reply
    texts: list[str]
    times: list[datetime]
    reactions: list[list[tuple[Person, str]]] = field(default_factory=list)  # per post
    views: int = 0


@dataclass(frozen=True)
class BoardsSeeded:
    boards: int
    threads: int
    posts: int


def _pick(rng: Random, pool: list[Person], *, exclude: Collection[int] = (),
          other_than: Collection[int | None] = ()) -> Person:
    """Someone from the pool, not excluded, preferably from none of the organisations in `other_than`."""
    allowed = [p for p in pool if p.user.id not in exclude] or pool
    candidates = [p for p in allowed if p.organization_id not in other_than] or allowed
    return rng.choices(candidates, weights=[p.weight for p in candidates])[0]


def _office_hours(when: datetime) -> datetime:
    """Nobody in a town hall writes at 3 a.m. or on Sunday: move such posts to the next working morning."""
    local = when + timedelta(hours=1)  # about German time; exact enough for a demo
    morning = 7 + local.minute % 4  # spread over the morning, not all at 7 o'clock
    if local.hour >= 22:
        local = (local + timedelta(days=1)).replace(hour=morning)
    elif local.hour < 7:
        local = local.replace(hour=morning)
    while local.weekday() >= 5:
        local = (local + timedelta(days=1)).replace(hour=morning)
    return local - timedelta(hours=1)


def _times(start: datetime, gaps: list[timedelta], now: datetime) -> list[datetime]:
    """The question's and replies' times: in office hours, one after the other, all in the past."""
    while True:
        times: list[datetime] = []
        for gap in [timedelta(0), *gaps]:
            when = _office_hours((times[-1] if times else start) + gap)
            times.append(max(when, times[-1] + timedelta(minutes=4)) if times else when)
        if times[-1] < now - timedelta(minutes=10):
            return times
        start -= timedelta(days=1)


def _gap(rng: Random) -> timedelta:
    roll = rng.random()
    if roll < 0.45:
        return timedelta(minutes=rng.uniform(12, 180))
    if roll < 0.85:
        return timedelta(hours=rng.uniform(3, 26))
    return timedelta(days=rng.uniform(1, 4))


def _plan(rng: Random, people: list[Person], moderators: list[Person], now: datetime) -> list[_Plan]:
    plans: list[_Plan] = []
    for board in BOARDS:
        for topic in board.topics:
            start = now - timedelta(hours=rng.uniform(2, WEEKS * 7 * 24))
            if board.moderators_only:
                pool = moderators
            else:
                levels = AUDIENCES[topic.who or board.who]
                pool = [p for p in people if levels is None or p.level in levels]
            pool = [p for p in pool if p.joined < start] or pool
            present = [p for p in people if p.joined < start] or people  # those mentioned or reacting
            if not pool:
                continue
            asker = _pick(rng, pool)
            authors = [asker]
            for raw in topic.replies:
                by = _BY.match(raw)
                if by and by.group(1) == 'Q':
                    authors.append(asker)
                elif by:
                    authors.append(authors[int(by.group(2)) + 1])
                else:  # a network across administrations: answers come from elsewhere
                    authors.append(_pick(rng, pool, exclude={asker.user.id, authors[-1].user.id},
                                         other_than={asker.organization_id, authors[-1].organization_id}))
            values = {'vorname': asker.first_name, 'frage': asker.mention}
            values.update({f'r{i}': a.mention for i, a in enumerate(authors[1:])})
            texts = []
            for author, raw in zip(authors, (topic.question, *topic.replies), strict=True):
                # "{kolleg} hat das bei uns gebaut": someone from the writer's own organisation, where there is one.
                known = {asker.user.id, author.user.id}
                colleagues = [p for p in present if p.organization_id == author.organization_id
                              and p.user.id not in known]
                third = _pick(rng, colleagues or present, exclude=known)
                texts.append(_BY.sub('', raw).format(ort=author.place[0], aus=author.place[1], kolleg=third.mention,
                                                     **values))
            times = _times(start, [_gap(rng) for _ in topic.replies], now)
            plan = _Plan(board, topic, authors, texts, times)
            plan.reactions = [_reactions(rng, present, author, i, topic, board) for i, author in enumerate(authors)]
            plan.views = (rng.randint(60, 180) if board.moderators_only
                          else 6 + 7 * len(topic.replies) + rng.randint(0, 40))
            plans.append(plan)
    return plans


def _reactions(rng: Random, people: list[Person], author: Person, index: int, topic: Topic,
               board: BoardSpec) -> list[tuple[Person, str]]:
    """Who says 👍 Danke or 💡 Hilfreich to one post: the solution gets the most, questions get few."""
    if board.moderators_only:
        thanks, helpful = rng.randint(2, 6), 0
    elif index == 0:
        thanks, helpful = rng.choice((0, 0, 0, 0, 1)), 0
    elif topic.solution is not None and index == topic.solution + 1:
        thanks, helpful = rng.randint(0, 2), rng.randint(2, 4)
    elif topic.replies[index - 1].startswith('Q|'):
        thanks, helpful = rng.choice((0, 0, 0, 1)), 0
    else:
        thanks, helpful = rng.choice((0, 0, 0, 1, 1, 2)), rng.choice((0, 0, 0, 0, 1))
    others = [p for p in people if p.user.id != author.user.id]
    chosen: list[tuple[Person, str]] = []
    for kind, count in ((ReactionKind.THANKS, thanks), (ReactionKind.HELPFUL, helpful)):
        chosen += [(p, kind) for p in rng.sample(others, min(count, len(others)))]
    return chosen


# ---------------------------------------------------------------- writing


def _people(session: Session, members: list[Any]) -> list[Person]:
    U, O = User.__table__, Organization.__table__  # noqa: E741 - table aliases read like the SQL they build
    rows = session.execute(select(U.c.id, U.c.created_at, O.c.name, O.c.level)
                           .join(O, O.c.id == U.c.organization_id, isouter=True)
                           .where(U.c.id.in_([m.id for m in members]))).all()
    found = {user_id: (joined, org, level) for user_id, joined, org, level in rows}
    people = []
    for member in members:
        joined, org, level = found[member.id]
        people.append(Person(
            member, member.name.split()[0], member.organization_id, level or '',
            PLACES.get(org or '', ('hier', 'von hier')), joined if joined.tzinfo else joined.replace(tzinfo=UTC),
            5 if member.id % 9 == 0 else 1))
    return people


def seed_boards(session: Session, *, admin: Any, members: list[Any], rng: Random) -> BoardsSeeded:
    """Add the demo boards and their threads that are not there yet (by slug, and by title within a board).

    `admin` creates the boards; `members` (active accounts) write; Ankündigungen are written by the moderators
    among them, and left empty when there are none.
    """
    now = datetime.now(UTC)
    people = _people(session, [m for m in members if m.status == Status.ACTIVE])
    if not people:
        return BoardsSeeded(0, 0, 0)
    moderators = [p for p in people if p.user.role in (Role.MODERATOR, Role.ADMIN)]
    plans = _plan(rng, people, moderators, now)  # planned in full every time, so a rerun draws the same numbers

    board_ids: dict[str, int] = {}
    boards_added = 0
    for spec in BOARDS:
        existing = session.execute(select(Board).where(Board.slug == spec.slug)).scalars().first()
        if existing is None:
            ref = boards.create_board(session, actor=admin, name=spec.name, description=spec.description,
                                      slug=spec.slug, moderators_only=spec.moderators_only)
            board_ids[spec.slug] = ref.id
            boards_added += 1
        else:
            board_ids[spec.slug] = existing.id  # type: ignore[assignment]
    T = Thread.__table__
    titles = set(session.execute(select(T.c.board_id, T.c.title).where(T.c.board_id.in_(board_ids.values()))).all())

    created: list[tuple[_Plan, int, list[int]]] = []
    for plan in sorted(plans, key=lambda p: p.times[0]):
        board_id = board_ids[plan.board.slug]
        board = session.get(Board, board_id)
        asker = plan.authors[0].user
        if (board_id, plan.topic.title) in titles or board is None or boards.may_post_in(board, asker):
            continue
        thread_id = boards.create_thread(session, actor=asker, board_id=board_id, title=plan.topic.title,
                                         body=plan.texts[0], tags=[t.strip() for t in plan.topic.tags.split(',')])
        post_ids = [session.execute(select(Post.__table__.c.id).where(
            Post.__table__.c.thread_id == thread_id, Post.__table__.c.number == 1)).scalar_one()]
        for author, text in zip(plan.authors[1:], plan.texts[1:], strict=True):
            post_ids.append(posts.reply(session, actor=author.user, thread_id=thread_id, body=text).id)
        if plan.topic.solution is not None:
            posts.mark_solution(session, actor=asker, post_id=post_ids[plan.topic.solution + 1])
        for post_id, reactions in zip(post_ids, plan.reactions, strict=True):
            for person, kind in reactions:
                posts.toggle_reaction(session, actor=person.user, post_id=post_id, kind=kind)
        if plan.topic.pinned:
            moderation.pin_thread(session, actor=asker, thread_id=thread_id)
        created.append((plan, thread_id, post_ids))
    if created:
        _backdate(session, created, board_ids.values())
    return BoardsSeeded(boards_added, len(created), sum(len(ids) for _, _, ids in created))


def _backdate(session: Session, created: list[tuple[_Plan, int, list[int]]], board_ids: Any) -> None:
    """Demo only: move the new threads and posts back to their planned times, spread over the last weeks.

    Real posts are never backdated; the services stamp them when they are written. The boards' "latest post" and
    the authors' "last seen" follow the moved times.
    """
    T, PO, B, U = Thread.__table__, Post.__table__, Board.__table__, User.__table__
    session.execute(update(T).where(T.c.id == bindparam('tid')).values(
        created_at=bindparam('created'), last_post_at=bindparam('last'), view_count=bindparam('views')),
        [{'tid': tid, 'created': plan.times[0], 'last': plan.times[-1], 'views': plan.views}
         for plan, tid, _ in created])
    session.execute(update(PO).where(PO.c.id == bindparam('pid')).values(created_at=bindparam('at')),
                    [{'pid': pid, 'at': at} for plan, _, ids in created
                     for pid, at in zip(ids, plan.times, strict=True)])
    latest: dict[int, tuple[datetime, int]] = {}
    for board_id, thread_id, last in session.execute(select(T.c.board_id, T.c.id, T.c.last_post_at).where(
            T.c.board_id.in_(list(board_ids)), T.c.deleted.is_(False))).all():
        last = last if last.tzinfo else last.replace(tzinfo=UTC)
        if board_id not in latest or last > latest[board_id][0]:
            latest[board_id] = (last, thread_id)
    for board_id, (last, thread_id) in latest.items():
        session.execute(update(B).where(B.c.id == board_id).values(last_post_at=last, last_thread_id=thread_id))
    last_post: dict[int, datetime] = {}
    for plan, _, _ in created:
        for author, at in zip(plan.authors, plan.times, strict=True):
            last_post[author.user.id] = max(at, last_post.get(author.user.id, at))
    for user_id, seen in session.execute(select(U.c.id, U.c.last_seen_at).where(U.c.id.in_(list(last_post)))).all():
        seen = seen.replace(tzinfo=UTC) if seen is not None and seen.tzinfo is None else seen
        if seen is None or seen < last_post[user_id]:
            session.execute(update(U).where(U.c.id == user_id).values(
                last_seen_at=last_post[user_id] + timedelta(minutes=3)))
    session.commit()
