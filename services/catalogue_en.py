"""English texts, keyed by the German source text. A test fails when a German text has no entry here."""

EN: dict[str, str] = {
    'Was die Software prüft': 'What the software is tested for',
    'Die Software Verwaltungsnetz wird bei jeder Änderung automatisch gegen die Anforderungen der WCAG '
    '2.1 in den Stufen A und AA geprüft (Grundlage der BITV 2.0): Das Prüfprogramm axe-core läuft in '
    'Chromium auf jeder Seite, angemeldet als Mitglied, als Moderation und als Administration sowie ohne '
    'Anmeldung, auch mit geöffneten Menüs und Dialogen. Außerdem werden Anmelden, die Suche im '
    'Verzeichnis, das Antworten in einem Thema und die Zusage zu einer Veranstaltung allein mit der '
    'Tastatur durchlaufen, mit sichtbarem Fokus bei jedem Schritt. Automatische Prüfungen finden nicht '
    'alle Barrieren: Bitte melden Sie, was Ihnen die Nutzung erschwert.':
        'Every change to the Verwaltungsnetz software is tested automatically against WCAG 2.1 levels A and AA (the '
        'basis of BITV 2.0): the checker axe-core runs in Chromium on every page, signed in as a member, a moderator '
        'and an administrator and without signing in, also with menus and dialogs open. Signing in, searching the '
        'directory, replying to a topic and accepting an event are also done with the keyboard alone, with visible '
        'focus at every step. Automated checks do not find every barrier: please tell us what makes using the network '
        'hard for you.',
    'Abmelden': 'Sign out',
    'Administration': 'Administration',
    'Administration anlegen': 'Create administrator',
    'Alle anderen Sitzungen beenden': 'End all other sessions',
    'Alle können sich registrieren, die Administration schaltet frei': 'Anyone may register, an administrator approves',
    'Angemeldete Geräte': 'Signed-in devices',
    'Anmelden': 'Sign in',
    'Benutzermenü': 'User menu',
    'Bisheriges Passwort': 'Current password',
    'Bitte geben Sie Ihr Passwort ein.': 'Please enter your password.',
    'Bitte geben Sie Ihr bisheriges Passwort ein.': 'Please enter your current password.',
    'Bitte geben Sie Ihre E-Mail-Adresse ein.': 'Please enter your e-mail address.',
    'Bitte geben Sie Ihren Namen ein.': 'Please enter your name.',
    'Bitte geben Sie ein Passwort ein.': 'Please enter a password.',
    'Bitte geben Sie einen Namen ein.': 'Please enter a name.',
    'Bitte nennen Sie mindestens eine Domain.': 'Please name at least one domain.',
    'Bitte stimmen Sie der Datenschutzerklärung zu.': 'Please agree to the privacy notice.',
    'Bitte versuchen Sie es noch einmal. Wenn der Fehler bleibt, nennen Sie der Administration diese Kennung: {id}':
        'Please try again. If the error persists, give the administrators this reference: {id}',
    'Bitte wählen oder nennen Sie Ihre Verwaltung.': 'Please choose or name your administration.',
    'Dafür fehlt Ihnen die Berechtigung.': 'You are not allowed to do that.',
    'Das Passwort darf höchstens {n} Zeichen lang sein.': 'The password may have at most {n} characters.',
    'Das Passwort darf nicht Ihre E-Mail-Adresse sein.': 'The password must not be your e-mail address.',
    'Das Passwort muss mindestens {n} Zeichen lang sein.': 'The password must have at least {n} characters.',
    'Das bisherige Passwort stimmt nicht.': 'The current password is wrong.',
    'Das hat nicht geklappt (Fehler {id}). Bitte versuchen Sie es noch einmal.':
        'That did not work (error {id}). Please try again.',
    'Das ist keine gültige E-Mail-Adresse.': 'That is not a valid e-mail address.',
    'Das neue Passwort muss sich vom bisherigen unterscheiden.': 'The new password must differ from the current one.',
    'Datenschutz': 'Privacy',
    'Datenschutzerklärung': 'Privacy notice',
    'Datenschutzerklärung (Markdown)': 'Privacy notice (Markdown)',
    'Deaktivieren': 'Deactivate',
    'Den Ordner {path} gibt es nicht.': 'The folder {path} does not exist.',
    'Die Administration hat noch kein Impressum hinterlegt.': 'The administrators have not published an imprint yet.',
    'Die Administration hat noch keine Datenschutzerklärung hinterlegt.':
        'The administrators have not published a privacy notice yet.',
    'Die Datenbank {path} gibt es nicht.': 'The database {path} does not exist.',
    'Die Registrierung ist derzeit geschlossen.': 'Registration is currently closed.',
    'Die Sicherung ist beschädigt: {detail}': 'The backup is damaged: {detail}',
    'Dienstliche E-Mail-Adresse': 'Work e-mail address',
    'Diese Sprache gibt es nicht.': 'This language is not available.',
    'Diese Verwaltung gibt es nicht.': 'This administration does not exist.',
    'Diese Verwaltung gibt es schon.': 'This administration already exists.',
    'Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.':
        'This account is deactivated. Please contact the administrators.',
    'Dieses Konto ist nicht deaktiviert.': 'This account is not deactivated.',
    'Diese Einladung gilt für eine andere E-Mail-Adresse.': 'This invitation is for another e-mail address.',
    'Dieses Mitglied gibt es nicht.': 'This member does not exist.',
    'Dieses Passwort ist zu verbreitet. Bitte wählen Sie ein anderes.':
        'This password is too common. Please choose another one.',
    'E-Mail-Adresse': 'E-mail address',
    'E-Mail-Adresse oder Passwort ist falsch.': 'E-mail address or password is wrong.',
    'Einladung erstellen': 'Create invitation',
    'Einladungen': 'Invitations',
    'Einrichtung': 'Set-up',
    'Erlaubte Domains (durch Komma getrennt)': 'Allowed domains (comma-separated)',
    'Es gibt bereits eine Administratorin oder einen Administrator.': 'An administrator already exists.',
    'Es muss mindestens eine aktive Administratorin oder einen Administrator geben.':
        'There must be at least one active administrator.',
    'Etwas ist schiefgegangen': 'Something went wrong',
    'Foren': 'Boards',
    'Freischalten': 'Approve',
    'Freischaltung ausstehend': 'Awaiting approval',
    'Geschlossen': 'Closed',
    'Gültig (Tage)': 'Valid (days)',
    'Hauptnavigation': 'Main navigation',
    'Höchstens {n} Zeichen.': 'At most {n} characters.',
    'Ich habe die Datenschutzerklärung gelesen und stimme ihr zu.': 'I have read and agree to the privacy notice.',
    'Ihr Konto ist angelegt. Eine Administratorin oder ein Administrator muss es noch freischalten. Sobald das '
    'geschehen ist, können Sie das Netzwerk nutzen.':
        'Your account has been created. An administrator still has to approve it. Once that has happened, you can '
        'use the network.',
    'Ihre Verwaltung (auswählen oder eingeben)': 'Your administration (choose or type)',
    'Impressum': 'Imprint',
    'Impressum (Markdown)': 'Imprint (Markdown)',
    'Jetzt die erste Administratorin oder den ersten Administrator anlegen': 'Create the first administrator now',
    'Jetzt prüfen': 'Review now',
    'Kalender': 'Calendar',
    'Konten': 'Accounts',
    'Konto': 'Account',
    'Konto anlegen': 'Create account',
    'Legen Sie Ihr Konto an. Danach können Sie sofort loslegen.': 'Create your account. You can start right away.',
    'Legen Sie Ihr Konto an. Eine Administratorin oder ein Administrator schaltet es frei.':
        'Create your account. An administrator will approve it.',
    'Mit dieser E-Mail-Adresse gibt es schon ein Konto.': 'An account with this e-mail address already exists.',
    'Mitglied': 'Member',
    'Mitglieder': 'Members',
    'Moderation': 'Moderation',
    'Moderator:in': 'Moderator',
    'Dieser Beitrag wurde von der Moderation ausgeblendet.': 'This post was hidden by the moderators.',
    'Erledigt.': 'Done.',
    'Gespeichert. Die Änderungen gelten ab sofort.': 'Saved. The changes take effect at once.',
    'Dieses Konto wartet nicht auf Freischaltung.': 'This account is not awaiting approval.',
    'Keines der gewählten Konten wartet auf Freischaltung.': 'None of the selected accounts is awaiting approval.',
    'Möchten Sie sich abmelden?': 'Do you want to sign out?',
    'Nachrichten': 'Messages',
    'Name': 'Name',
    'Name des Netzwerks': 'Name of the network',
    'Name oder E-Mail': 'Name or e-mail',
    'Neues Passwort (mindestens 10 Zeichen)': 'New password (at least 10 characters)',
    'Nicht gefunden.': 'Not found.',
    'Noch ist keine Administration eingerichtet.': 'No administrator has been set up yet.',
    'Noch kein Konto?': 'No account yet?',
    'Nur Adressen bestimmter Domains': 'Only addresses of certain domains',
    'Nur mit Einladung': 'Invitation only',
    'Offen: alle können sich registrieren': 'Open: anyone may register',
    'Passwort': 'Password',
    'Profil': 'Profile',
    'Passwort (mindestens 10 Zeichen)': 'Password (at least 10 characters)',
    'Passwort geändert. Ihre anderen Sitzungen wurden beendet.': 'Password changed. Your other sessions were ended.',
    'Passwort ändern': 'Change password',
    'PostgreSQL: bitte mit pg_dump sichern, z. B. pg_dump -Fc -f sicherung.dump DBNAME':
        'PostgreSQL: please back up with pg_dump, e.g. pg_dump -Fc -f backup.dump DBNAME',
    'Reaktivieren': 'Reactivate',
    'Rechtliches': 'Legal',
    'Registrieren': 'Register',
    'Registrieren können Sie sich nur mit einer gültigen Einladung.': 'You can only register with a valid invitation.',
    'Registrieren können sich Beschäftigte mit einer Adresse dieser Domains: {domains}.':
        'Staff with an address at these domains can register: {domains}.',
    'Registrieren können sich nur Adressen dieser Domains: {domains}.':
        'Only addresses at these domains can register: {domains}.',
    'Registrierung': 'Registration',
    'Rolle von {name}': 'Role of {name}',
    'Sie können Ihr eigenes Konto nicht deaktivieren.': 'You cannot deactivate your own account.',
    'Sie wurden eingeladen. Legen Sie Ihr Konto an.': 'You have been invited. Create your account.',
    'Speichern': 'Save',
    'Sprache': 'Language',
    'Sprache wechseln': 'Change language',
    'Start': 'Home',
    'Status': 'Status',
    'Suchen': 'Search',
    'Unbekannte Art der Verwaltung.': 'Unknown kind of administration.',
    'Unbekannte Einstellung.': 'Unknown setting.',
    'Unbekannte Rolle.': 'Unknown role.',
    'Verwaltung': 'Administration',
    'Warten auf Freischaltung': 'Awaiting approval',
    'Willkommen! Legen Sie die erste Administratorin oder den ersten Administrator an.':
        'Welcome! Create the first administrator.',
    'Willkommen, {name}!': 'Welcome, {name}!',
    'Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {seconds} Sekunden.':
        'Too many failed sign-in attempts. Please wait {seconds} seconds.',
    # Rate limits (services/rate_limits.py, ui/throttle.py)
    'Sie haben in kurzer Zeit sehr viele Beiträge geschrieben (höchstens {limit} in {window} Minuten). Bitte '
    'versuchen Sie es in {minutes} Min. wieder.':
        'You have written a great many posts in a short time (at most {limit} in {window} minutes). Please try again '
        'in {minutes} min.',
    'Sie haben in kurzer Zeit sehr viele Nachrichten geschrieben (höchstens {limit} in {window} Minuten). Bitte '
    'versuchen Sie es in {minutes} Min. wieder.':
        'You have written a great many messages in a short time (at most {limit} in {window} minutes). Please try '
        'again in {minutes} min.',
    'Sie haben in kurzer Zeit sehr viele Dateien hochgeladen (höchstens {limit} in {window} Minuten). Bitte '
    'versuchen Sie es in {minutes} Min. wieder.':
        'You have uploaded a great many files in a short time (at most {limit} in {window} minutes). Please try again '
        'in {minutes} min.',
    'Von Ihrer Adresse aus gab es in der letzten Stunde zu viele Registrierungsversuche. Bitte versuchen Sie es in '
    '{minutes} Min. wieder.':
        'There were too many registration attempts from your address in the last hour. Please try again in '
        '{minutes} min.',
    'Für dieses Konto wurden in der letzten Stunde schon {limit} Links zum Zurücksetzen des Passworts erstellt. '
    'Bitte versuchen Sie es in {minutes} Min. wieder.':
        '{limit} password reset links have already been created for this account in the last hour. Please try again '
        'in {minutes} min.',
    'An dieses Konto gingen in der letzten Stunde schon {limit} E-Mails zum Zurücksetzen des Passworts. Bitte '
    'versuchen Sie es in {minutes} Min. wieder.':
        '{limit} password reset e-mails have already gone to this account in the last hour. Please try again in '
        '{minutes} min.',
    'Zu viele Anfragen': 'Too many requests',
    'Zu viele Seitenaufrufe ohne Anmeldung. Bitte versuchen Sie es in {seconds} Sekunden noch einmal.':
        'Too many pages opened without signing in. Please try again in {seconds} seconds.',
    'Zum Inhalt springen': 'Skip to content',
    'Zur Startseite': 'To the home page',
    'aktiv': 'active',
    'alle': 'all',
    'deaktiviert': 'deactivated',
    'dieses Gerät': 'this device',
    'offen': 'open',
    'wartet auf Freischaltung': 'awaiting approval',
    '{n} Konten': '{n} accounts',
    '{n} Konten warten auf Freischaltung.': '{n} accounts await approval.',
    '{n} andere Sitzungen beendet.': '{n} other sessions ended.',
    '{path} gibt es schon; nichts wurde überschrieben.': '{path} already exists; nothing was overwritten.',
    '„{value}“ ist keine gültige Domain.': '“{value}” is not a valid domain.',
    '1 Mitglied': '1 member',
    'Alle Verwaltungen': 'All administrations',
    'Arbeitet an': 'Works on',
    'Aus anderen Verwaltungen, mit passendem Angebot.': 'From other administrations, offering what fits.',
    'Aus anderen Verwaltungen, passend zu dem, was Sie suchen.':
        'From other administrations, matching what you are looking for.',
    'Bild': 'Picture',
    'Bild entfernen': 'Remove picture',
    'Bild gespeichert.': 'Picture saved.',
    'Bitte eine Adresse mit https:// angeben.': 'Please give an address starting with https://.',
    'Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.': 'Please upload a PNG, JPEG or WebP image.',
    'Bitte nur Ziffern, Leerzeichen und + ( ) / - verwenden.': 'Please use only digits, spaces and + ( ) / -.',
    'Bund': 'Federal',
    'Das Bild ist größer als {mb} MB.': 'The picture is larger than {mb} MB.',
    'Das Bild ist zu groß ({width}×{height} Pixel).': 'The picture is too large ({width}×{height} pixels).',
    'Dieses Mitglied gibt es nicht (mehr).': 'This member does not exist (any more).',
    'E-Mail': 'E-mail',
    'E-Mail sichtbar für': 'E-mail visible to',
    'E-Mail: {email}': 'E-mail: {email}',
    'Ein Schlagwort darf höchstens {n} Zeichen haben.': 'A tag may have at most {n} characters.',
    'Fachbereich / Amt': 'Department / office',
    'Filter': 'Filters',
    'Filter entfernen': 'Remove filter',
    'Filter zurücksetzen': 'Clear filters',
    'Funktion / Position': 'Role / position',
    'Hochschule': 'University',
    'Höchstens {n} Schlagwörter.': 'At most {n} tags.',
    'Ich kann helfen bei': 'I can help with',
    'Ich suche': 'I am looking for',
    'Kann helfen bei': 'Can help with',
    'Keine Kontaktdaten freigegeben.': 'No contact details shared.',
    'Keine Mitglieder gefunden.': 'No members found.',
    'Kolleg:innen, die helfen können': 'Colleagues who can help',
    'Kommune': 'Municipality',
    'Kontakt': 'Contact',
    'Kontakt und Sichtbarkeit': 'Contact and visibility',
    'Kreis': 'District',
    'Land': 'State',
    'Mein Profil': 'My profile',
    'Neu im Netzwerk': 'New in the network',
    'Neues Bild (PNG, JPEG oder WebP, höchstens 2 MB)': 'New picture (PNG, JPEG or WebP, at most 2 MB)',
    'Nicht gefunden': 'Not found',
    'Ort': 'Place',
    'Ort / Dienstsitz': 'Place / office location',
    'Ort sichtbar für': 'Place visible to',
    'Profil bearbeiten': 'Edit profile',
    'Profil gespeichert.': 'Profile saved.',
    'Profil speichern': 'Save profile',
    'Pronomen (optional)': 'Pronouns (optional)',
    'Relevanz': 'Relevance',
    'Neueste': 'Newest',
    'Zuletzt aktiv': 'Recently active',
    'Seite {page} von {pages}': 'Page {page} of {pages}',
    'Seiten': 'Pages',
    'Sie können nur Ihr eigenes Profil bearbeiten.': 'You can only edit your own profile.',
    'So sehen andere mein Profil': 'How others see my profile',
    'Sonstige': 'Other',
    'Sortierung': 'Sort by',
    'Suche nach Name, Thema, Amt, Verwaltung …': 'Search by name, topic, office, administration …',
    'Suchergebnisse': 'Search results',
    'Sucht': 'Looking for',
    'Telefon': 'Phone',
    'Telefon sichtbar für': 'Phone visible to',
    'Themen, an denen ich arbeite': 'Topics I work on',
    'Tippen zeigt vorhandene Schlagwörter; Enter legt ein neues an.':
        'Typing shows existing tags; Enter adds a new one.',
    'Tragen Sie in Ihrem Profil unter „Ich suche“ ein, wobei Ihnen Kolleg:innen helfen könnten – dann '
    'schlagen wir hier passende Personen aus anderen Verwaltungen vor.':
        'Add to your profile under “I am looking for” what colleagues could help you with – then we suggest '
        'matching people from other administrations here.',
    'Unbekannte Ebene.': 'Unknown level.',
    'Unbekannte Sichtbarkeit.': 'Unknown visibility.',
    'Verband': 'Association',
    'Verwaltungen im Netzwerk': 'Administrations in the network',
    'Weiter': 'Next',
    'Weitere Kanäle': 'Other channels',
    'Weitere Kanäle (z. B. Matrix, Teams)': 'Other channels (e.g. Matrix, Teams)',
    'Zum Mitgliederverzeichnis': 'To the member directory',
    'Zurück': 'Back',
    '{n} Mitglieder': '{n} members',
    '{n} Verwaltungen': '{n} administrations',
    '{tag} (passt)': '{tag} (matches)',
    'Über mich': 'About me',
    'Über mich (Markdown, höchstens 4000 Zeichen)': 'About me (Markdown, at most 4000 characters)',
    'alle Mitglieder': 'all members',
    'kommunal': 'municipal',
    'meine Verwaltung': 'my administration',
    'niemand': 'nobody',
    'regional': 'regional',
    'sonstige': 'other',
    'Art': 'Kind',
    'Ebene': 'Level',
    'Fachbereich': 'Department',
    'Thema': 'Topic',
    'Filter werden gezählt …': 'Counting filters …',
    'Sehr viele Treffer: nach Relevanz geordnet sind die {n} zuletzt beigetretenen. '
    'Ein weiteres Wort oder ein Filter grenzt die Suche ein.':
        'Very many matches: the {n} who joined most recently are ordered by relevance. '
        'Another word or a filter narrows the search.',
    'Passwort anzeigen': 'Show password',
    'Passwort verbergen': 'Hide password',
    '1 Antwort': '1 reply',
    '1 Aufruf': '1 view',
    '1 Beitrag': '1 post',
    '1 Thema': '1 topic',
    'Abbrechen': 'Cancel',
    'Aktionen': 'Actions',
    'Aktionen zu Beitrag {n}': 'Actions for post {n}',
    'Aktivität': 'Activity',
    'Alle Beiträge von {name}': 'All posts by {name}',
    'Alle Foren': 'All boards',
    'Alle als gelesen markieren': 'Mark all as read',
    'Alle passenden Mitglieder': 'All matching members',
    'Alle {n} Themen mit Neuem': 'All {n} topics with something new',
    'Alles gelesen. Neue Themen und Antworten erscheinen hier.': 'All read. New topics and replies appear here.',
    'Als Lösung markieren': 'Mark as solution',
    'Angeheftet': 'Pinned',
    'Anheften': 'Pin',
    'Anhänge': 'Attachments',
    'Ansicht': 'View',
    'Antwort schreiben': 'Write a reply',
    'Antwort senden': 'Send reply',
    'Antworten': 'Replies',
    'Archiv': 'Archive',
    'Auf diese Frage wurde schon geantwortet: löschen kann sie jetzt nur die Moderation. Sie können sie aber '
    'bearbeiten.':
        'This question already has replies: only the moderators can delete it now. You can still edit it, though.',
    'Bearbeiten': 'Edit',
    'Beitrag': 'Post',
    'Beitrag bearbeiten': 'Edit post',
    'Beitrag melden': 'Report post',
    'Beitrag {n}': 'Post {n}',
    'Beiträge': 'Posts',
    'Benachrichtigung': 'Notifications',
    'Benachrichtigung für dieses Forum': 'Notifications for this board',
    'Benachrichtigung für dieses Thema': 'Notifications for this topic',
    'Beobachten': 'Watch',
    'Bis': 'To',
    'Bitte geben Sie eine ganze Zahl ein.': 'Please enter a whole number.',
    'Bitte geben Sie einen Titel ein.': 'Please enter a title.',
    'Bitte nennen Sie einen Grund.': 'Please give a reason.',
    'Bitte schreiben Sie einen Text.': 'Please write some text.',
    'Brotkrumen': 'Breadcrumbs',
    'Danke': 'Thanks',
    'Danke! Die Moderation kümmert sich darum.': 'Thank you! The moderators will look into it.',
    'Das Thema ist geschlossen.': 'The topic is closed.',
    'Das ganze Thema löschen?': 'Delete the whole topic?',
    'Das lässt sich nicht rückgängig machen.': 'This cannot be undone.',
    'Datei entfernen: {name}': 'Remove file: {name}',
    'Dateien vom Typ „{ext}“ können nicht angehängt werden. Erlaubt sind PDF, Bilder, Office-, OpenDocument- und '
    'CSV-Dateien.':
        'Files of type “{ext}” cannot be attached. PDF, image, Office, OpenDocument and CSV files are allowed.',
    'Der Grund darf höchstens {n} Zeichen haben.': 'The reason may have at most {n} characters.',
    'Der Inhalt von „{name}“ passt nicht zur Dateiendung.':
        'The content of “{name}” does not match its file extension.',
    'Der Name darf höchstens {n} Zeichen haben.': 'The name may have at most {n} characters.',
    'Der Text darf höchstens {n} Zeichen haben (jetzt: {length}).':
        'The text may have at most {n} characters (now: {length}).',
    'Der Titel darf höchstens {n} Zeichen haben (jetzt: {length}).':
        'The title may have at most {n} characters (now: {length}).',
    'Der Titel ist zu kurz: bitte mindestens {n} Zeichen.':
        'The title is too short: please use at least {n} characters.',
    'Die Adresse darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten.':
        'The address may only contain lower-case letters, digits and hyphens.',
    'Die Beschreibung darf höchstens {n} Zeichen haben.': 'The description may have at most {n} characters.',
    'Die Datei ist größer als {mb} MB.': 'The file is larger than {mb} MB.',
    'Die Datei „{name}“ ist beschädigt oder kann nicht gelesen werden.':
        'The file “{name}” is damaged or cannot be read.',
    'Die Datei „{name}“ ist größer als {mb} MB.': 'The file “{name}” is larger than {mb} MB.',
    'Die Datei „{name}“ ist leer.': 'The file “{name}” is empty.',
    'Die Frage selbst kann nicht die Lösung sein.': 'The question itself cannot be the solution.',
    'Die Liste wurde eben aktualisiert.': 'The list has just been updated.',
    'Die Moderation sieht Ihre Meldung und den Beitrag. Die Person, die ihn geschrieben hat, erfährt nicht, wer '
    'gemeldet hat.':
        'The moderators see your report and the post. The person who wrote it is not told who reported it.',
    'Diese Adresse ist reserviert.': 'This address is reserved.',
    'Diese Adresse ist schon vergeben.': 'This address is already taken.',
    'Diese Datei gibt es nicht (mehr).': 'This file does not exist (any more).',
    'Diese Meldung gibt es nicht.': 'This report does not exist.',
    'Diesen Beitrag gibt es nicht (mehr).': 'This post does not exist (any more).',
    'Diesen Beitrag löschen?': 'Delete this post?',
    'Dieser Beitrag wurde gelöscht.': 'This post has been deleted.',
    'Dieses Forum gibt es nicht.': 'This board does not exist.',
    'Dieses Forum ist archiviert: hier kann niemand mehr schreiben.':
        'This board is archived: nobody can post here any more.',
    'Dieses Thema gibt es nicht (mehr).': 'This topic does not exist (any more).',
    'Dieses Thema ist geschlossen: neue Antworten sind nicht mehr möglich.':
        'This topic is closed: no new replies are possible.',
    'Dieses Thema wurde gelöscht.': 'This topic has been deleted.',
    'Ehemaliges Mitglied': 'Former member',
    'Eigene Beiträge können Sie nicht bewerten.': 'You cannot react to your own posts.',
    'Eigene Beiträge können Sie nicht melden.': 'You cannot report your own posts.',
    'Enter legt ein Schlagwort an.': 'Enter adds a tag.',
    'Es gibt neue Antworten.': 'There are new replies.',
    'Forum': 'Board',
    'Frühere Fassungen': 'Earlier versions',
    'Geben Sie Suchbegriffe ein oder wählen Sie einen Filter.': 'Enter search terms or choose a filter.',
    'Gefragt {when}': 'Asked {when}',
    'Gelöst': 'Solved',
    'Gespeichert.': 'Saved.',
    'Gibt es schon:': 'Existing topics:',
    'Grund': 'Reason',
    'Größte Datei, die an einen Beitrag angehängt werden kann (MB)': 'Largest file that can be attached to a post (MB)',
    'Hier gibt es noch keine Themen.': 'There are no topics here yet.',
    'Hilfreich': 'Helpful',
    'Höchstens {n} Dateien pro Beitrag.': 'At most {n} files per post.',
    'Ihr Beitrag': 'Your post',
    'Ihre Antwort': 'Your reply',
    'In das Forum': 'To board',
    'In den Foren suchen': 'Search the boards',
    'In diesem Forum schreibt nur die Moderation.': 'Only moderators post in this board.',
    'Keine Themen in dieser Ansicht.': 'No topics in this view.',
    'Letzte Antwort {when} von {name}': 'Last reply {when} by {name}',
    'Löschen': 'Delete',
    'Lösen': 'Unpin',
    'Lösung': 'Solution',
    'Lösung aufheben': 'Unmark as solution',
    'Melden': 'Report',
    'Mitglieder zum Erwähnen': 'Members to mention',
    'Neu': 'New',
    'Neu in den Foren': 'New in the boards',
    'Neu seit Ihrem letzten Besuch': 'New since your last visit',
    'Neue Antwort von {name}.': 'New reply from {name}.',
    'Neues Thema': 'New topic',
    'Nichts Neues seit Ihrem letzten Besuch.': 'Nothing new since your last visit.',
    'Nichts gefunden. Versuchen Sie andere Wörter oder weniger Filter.':
        'Nothing found. Try other words or fewer filters.',
    'Noch keine Antworten. Wissen Sie weiter?': 'No replies yet. Can you help?',
    'Noch keine Foren. Die Administration kann sie unter Verwaltung anlegen.':
        'No boards yet. The administrators can create them under Administration.',
    'Noch keine Themen begonnen.': 'No topics started yet.',
    'Noch nichts zu sehen.': 'Nothing to see yet.',
    'Normal': 'Normal',
    'Nur Beiträge von {name} ✕': 'Only posts by {name} ✕',
    'Nur Moderation schreibt': 'Only moderators post',
    'Nur gelöste Themen': 'Solved topics only',
    'Nur wer gefragt hat oder die Moderation kann eine Lösung markieren.':
        'Only the person who asked or the moderators can mark a solution.',
    'Schlagwörter (höchstens 5)': 'Tags (at most 5)',
    'Schließen': 'Close',
    'Schreiben': 'Write',
    'Sehr viele Treffer: nach Relevanz geordnet sind die {n} neuesten. Ein weiteres Wort oder ein Filter grenzt die '
    'Suche ein.':
        'Very many matches: the {n} newest are ordered by relevance. Another word or a filter narrows the search.',
    'Sie haben diesen Beitrag schon gemeldet; die Moderation kümmert sich darum.':
        'You have already reported this post; the moderators are looking into it.',
    'Sie können nur Ihre eigenen Beiträge ändern.': 'You can only change your own posts.',
    'Stummschalten': 'Mute',
    'Suchbegriffe': 'Search terms',
    'Suche': 'Search',
    'Thema erstellen': 'Create topic',
    'Thema löschen …': 'Delete topic …',
    'Thema verschieben': 'Move topic',
    'Themen': 'Topics',
    'Themen in den Foren': 'Topics in the boards',
    'Themen mit Neuem für Sie: {n}': 'Topics with something new for you: {n}',
    'Titel': 'Title',
    'Titel bearbeiten': 'Edit title',
    'Titel: Ihre Frage in einem Satz': 'Title: your question in one sentence',
    'Unbeantwortet': 'Unanswered',
    'Unbekannte Reaktion.': 'Unknown reaction.',
    'Unbekannter Status.': 'Unknown status.',
    'Ungelesen': 'Unread',
    'Ungelesen ({n})': 'Unread ({n})',
    'Verschieben': 'Move',
    'Verschieben …': 'Move …',
    'Von': 'From',
    'Vorschau': 'Preview',
    'Zitat aus Beitrag {n} eingefügt.': 'Quote from post {n} inserted.',
    'Zitieren': 'Quote',
    'Zu den Foren': 'To the boards',
    'Zuletzt:': 'Latest:',
    'Zur Antwort': 'To the answer',
    'Zur neuesten Antwort': 'To the newest reply',
    'bearbeitet': 'edited',
    'gelöst': 'solved',
    'gerade eben': 'just now',
    'von {name}': 'by {name}',
    '{label} zurücknehmen': 'Undo {label}',
    '{n} Antworten': '{n} replies',
    '{n} Aufrufe': '{n} views',
    '{n} Beiträge': '{n} posts',
    '{n} Themen': '{n} topics',
    '{n} Treffer': '{n} matches',
    '{n} neu': '{n} new',
    '{n} ungelesen': '{n} unread',
    'Öffnen': 'Reopen',
    '+{n} weitere': '+{n} more',
    'Abgesagt': 'Cancelled',
    'Abgesagt: „{title}“': 'Cancelled: “{title}”',
    'Abo-Adresse': 'Subscription address',
    'Absagen': 'Cancel event',
    'Abstand (alle … Wochen/Monate)': 'Interval (every … weeks/months)',
    'Adresse kopiert.': 'Address copied.',
    'Alle Formate': 'All formats',
    'Alle Notizen in der Diskussion': 'All notes in the discussion',
    'Alle Plätze sind vergeben: Sie stehen auf Platz {n} der Warteliste und rücken automatisch nach.':
        'All places are taken: you are number {n} on the waiting list and will move up automatically.',
    'Alle Schlagwörter': 'All tags',
    'Alle Termine dieser Serie': 'All dates in this series',
    'Alle Veranstaltungen des Netzwerks': 'All events in the network',
    'Alles gelesen.': 'All read.',
    'An diesem Tag findet die Serie nicht statt.': 'The series does not take place on this day.',
    'Anmeldeschluss: Datum (optional)': 'Registration deadline: date (optional)',
    'Anmeldeschluss: Uhrzeit': 'Registration deadline: time',
    'Anmeldung bis': 'Register by',
    'Antwort': 'Reply',
    'Beginn': 'Start',
    'Beginn: Datum': 'Start: date',
    'Beginn: Uhrzeit': 'Start: time',
    'Beschreibung': 'Description',
    'Beschreibung (Markdown)': 'Description (Markdown)',
    'Bitte geben Sie den Ort an (Adresse, Raum).': 'Please give the place (address, room).',
    'Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ).': 'Please enter a valid date (DD.MM.YYYY).',
    'Bitte geben Sie eine gültige Uhrzeit ein (HH:MM).': 'Please enter a valid time (HH:MM).',
    'Bitte geben Sie einen Titel mit mindestens {n} Zeichen ein.':
        'Please enter a title with at least {n} characters.',
    'Bitte geben Sie einen vollständigen Link ein, der mit https:// beginnt.':
        'Please enter a full link starting with https://.',
    'Bitte schreiben Sie eine Notiz oder hängen Sie eine Datei an.': 'Please write a note or attach a file.',
    'Bitte wählen Sie Zusage, Vielleicht oder Absage.': 'Please choose Attending, Maybe or Not attending.',
    'Bitte wählen Sie ein Format.': 'Please choose a format.',
    'Bitte wählen Sie einen Termin der Serie.': 'Please choose a date in the series.',
    'Bitte wählen Sie, was der Kalender enthält.': 'Please choose what the calendar contains.',
    'Bitte wählen Sie, wie sich die Veranstaltung wiederholt.': 'Please choose how the event repeats.',
    'Bitte wählen Sie: vor Ort oder online.': 'Please choose: on site or online.',
    'Danke! Das Material ist für alle sichtbar.': 'Thank you! The material is visible to everyone.',
    'Das Ende der Serie darf nicht vor dem ersten Termin liegen.': 'The series cannot end before its first date.',
    'Das Ende muss nach dem Beginn liegen.': 'The end must be after the start.',
    'Datum': 'Date',
    'Der Abstand muss zwischen 1 und {n} liegen.': 'The interval must be between 1 and {n}.',
    'Der Anmeldeschluss muss vor dem Beginn liegen.': 'The registration deadline must be before the start.',
    'Der Beginn liegt in der Vergangenheit. Neue Veranstaltungen beginnen in der Zukunft.':
        'The start is in the past. New events start in the future.',
    'Der Ort darf höchstens {n} Zeichen haben.': 'The place may have at most {n} characters.',
    'Der letzte Tag darf nicht vor dem ersten liegen.': 'The last day cannot be before the first.',
    'Der neue Beginn liegt in der Vergangenheit.': 'The new start is in the past.',
    'Die Anmeldung ist geschlossen.': 'Registration is closed.',
    'Die Beschreibung darf höchstens {n} Zeichen haben (jetzt: {length}).':
        'The description may have at most {n} characters (now: {length}).',
    'Die Teilnehmendenliste exportieren können die Organisation und die Moderation.':
        'Only the organisers and the moderators can export the list of attendees.',
    'Die Zahl der Plätze muss mindestens 1 sein (leer lassen: unbegrenzt).':
        'The number of places must be at least 1 (leave empty for unlimited).',
    'Diese Serie hat schon Zusagen zu einzelnen Terminen: sie bleibt eine Serie. Sie können sie absagen oder '
    'einzelne Termine ändern.':
        'People are already attending single dates of this series: it stays a series. You can cancel it or '
        'change single dates.',
    'Diese Veranstaltung gibt es nicht (mehr).': 'This event does not exist (any more).',
    'Diese Veranstaltung gibt es nicht.': 'This event does not exist.',
    'Diese Veranstaltung hat schon begonnen.': 'This event has already started.',
    'Diese Veranstaltung ist abgesagt.': 'This event is cancelled.',
    'Diese Veranstaltung wurde abgesagt.': 'This event has been cancelled.',
    'Diesen Termin absagen': 'Cancel this date',
    'Diesen Termin verschieben': 'Reschedule this date',
    'Diskussion': 'Discussion',
    'Doch stattfinden lassen': 'Let it take place after all',
    'Eine Serie darf höchstens zwei Jahre dauern (bis {day}).': 'A series may last at most two years (until {day}).',
    'Eine Veranstaltung dauert höchstens {n} Tage.': 'An event may last at most {n} days.',
    'Ende': 'End',
    'Ende: Datum': 'End: date',
    'Ende: Uhrzeit': 'End: time',
    'Erinnerung: „{title}“ beginnt bald.': 'Reminder: “{title}” starts soon.',
    'Findet doch statt: „{title}“': 'Taking place after all: “{title}”',
    'Format': 'Format',
    'Ganztägig': 'All day',
    'Geändert: „{title}“': 'Changed: “{title}”',
    'Heute': 'Today',
    'Hinweise für Sie': 'Notices for you',
    'Höchstens {n} Plätze.': 'At most {n} places.',
    'Ihre Antwort ist gespeichert.': 'Your reply has been saved.',
    'In diesem Zeitraum gibt es keine Veranstaltungen.': 'There are no events in this period.',
    'In meinen Kalender (.ics)': 'Add to my calendar (.ics)',
    'Inhalt des Kalender-Abos': 'Contents of the calendar subscription',
    'Kalender abonnieren': 'Subscribe to the calendar',
    'Kalender abonnieren (Outlook, Thunderbird, Smartphone)':
        'Subscribe to the calendar (Outlook, Thunderbird, smartphone)',
    'Keine Angabe': 'Not specified',
    'Keine Termine': 'No events',
    'Keine Wiederholung': 'Does not repeat',
    'Kopieren': 'Copy',
    'Letzter Termin bis (höchstens 2 Jahre)': 'Last date by (at most 2 years)',
    'Link zur Online-Teilnahme (https://…)': 'Link for joining online (https://…)',
    'Liste': 'List',
    'Material ergänzen': 'Add material',
    'Material ergänzen können die Organisation und alle, die teilgenommen haben.':
        'Only the organisers and everyone who took part can add material.',
    'Material speichern': 'Save material',
    'Material und Notizen': 'Material and notes',
    'Material und Notizen kommen nach der Veranstaltung.': 'Material and notes come after the event.',
    'Meine nächsten Termine': 'My upcoming events',
    'Mit dieser Adresse zeigen Outlook, Thunderbird oder Ihr Smartphone die Veranstaltungen des Netzwerks in Ihrem '
    'Kalender an. Die Adresse ist geheim wie ein Passwort: geben Sie sie nicht weiter. Erzeugen Sie eine neue, wenn '
    'sie in falsche Hände geraten ist.':
        'With this address, Outlook, Thunderbird or your smartphone show the events of the network in your calendar. '
        'Keep the address secret like a password: do not pass it on. Create a new one if it has fallen into the '
        'wrong hands.',
    'Monat': 'Month',
    'Monatlich am selben Datum': 'Monthly on the same date',
    'Monatlich am selben Wochentag (z. B. jeden ersten Dienstag)':
        'Monthly on the same weekday (e.g. every first Tuesday)',
    'Nachgerückt: Sie haben einen Platz bei „{title}“.': 'Moved up: you have a place at “{title}”.',
    'Neue Adresse erzeugen': 'Create a new address',
    'Neue Adresse erzeugt. Die bisherige funktioniert nicht mehr.':
        'New address created. The old one no longer works.',
    'Neue Veranstaltung': 'New event',
    'Noch kein Material. Wer teilgenommen hat, kann hier Notizen und Dateien ergänzen.':
        'No material yet. Anyone who took part can add notes and files here.',
    'Noch keine Veranstaltungen geplant.': 'No events planned yet.',
    'Noch keine Zusagen.': 'Nobody attending yet.',
    'Notiz': 'Note',
    'Nur Veranstaltungen, denen ich zugesagt habe': 'Only events I am attending',
    'Nur die Organisation der Veranstaltung und die Moderation können sie ändern.':
        'Only the organisers of the event and the moderators can change it.',
    'Nur dieser Termin ändert sich; die anderen Termine der Serie bleiben.':
        'Only this date changes; the other dates in the series stay as they are.',
    'Nur meine': 'Only mine',
    'Nächste Termine': 'Next dates',
    'Nächste Veranstaltungen im Netzwerk': 'Upcoming events in the network',
    'Online': 'Online',
    'Organisation': 'Organised by',
    'Ort (Adresse, Raum)': 'Place (address, room)',
    'Plätze': 'Places',
    'Plätze online (leer: unbegrenzt)': 'Online places (empty: unlimited)',
    'Plätze vor Ort (leer: unbegrenzt)': 'On-site places (empty: unlimited)',
    'Schlagwort': 'Tag',
    'Schlagwörter': 'Tags',
    'Serie': 'Series',
    'Serie absagen': 'Cancel series',
    'Serien haben keinen Anmeldeschluss: Zusagen schließen mit Beginn des Termins.':
        'Series have no registration deadline: replies close when each date starts.',
    'Sie bearbeiten einen einzelnen Termin einer Serie; die anderen Termine bleiben.':
        'You are editing a single date of a series; the other dates stay as they are.',
    'Sie bleibt im Kalender sichtbar, als abgesagt markiert. Alle, die geantwortet haben, erhalten einen Hinweis.':
        'It stays visible in the calendar, marked as cancelled. Everyone who replied gets a notice.',
    'Sie haben abgesagt.': 'You are not attending.',
    'Sie haben keinen Termin zugesagt.': 'You are not attending any events.',
    'Sie haben mit „Vielleicht“ geantwortet.': 'You replied “Maybe”.',
    'Sie haben noch nicht geantwortet.': 'You have not replied yet.',
    'Sie haben zugesagt ({where}).': 'You are attending ({where}).',
    'Teilnahme': 'Taking part',
    'Teilnehmende': 'Attendees',
    'Teilnehmende als CSV': 'Attendees as CSV',
    'Veranstaltung absagen?': 'Cancel the event?',
    'Veranstaltung anlegen': 'Create event',
    'Veranstaltung bearbeiten': 'Edit event',
    'Veranstaltung wieder ansetzen?': 'Reinstate the event?',
    'Verschoben': 'Rescheduled',
    'Verschoben: „{title}“': 'Rescheduled: “{title}”',
    'Verwaltung (Veranstalter)': 'Administration (organiser)',
    'Vielleicht': 'Maybe',
    'Vorbei': 'Past',
    'Wann': 'When',
    'Warteliste': 'Waiting list',
    'Weiter ›': 'Next ›',
    'Wieder ansetzen': 'Reinstate',
    'Wiederholt sich {rule}, bis {day}': 'Repeats {rule}, until {day}',
    'Wiederholung': 'Repeat',
    'Woche': 'Week',
    'Wöchentlich (am selben Wochentag)': 'Weekly (on the same weekday)',
    'Zeiten in deutscher Zeit (Europe/Berlin).': 'Times in German time (Europe/Berlin).',
    'Zeitraum': 'Period',
    'Zu dieser Veranstaltung gibt es schon Antworten: sie kann keine Serie mehr werden.':
        'This event already has replies: it can no longer become a series.',
    'Zugesagt': 'Attending',
    'Zum Kalender': 'To the calendar',
    'Zur Veranstaltung': 'To the event',
    'abgesagt': 'cancelled',
    'alle {n} Monate am {day}.': 'every {n} months on day {day}',
    'alle {n} Monate am {nth} {weekday}': 'every {n} months on the {nth} {weekday}',
    'alle {n} Wochen': 'every {n} weeks',
    'dritten': 'third',
    'ersten': 'first',
    'ganztägig': 'all day',
    'heute': 'today',
    'hybrid': 'hybrid',
    'letzten': 'last',
    'monatlich am {day}.': 'monthly on day {day}',
    'monatlich am {nth} {weekday}': 'monthly on the {nth} {weekday}',
    'online': 'online',
    'vierten': 'fourth',
    'vor Ort': 'on site',
    'wöchentlich': 'weekly',
    'zweiten': 'second',
    '{day}, {start} Uhr – {end_day}, {end} Uhr': '{day}, {start} – {end_day}, {end}',
    '{day}, {start}–{end} Uhr': '{day}, {start}–{end}',
    '{day}, {time} Uhr': '{day}, {time}',
    '{n} auf der Warteliste': '{n} on the waiting list',
    '{taken} / {capacity} Plätze {where}': '{taken} / {capacity} places {where}',
    '{taken} Zusagen {where} (unbegrenzt)': '{taken} attending {where} (unlimited)',
    'Änderungen speichern': 'Save changes',
    '‹ Zurück': '‹ Back',
    'Nicht dabei': 'Not attending',
    'Zusage': 'Attending',
    'Absage': 'Not attending',
    'Veranstaltung absagen': 'Cancel event',
    # Administration: navigation and settings
    '0: Beiträge bleiben immer bearbeitbar.': '0: posts can always be edited.',
    '0: keine Abmeldung wegen Untätigkeit.': '0: no sign-out for inactivity.',
    '1 bis 1.440 Minuten.': '1 to 1,440 minutes.',
    'Abgeschaltete Bereiche verschwinden aus der Navigation; ihre Adressen führen zur Startseite. Die Inhalte bleiben '
    'erhalten.':
        'Areas that are switched off disappear from the navigation; their addresses lead to the home page. Their '
        'content is kept.',
    'Abmelden nach Untätigkeit (Minuten)': 'Sign out after inactivity (minutes)',
    'Absenderadresse': 'Sender address',
    'Aktuelles Logo': 'Current logo',
    'Alle Mitglieder': 'All members',
    'Anmeldung gilt höchstens (Tage)': 'Sign-in lasts at most (days)',
    'Auch diese Adressen schaltet die Administration frei': 'An administrator approves these addresses too',
    'Aus: Adressen der erlaubten Domains sind nach der Registrierung sofort Mitglied.':
        'Off: addresses at the allowed domains become members as soon as they register.',
    'Barrierefreiheit': 'Accessibility',
    'Begrüßungstext (Markdown)': 'Welcome text (Markdown)',
    'Beiträge bearbeitbar für (Minuten)': 'Posts can be edited for (minutes)',
    'Beiträge können nur in den ersten {n} Minuten nach dem Schreiben bearbeitet werden. Für spätere Änderungen '
    'wenden Sie sich bitte an die Moderation.':
        'Posts can only be edited in the first {n} minutes after they were written. For later changes, please contact '
        'the moderators.',
    'Benutzername': 'User name',
    'Bereiche': 'Areas',
    'Bitte erlauben Sie mindestens einen Dateityp.': 'Please allow at least one file type.',
    'Bitte wählen Sie einen der angebotenen Werte.': 'Please choose one of the values offered.',
    'Bitte wählen Sie ja oder nein.': 'Please choose yes or no.',
    'Danach meldet sich jedes Mitglied neu an. 1 bis 365 Tage.':
        'After that, every member signs in again. 1 to 365 days.',
    'Danach wächst die Wartezeit vor dem nächsten Anmeldeversuch. 3 bis 50.':
        'After that, the wait before the next sign-in attempt grows. 3 to 50.',
    'Dateien anhängen ({types}; höchstens {mb} MB je Datei)': 'Attach files ({types}; at most {mb} MB per file)',
    'Dateien vom Typ „{ext}“ können nicht angehängt werden. Erlaubt sind: {types}.':
        'Files of type “{ext}” cannot be attached. Allowed: {types}.',
    'Der Kalender und die Veranstaltungen sind in diesem Netzwerk abgeschaltet.':
        'The calendar and events are switched off in this network.',
    'Die Administration hat noch keine Erklärung zur Barrierefreiheit hinterlegt.':
        'The administrators have not published an accessibility statement yet.',
    'Die Datei ist zu groß (höchstens {mb} MB) oder von einem Typ, der nicht angehängt werden kann.':
        'The file is too large (at most {mb} MB) or of a type that cannot be attached.',
    'Die Foren sind in diesem Netzwerk abgeschaltet.': 'Boards are switched off in this network.',
    'Die Nachrichten sind in diesem Netzwerk abgeschaltet.': 'Messages are switched off in this network.',
    'Die Test-E-Mail an {to} ist verschickt. Bitte sehen Sie im Postfach nach.':
        'The test e-mail to {to} has been sent. Please check the inbox.',
    'Diese Einstellung wird über ihr eigenes Feld gesetzt.': 'This setting is set through its own field.',
    'Diskussionen in Foren und Themen.': 'Discussions in boards and topics.',
    'Ein Satz, der das Netzwerk beschreibt; steht auf der Startseite.':
        'One sentence that describes the network; shown on the home page.',
    'Einstellungen': 'Settings',
    'Empfänger': 'Recipient',
    'Erklärung zur Barrierefreiheit': 'Accessibility statement',
    'Erklärung zur Barrierefreiheit (Markdown)': 'Accessibility statement (Markdown)',
    'Erlaubt sind {low} bis {high}.': 'Allowed: {low} to {high}.',
    'Erlaubte Dateitypen (durch Komma getrennt)': 'Allowed file types (comma-separated)',
    'Erscheint auf der Startseite unter der Begrüßung, z. B. mit Regeln oder ersten Schritten.':
        'Shown on the home page below the welcome, e.g. with rules or first steps.',
    'Fehlversuche ohne Wartezeit': 'Failed attempts without a wait',
    'Für Besucher:innen, die keine Sprache gewählt haben; Mitglieder wählen ihre eigene.':
        'For visitors who have not chosen a language; members choose their own.',
    'Hinweis auf allen Seiten anzeigen': 'Show a notice on all pages',
    'Import': 'Import',
    'Inhalte': 'Content',
    'Jede Gruppe wird für sich gespeichert. Änderungen gelten sofort für alle, auch in schon geöffneten Seiten.':
        'Each group is saved on its own. Changes take effect at once for everyone, even on pages that are already '
        'open.',
    'Kalender und Veranstaltungen': 'Calendar and events',
    'Kein Logo hinterlegt.': 'No logo uploaded.',
    'Keine (nur im geschützten Netz)': 'None (only on a protected network)',
    'Kurz und klar, z. B. „Am Freitag ab 18 Uhr ist das Netzwerk wegen Wartung nicht erreichbar.“':
        'Short and clear, e.g. “The network will be unavailable for maintenance from 6 pm on Friday.”',
    'Kurzbeschreibung': 'Short description',
    'Leer lassen, um das gespeicherte Passwort zu behalten.': 'Leave empty to keep the saved password.',
    'Leer, wenn der Mailserver keine Anmeldung verlangt.':
        'Leave empty if the mail server does not require authentication.',
    'Logo': 'Logo',
    'Logo entfernen': 'Remove logo',
    'Logo entfernt.': 'Logo removed.',
    'Logo gespeichert.': 'Logo saved.',
    'Längste Wartezeit nach Fehlversuchen (Minuten)': 'Longest wait after failed attempts (minutes)',
    'Beiträge je Mitglied in 10 Minuten': 'Posts per member in 10 minutes',
    'Gegen Spam: mehr Beiträge in 10 Minuten lehnt das Netzwerk mit einem Hinweis ab. Moderation und Administration '
    'sind ausgenommen. 5 bis 10.000.':
        'Against spam: more posts in 10 minutes are refused with a notice. Moderators and administrators are exempt. '
        '5 to 10,000.',
    'Nachrichten je Mitglied in 10 Minuten': 'Messages per member in 10 minutes',
    'Moderation und Administration sind ausgenommen. 5 bis 10.000.':
        'Moderators and administrators are exempt. 5 to 10,000.',
    'Hochgeladene Dateien je Mitglied in 10 Minuten': 'Uploaded files per member in 10 minutes',
    'Anhänge und Profilbilder. Moderation und Administration sind ausgenommen. 5 bis 10.000.':
        'Attachments and profile pictures. Moderators and administrators are exempt. 5 to 10,000.',
    'Registrierungsversuche je Adresse in einer Stunde': 'Registration attempts per address in one hour',
    'Kommen viele Kolleginnen und Kollegen über dieselbe Adresse (Proxy, NAT), etwa an einem Einführungstag, erhöhen '
    'Sie den Wert vorübergehend. 1 bis 10.000.':
        'When many colleagues come through the same address (proxy, NAT), say on an introduction day, raise the value '
        'for a while. 1 to 10,000.',
    'Seitenaufrufe ohne Anmeldung je Adresse in einer Minute':
        'Pages opened without signing in, per address in one minute',
    'Schützt den Arbeitsspeicher des Servers vor Fluten von Seitenaufrufen. Angemeldete Mitglieder zählen nicht mit. '
    '10 bis 10.000.':
        "Protects the server's memory from floods of page requests. Signed-in members are not counted. 10 to 10,000.",
    'Längster Beitrag (Zeichen)': 'Longest post (characters)',
    'Mailserver': 'Mail server',
    'Markdown: **fett**, *kursiv*, - Liste, > Zitat, `Code`. @Name erwähnt ein Mitglied. Höchstens {n} Zeichen.':
        'Markdown: **bold**, *italic*, - list, > quote, `code`. @Name mentions a member. At most {n} characters.',
    'Meist 587 mit STARTTLS, 465 mit SSL/TLS, 25 ohne Verschlüsselung.':
        'Usually 587 with STARTTLS, 465 with SSL/TLS, 25 without encryption.',
    'Mitgliedschaft': 'Membership',
    'Möglich sind: {types}.': 'Available: {types}.',
    'Name oder IP-Adresse, z. B. mail.essen.de. Leer: keine E-Mails.':
        'Name or IP address, e.g. mail.essen.de. Empty: no e-mails.',
    'Netzwerk': 'Network',
    'Neues Logo hochladen': 'Upload a new logo',
    'Niemand': 'Nobody',
    'Nur die eigene Verwaltung': 'Own administration only',
    'Passwort entfernen': 'Remove password',
    'Passwort entfernt.': 'Password removed.',
    'Passwort: gespeichert': 'Password: saved',
    'Passwort: nicht gesetzt': 'Password: not set',
    'Persönliche Nachrichten zwischen Mitgliedern.': 'Personal messages between members.',
    'Port': 'Port',
    'Protokoll': 'Audit log',
    'SSL/TLS': 'SSL/TLS',
    'STARTTLS': 'STARTTLS',
    'Sicherheit': 'Security',
    'Sichtbarkeit neuer Profile': 'Visibility of new profiles',
    'Standardsprache': 'Default language',
    'Statistik': 'Statistics',
    'Steht im Kopf jeder Seite und im Titel des Browserfensters.':
        'Shown in the header of every page and in the title of the browser window.',
    'Steht im Kopf jeder Seite vor dem Namen. PNG, JPEG oder WebP, höchstens 2 MB; es wird auf höchstens 480 × 160 '
    'Pixel verkleinert.':
        'Shown in the header of every page, before the name. PNG, JPEG or WebP, at most 2 MB; it is scaled down to at '
        'most 480 × 160 pixels.',
    'Test-E-Mail': 'Test e-mail',
    'Test-E-Mail senden': 'Send test e-mail',
    'Text des Hinweises': 'Text of the notice',
    'Veranstaltungen, Zusagen und Kalender-Abos.': 'Events, attendance and calendar subscriptions.',
    'Verschickt eine kurze Nachricht mit den gespeicherten Einstellungen. Speichern Sie Änderungen vorher.':
        'Sends a short message using the saved settings. Save any changes first.',
    'Verschlüsselung': 'Encryption',
    'Verwaltungen': 'Administrations',
    'Von dieser Adresse kommen die E-Mails, z. B. netzwerk@essen.de.':
        'The e-mails come from this address, e.g. netzwerk@essen.de.',
    'Welche Daten das Netzwerk speichert, wozu und wie lange.':
        'What data the network stores, what for and for how long.',
    'Wer das Netzwerk betreibt und wie man sie erreicht.': 'Who runs the network and how to reach them.',
    'Wer ein neues Profil sieht, bis das Mitglied selbst etwas anderes wählt.':
        'Who sees a new profile until the member chooses otherwise.',
    'Wer sich selbst ein Konto anlegen darf.': 'Who may create an account themselves.',
    'Wie Ihre IT-Abteilung den Mailserver eingerichtet hat.': 'As your IT department has set up the mail server.',
    'Wie barrierefrei das Netzwerk ist, was noch fehlt und wo man Barrieren melden kann.':
        'How accessible the network is, what is still missing and where to report barriers.',
    'Zum Beispiel essen.de, kreis-wesel.de. Gilt für „Nur Adressen bestimmter Domains“.':
        'For example essen.de, kreis-wesel.de. Applies to “Only addresses of certain domains”.',
    'Zum Beispiel vor einer Wartung. Erscheint sofort auch in schon geöffneten Seiten.':
        'For example before maintenance. Appears at once, even on pages that are already open.',
    'Zwischen 1 und {n} MB.': 'Between 1 and {n} MB.',
    'Zwischen 500 und 50.000 Zeichen.': 'Between 500 and 50,000 characters.',
    'Öffentliche Seiten, verlinkt unten auf jeder Seite. Markdown: **fett**, *kursiv*, # Überschrift, - Aufzählung, '
    '[Link](https://…).':
        'Public pages, linked at the bottom of every page. Markdown: **bold**, *italic*, # heading, - list, '
        '[link](https://…).',
    'Über diesen Mailserver verschickt das Netzwerk Einladungen, Links zum Zurücksetzen des Passworts und '
    'Benachrichtigungen.':
        'The network sends invitations, password reset links and notifications through this mail server.',
    '„{value}“ ist kein gültiger Servername.': '“{value}” is not a valid server name.',
    '„{value}“ kann nicht geprüft werden. Möglich sind: {types}.': '“{value}” cannot be checked. Available: {types}.',
    # Administration: accounts and invitations
    ' und {n} weitere': ' and {n} more',
    'Ablehnen': 'Reject',
    'Alle Einladungen': 'All invitations',
    'Ausgewählte ablehnen': 'Reject selected',
    'Ausgewählte freischalten': 'Approve selected',
    'Beigetreten ({n}): {names}': 'Joined ({n}): {names}',
    'Beiträge behalten, als „Ehemaliges Mitglied“ angezeigt': 'Keep the posts, shown as “Former member”',
    'Beiträge ebenfalls löschen, begonnene Themen samt allen Antworten':
        'Also delete the posts, and the topics they started with all replies',
    'Bitte wählen Sie mindestens ein Konto.': 'Please select at least one account.',
    'Das letzte aktive Administrationskonto kann nicht gelöscht werden.':
        'The last active administrator account cannot be deleted.',
    'Diese Einladung gibt es nicht.': 'This invitation does not exist.',
    'Diese Einladung ist bereits widerrufen.': 'This invitation has already been revoked.',
    'Diese Einladung ist ungültig, abgelaufen oder schon aufgebraucht.':
        'This invitation is invalid, has expired or has been used up.',
    'Dieses Konto ist bereits gelöscht.': 'This account has already been deleted.',
    'Dieses Konto ist gelöscht.': 'This account has been deleted.',
    'E-Mail-Adresse (optional: dann nur für sie)': 'E-mail address (optional: then for this address only)',
    'Einladung': 'Invitation',
    'Einladung widerrufen.': 'Invitation revoked.',
    'Einladungslink': 'Invitation link',
    'Endgültig löschen': 'Delete permanently',
    'Filtern': 'Filter',
    'Geben Sie diesen Link {name} weiter. Er gilt 24 Stunden und nur einmal; er wird nur jetzt angezeigt. Ein '
    'früherer Link für dieses Konto gilt nicht mehr.':
        'Pass this link on to {name}. It is valid for 24 hours and can be used only once; it is shown only now. Any '
        'earlier link for this account no longer works.',
    'Höchstens {n} Konten auf einmal.': 'At most {n} accounts at once.',
    'Ihre Verwaltung (durch die Einladung festgelegt)': 'Your administration (set by the invitation)',
    'Konto gelöscht.': 'Account deleted.',
    'Konto von {name} löschen?': 'Delete the account of {name}?',
    'Kopieren Sie den Link jetzt und geben Sie ihn weiter: er wird nur dieses eine Mal angezeigt.':
        'Copy the link now and pass it on: it is shown this one time only.',
    'Link': 'Link',
    'Link kopieren': 'Copy link',
    'Link nur bei Erstellung sichtbar': 'Link visible only when created',
    'Link kopiert.': 'Link copied.',
    'Link zum Zurücksetzen des Passworts': 'Password reset link',
    'Mit einer Einladung kann man sich auch registrieren, wenn die Registrierung geschlossen ist oder freigeschaltet '
    'werden muss: das Konto ist sofort aktiv.':
        'With an invitation, people can register even when registration is closed or needs approval: the account is '
        'active at once.',
    'Name (optional, vorausgefüllt)': 'Name (optional, pre-filled)',
    'Name, E-Mail-Adresse, Profil, Bild, Nachrichten, hochgeladene Dateien und Sitzungen werden entfernt; Zusagen zu '
    'kommenden Veranstaltungen werden abgesagt. Das lässt sich nicht rückgängig machen.':
        'Name, e-mail address, profile, picture, messages, uploaded files and sessions are removed; attendance at '
        'upcoming events is cancelled. This cannot be undone.',
    'Neue Einladung': 'New invitation',
    'Noch keine Einladungen.': 'No invitations yet.',
    'Notiz (z. B. Workshop)': 'Note (e.g. workshop)',
    'Nutzungen (0 = unbegrenzt)': 'Uses (0 = unlimited)',
    'Passwort-Link': 'Password link',
    'Rolle': 'Role',
    'Verwaltung: {name}': 'Administration: {name}',
    'Was geschieht mit den Beiträgen?': 'What happens to the posts?',
    'Widerrufen': 'Revoke',
    'abgelaufen': 'expired',
    'aufgebraucht': 'used up',
    'gelöscht': 'deleted',
    'keine feste Verwaltung': 'no fixed administration',
    'nur für {email}': 'only for {email}',
    'widerrufen': 'revoked',
    '{name} auswählen': 'Select {name}',
    'Bild auswählen': 'Choose a picture',
    'Datei auswählen': 'Choose a file',
    'Dateien auswählen': 'Choose files',
    'Dateien anhängen': 'Attach files',
    '{used} von {limit} genutzt': '{used} of {limit} used',
    # Administration: moderation
    '(kein Text)': '(no text)',
    'Ausgeblendet': 'Hidden',
    'Bearbeitet': 'Handled',
    'Beitrag ausgeblendet': 'Post hidden',
    'Beitrag gelöscht': 'Post deleted',
    'Beitrag {n} in „{title}“ löschen?': 'Delete post {n} in “{title}”?',
    'Das ganze Thema „{title}“ löschen?': 'Delete the whole topic “{title}”?',
    'Der Beitrag ist ausgeblendet.': 'The post has been hidden.',
    'Der Beitrag ist wieder für alle sichtbar.': 'The post is visible to everyone again.',
    'Der Beitrag wurde gelöscht.': 'The post has been deleted.',
    'Die Meldung wurde verworfen.': 'The report has been dismissed.',
    'Diese Meldung wurde schon bearbeitet.': 'This report has already been handled.',
    'Diesen Beitrag gibt es nicht mehr: bitte verwerfen Sie die Meldung.':
        'This post no longer exists: please dismiss the report.',
    'Gemeldet von {name}:': 'Reported by {name}:',
    'Geschrieben von {name}': 'Written by {name}',
    'Keine offenen Meldungen. Alles erledigt.': 'No open reports. All done.',
    'Meldungen': 'Reports',
    'Moderation: 1 offene Meldung': 'Moderation: 1 open report',
    'Moderation: {n} offene Meldungen': 'Moderation: {n} open reports',
    'Noch keine bearbeiteten Meldungen.': 'No handled reports yet.',
    'Offen': 'Open',
    'Thema geschlossen': 'Topic closed',
    'Unbekannte Aktion.': 'Unknown action.',
    'Verworfen': 'Dismissed',
    'Von der Moderation ausgeblendet: nur die Person, die ihn geschrieben hat, und die Moderation sehen diesen '
    'Beitrag.':
        'Hidden by the moderators: only the person who wrote this post and the moderators can see it.',
    'Wieder einblenden': 'Unhide',
    'ausgeblendet': 'hidden',
    '{action}: Meldung zu {title}, Beitrag {n}': '{action}: report on {title}, post {n}',
    '{title} · Beitrag {n}': '{title} · Post {n}',
    # Administration: organisations and boards
    '1 Mitglied wechselt': '1 member moves',
    '1 Verwaltung': '1 administration',
    'Adresse (/boards/…)': 'Address (/boards/…)',
    'Archivieren': 'Archive',
    'Bearbeiten: {name}': 'Edit: {name}',
    'Die Reihenfolge hier ist die Reihenfolge auf der Seite „Foren“; archivierte Foren stehen dort am Ende, bleiben '
    'lesbar und nehmen keine neuen Beiträge an.':
        'The order here is the order on the “Boards” page; archived boards appear there at the end, stay readable and '
        'accept no new posts.',
    'Eine Verwaltung kann nicht mit sich selbst zusammengeführt werden.':
        'An administration cannot be merged with itself.',
    'Forum bearbeiten': 'Edit board',
    'Kleinbuchstaben, Ziffern und Bindestriche; leer lassen: aus dem Namen.':
        'Lower-case letters, digits and hyphens; leave empty to derive it from the name.',
    'Name enthält': 'Name contains',
    'Neue Verwaltung': 'New administration',
    'Neues Forum': 'New board',
    'Noch keine Foren.': 'No boards yet.',
    'Nur Moderation darf schreiben': 'Only moderators may post',
    'Verwaltung bearbeiten': 'Edit administration',
    'Website': 'Website',
    'Wieder öffnen': 'Reopen',
    'Wählen Sie die Verwaltung, die bleiben soll. Alle Mitglieder, Termine und Einladungen von „{name}“ wechseln '
    'dorthin; „{name}“ wird danach gelöscht.':
        'Choose the administration that is to remain. All members, events and invitations of “{name}” move there; '
        '“{name}” is then deleted.',
    'Zusammenführen': 'Merge',
    'Zusammenführen mit': 'Merge with',
    'Zusammenführen …': 'Merge …',
    'archiviert': 'archived',
    '{name} mit einer anderen Verwaltung zusammenführen': 'Merge {name} with another administration',
    '{name} nach oben': 'Move {name} up',
    '{name} nach unten': 'Move {name} down',
    '{n} Mitglieder wechseln': '{n} members move',
    '„{name}“ zusammenführen': 'Merge “{name}”',
    '„{source}“ in „{target}“ zusammenführen? {moving} zu „{target}“, „{source}“ wird gelöscht. Das lässt sich nicht '
    'rückgängig machen.':
        'Merge “{source}” into “{target}”? {moving} to “{target}”, “{source}” will be deleted. This cannot be undone.',
    '„{source}“ ist jetzt Teil von „{target}“.': '“{source}” is now part of “{target}”.',
    # Administration: audit log
    '1 Eintrag': '1 entry',
    'Abgemeldet': 'Signed out',
    'Administration über die Kommandozeile angelegt': 'Administrator created from the command line',
    'Aktion': 'Action',
    'Als CSV herunterladen': 'Download as CSV',
    'Andere Sitzungen beendet': 'Other sessions ended',
    'Angemeldet': 'Signed in',
    'Anmeldung eines deaktivierten Kontos abgelehnt': 'Sign-in of a deactivated account refused',
    'Anmeldung fehlgeschlagen': 'Sign-in failed',
    'Auf Veranstaltung geantwortet': 'Replied to an event',
    'Beitrag gemeldet': 'Post reported',
    'Beitrag von der Moderation bearbeitet': 'Post edited by a moderator',
    'Bis (Datum)': 'To (date)',
    'Demodaten angelegt': 'Demo data created',
    'Details': 'Details',
    'Einladung erstellt': 'Invitation created',
    'Einstellung geändert': 'Setting changed',
    'Erste Administration angelegt': 'First administrator created',
    'Forum als gelesen markiert': 'Board marked as read',
    'Forum angelegt': 'Board created',
    'Forum archiviert': 'Board archived',
    'Forum geändert': 'Board changed',
    'Forum verschoben': 'Board moved',
    'Jede Aktion der Verwaltung und jede Anmeldung wird hier festgehalten. Einträge lassen sich nicht ändern oder '
    'löschen.':
        'Every administrative action and every sign-in is recorded here. Entries cannot be changed or deleted.',
    'Kalender-Abo erneuert': 'Calendar subscription renewed',
    'Keine Einträge für diese Filter.': 'No entries for these filters.',
    'Konto deaktiviert': 'Account deactivated',
    'Konto freigeschaltet': 'Account approved',
    'Konto reaktiviert': 'Account reactivated',
    'Logo einer Verwaltung geändert': 'Logo of an administration changed',
    'Lösung markiert': 'Solution marked',
    'Lösung zurückgenommen': 'Solution withdrawn',
    'Mitglieder importiert': 'Members imported',
    'Nur diese Person': 'Only this person',
    'Passwort geändert': 'Password changed',
    'Profil geändert': 'Profile changed',
    'Profilbild geändert': 'Profile picture changed',
    'Protokoll exportiert': 'Audit log exported',
    'Registriert': 'Registered',
    'Rolle geändert': 'Role changed',
    'System': 'System',
    'Teilnehmendenliste exportiert': 'Attendee list exported',
    'Termin verschoben': 'Date rescheduled',
    'Thema bearbeitet': 'Topic edited',
    'Thema erstellt': 'Topic created',
    'Thema gelöscht': 'Topic deleted',
    'Thema verschoben': 'Topic moved',
    'Veranstaltung abgesagt': 'Event cancelled',
    'Veranstaltung angelegt': 'Event created',
    'Veranstaltung geändert': 'Event changed',
    'Verwaltung angelegt': 'Administration created',
    'Verwaltung geändert': 'Administration changed',
    'Von (Datum)': 'From (date)',
    'Wer': 'Who',
    'Wer (Name)': 'Who (name)',
    'Ziel': 'Target',
    'alle Aktionen': 'all actions',
    'mehr als {n} Einträge': 'more than {n} entries',
    '{n} Einträge': '{n} entries',
    # Administration: statistics
    'Aktive Mitglieder je Woche (angemeldet oder geschrieben)': 'Active members per week (signed in or posted)',
    'Andere': 'Others',
    'Daten als Tabelle': 'Data as a table',
    'Gruppe': 'Group',
    'Mitglieder je Ebene': 'Members per level',
    'Mitglieder je Verwaltung (die 15 größten)': 'Members per administration (the 15 largest)',
    'Neue Mitglieder je Woche (letzte 26 Wochen)': 'New members per week (last 26 weeks)',
    'Themen und Beiträge je Woche': 'Topics and posts per week',
    'Veranstaltungen': 'Events',
    'Veranstaltungen je Monat': 'Events per month',
    'Woche ab {day}': 'Week of {day}',
    'Wochen beginnen am Montag; gezählt wird nach deutscher Zeit.': 'Weeks start on Monday; counted in German time.',
    'ohne Verwaltung': 'no administration',
    # Administration: import
    'Abgelehnte Zeilen': 'Refused lines',
    'Abgelehnte Zeilen als CSV': 'Refused lines as CSV',
    'CSV-Datei wählen (höchstens {mb} MB)': 'Choose a CSV file (at most {mb} MB)',
    'Das ist keine CSV-Textdatei.': 'This is not a CSV text file.',
    'Die Datei enthält keine Zeilen unter der Kopfzeile.': 'The file has no lines below the header line.',
    'Die Datei hat mehr als {max} Zeilen; bitte teilen Sie sie auf.':
        'The file has more than {max} lines; please split it up.',
    'Die Datei hat {n} Zeilen; höchstens {max} lassen sich auf einmal importieren. Bitte teilen Sie sie auf.':
        'The file has {n} lines; at most {max} can be imported at once. Please split it up.',
    'Die Datei ist in UTF-16 gespeichert. Bitte speichern Sie sie als „CSV UTF-8“.':
        'The file is saved in UTF-16. Please save it as “CSV UTF-8”.',
    'Die Datei ist keine gültige CSV-Datei (Zeile {line}).': 'The file is not a valid CSV file (line {line}).',
    'Die Datei ist leer.': 'The file is empty.',
    'Die Kopfzeile braucht die Spalten Name und E-Mail (gefunden: {found}).':
        'The header line needs the columns Name and Email (found: {found}).',
    'Die Zeichenkodierung der Datei ist unbekannt. Bitte speichern Sie sie als „CSV UTF-8“.':
        'The character encoding of the file is unknown. Please save it as “CSV UTF-8”.',
    'Diese E-Mail-Adresse steht schon in Zeile {line}.': 'This e-mail address is already in line {line}.',
    'Einladungslinks als CSV herunterladen': 'Download invitation links as CSV',
    'Ergebnis': 'Result',
    'Fortschritt des Imports': 'Import progress',
    'Gezeigt werden die ersten {n} Zeilen.': 'Showing the first {n} lines.',
    'Gezeigt werden die ersten {n}; alle stehen in der CSV-Datei.': 'Showing the first {n}; all are in the CSV file.',
    'Hat schon eine offene Einladung.': 'Already has an open invitation.',
    'Importieren': 'Import',
    'Ist schon Mitglied.': 'Already a member.',
    'Kodierung: {encoding} · Trennzeichen: {delimiter} · {rows} Zeilen, davon {bad} mit Fehlern':
        'Encoding: {encoding} · Delimiter: {delimiter} · {rows} lines, {bad} of them with errors',
    'Laden Sie die Einladungslinks jetzt herunter: gespeichert wird nur ein Prüfwert, später lassen sie sich nicht '
    'mehr anzeigen.': 'Download the invitation links now: only a check value is stored, they cannot be shown later.',
    'Laden Sie eine CSV-Datei mit den Spalten **Name**, **E-Mail** und **Verwaltung** hoch (optional **Ebene** für '
    'neue Verwaltungen: kommunal, regional, Land, Bund, sonstige). Trennzeichen `;` oder `,`; UTF-8 oder Windows-1252 '
    '(so speichert Excel). Höchstens {rows} Zeilen und {mb} MB.\n\nJede Person erhält einen persönlichen '
    'Einladungslink (30 Tage gültig), den Sie ihr zusenden. Fehlende Verwaltungen werden angelegt.':
        'Upload a CSV file with the columns **Name**, **Email** and **Organisation** (optionally **Level** for new '
        'administrations: kommunal, regional, Land, Bund, sonstige). Delimiter `;` or `,`; UTF-8 or Windows-1252 (as '
        'Excel saves it). At most {rows} lines and {mb} MB.\n\nEach person gets a personal invitation link (valid for '
        '30 days), which you send to them. Missing administrations are created.',
    'Mitglieder importieren': 'Import members',
    'Name der Verwaltung ungültig (höchstens {n} Zeichen).': 'Invalid administration name (at most {n} characters).',
    'Name fehlt.': 'Name missing.',
    'Name zu lang (höchstens {n} Zeichen).': 'Name too long (at most {n} characters).',
    'Prüfung': 'Check',
    'UTF-8': 'UTF-8',
    'UTF-8 (mit BOM)': 'UTF-8 (with BOM)',
    'Unbekannte Ebene „{level}“ (erlaubt: {levels}).': 'Unknown level “{level}” (allowed: {levels}).',
    'Ungültige E-Mail-Adresse.': 'Invalid e-mail address.',
    'Vorschau der ersten Zeilen': 'Preview of the first lines',
    'Windows-1252': 'Windows-1252',
    'Zeile': 'Line',
    'in Ordnung': 'OK',
    '{done} von {total} Zeilen verarbeitet': '{done} of {total} lines processed',
    '{invited} Einladungen erstellt, {orgs} Verwaltungen neu angelegt, {refused} Zeilen abgelehnt.':
        '{invited} invitations created, {orgs} new administrations created, {refused} lines refused.',
    # My data (DSGVO): export and deleting my own account
    'Eigene Daten exportiert': 'Own data exported',
    'Eigenes Konto gelöscht': 'Own account deleted',
    'Meine Daten herunterladen': 'Download my data',
    'Eine ZIP-Datei mit allem, was das Netzwerk über Sie gespeichert hat: Profil, Beiträge, Nachrichten, '
    'Veranstaltungen, Zusagen und die Dateien, die Sie hochgeladen haben (Auskunft und Datenübertragbarkeit nach '
    'Art. 15 und 20 DSGVO). Sie wird im Hintergrund erstellt; Sie können die Seite solange verlassen. Danach steht '
    'sie 24 Stunden zum Herunterladen bereit.':
        'A ZIP file with everything the network keeps about you: profile, posts, messages, events, answers to events '
        'and the files you uploaded (right of access and data portability, Art. 15 and 20 GDPR). It is built in the '
        'background; you may leave the page meanwhile. It can then be downloaded for 24 hours.',
    'Fortschritt des Exports': 'Export progress',
    'Ihr Export wartet darauf, erstellt zu werden …': 'Your export is waiting to be built …',
    'Ihr Export wird erstellt: {n} %': 'Your export is being built: {n} %',
    'Ihr Export ist fertig ({size}). Er steht bis {until} bereit.':
        'Your export is ready ({size}). It can be downloaded until {until}.',
    'ZIP-Datei herunterladen': 'Download the ZIP file',
    'Der Export ist fehlgeschlagen. Bitte versuchen Sie es noch einmal.': 'The export failed. Please try again.',
    'Export erstellen': 'Create export',
    'Neuen Export erstellen': 'Create a new export',
    'Ihr Export wird gerade erstellt. Bitte warten Sie, bis er fertig ist.':
        'Your export is being built. Please wait until it is ready.',
    'Dieser Export ist abgelaufen oder gehört nicht zu Ihrem Konto.':
        'This export has expired or does not belong to your account.',
    'Konto löschen': 'Delete account',
    'Konto löschen …': 'Delete account …',
    'Sie können Ihr Konto jederzeit selbst löschen. Laden Sie vorher Ihre Daten herunter, wenn Sie sie behalten '
    'möchten.': 'You can delete your account yourself at any time. Download your data first if you want to keep it.',
    'Ihr Konto endgültig löschen?': 'Delete your account for good?',
    'Das lässt sich nicht rückgängig machen. Gelöscht werden Ihr Name, Ihre E-Mail-Adresse, Ihr Profil mit Bild, Ihre '
    'Nachrichten, die Dateien, die Sie hochgeladen haben, Ihre Benachrichtigungen und Ihr Kalender-Abo. Zusagen zu '
    'kommenden Veranstaltungen werden abgesagt. Alle Ihre Sitzungen werden beendet, auch auf anderen Geräten. Im '
    'Protokoll steht danach nur, dass ein Konto mit seiner Nummer gelöscht wurde.':
        'This cannot be undone. Deleted are your name, your e-mail address, your profile with its picture, your '
        'messages, the files you uploaded, your notifications and your calendar subscription. Your answers to '
        'upcoming events are withdrawn. All your sessions end, on other devices too. Afterwards the log only says '
        'that an account was deleted, with its number.',
    'Beiträge behalten als „Ehemaliges Mitglied“': 'Keep my posts as “Former member”',
    'Beiträge löschen': 'Delete my posts',
    'Was geschieht mit Ihren Beiträgen?': 'What happens to your posts?',
    'Gelöschte Beiträge ersetzt ein Hinweis. Ein Thema, das Sie begonnen haben, verschwindet ganz, solange niemand '
    'geantwortet hat; sonst bleiben die Antworten der anderen unter dem Titel stehen, und nur Ihr Text wird entfernt.':
        'A note replaces each deleted post. A topic you started disappears entirely if nobody has replied; otherwise '
        'the others\' replies stay under its title and only your text is removed.',
    'Ihr Passwort zur Bestätigung': 'Your password, to confirm',
    'Konto endgültig löschen': 'Delete account for good',
    'Das Passwort stimmt nicht.': 'The password is wrong.',
    'Sie sind die einzige aktive Administratorin oder der einzige aktive Administrator. Ernennen Sie zuerst eine '
    'weitere Person zur Administration; dann können Sie Ihr Konto löschen.':
        'You are the only active administrator. Make someone else an administrator first; then you can delete '
        'your account.',
    'Ihr Konto wurde gelöscht. Alle Ihre Sitzungen sind beendet.': 'Your account has been deleted. All your sessions '
                                                                   'have ended.',
    # Password reset
    'Die beiden Passwörter stimmen nicht überein.': 'The two passwords do not match.',
    'Dieser Link ist ungültig, abgelaufen oder schon benutzt. Bitte fragen Sie die Administration nach einem neuen.':
        'This link is invalid, has expired or has already been used. Please ask the administrators for a new one.',
    'Ihr Passwort ist geändert. Sie können sich jetzt damit anmelden.':
        'Your password has been changed. You can now sign in with it.',
    'Neues Passwort festlegen': 'Set a new password',
    'Neues Passwort wiederholen': 'Repeat the new password',
    'Passwort speichern': 'Save password',
    'Zur Anmeldung': 'To the sign-in page',
    # Search
    'Geben Sie Suchbegriffe ein.': 'Enter search terms.',
    'Nichts gefunden. Versuchen Sie andere Wörter.': 'Nothing found. Try other words.',
    'Bitte wählen Sie eine CSV-Datei mit höchstens {mb} MB.': 'Please choose a CSV file of at most {mb} MB.',
    # Audit log: action names
    'Link zum Zurücksetzen des Passworts per E-Mail gesendet': 'Password reset link sent by e-mail',
    'Der Link ist per E-Mail an {email} unterwegs.': 'The link is on its way to {email}.',
    'Per E-Mail senden': 'Send by e-mail',
    'Es ist kein Mailserver eingerichtet (Verwaltung → Einstellungen → E-Mail).':
        'No mail server is set up (Administration → Settings → E-mail).',
    'Passwort über Link zurückgesetzt': 'Password reset through a link',
    'Forum wieder geöffnet': 'Board reopened',
    'Veranstaltung wieder angesetzt': 'Event reinstated',
    'Einladung widerrufen': 'Invitation revoked',
    'Test-E-Mail gesendet': 'Test e-mail sent',
    'Verwaltungen zusammengeführt': 'Administrations merged',
    'Beitrag von der Moderation gelöscht': 'Post deleted by the moderators',
    'Beitrag wieder eingeblendet': 'Post shown again',
    'Meldung: Beitrag gelöscht': 'Report: post deleted',
    'Meldung verworfen': 'Report dismissed',
    'Meldung: Beitrag ausgeblendet': 'Report: post hidden',
    'Meldung: Thema geschlossen': 'Report: topic locked',
    'Viele fehlgeschlagene Anmeldungen': 'Many failed sign-ins',
    'Thema von der Moderation gelöscht': 'Topic deleted by the moderators',
    'Thema angeheftet': 'Topic pinned',
    'Thema wieder geöffnet': 'Topic reopened',
    'Thema nicht mehr angeheftet': 'Topic unpinned',
    'Konto gelöscht': 'Account deleted',
    'Link zum Zurücksetzen des Passworts erstellt': 'Password reset link created',
    'Registrierung abgelehnt': 'Registration rejected',
    # Notifications
    '(entfernt)': '(removed)',
    'Absagen von Veranstaltungen': 'Event cancellations',
    'Alle Benachrichtigungen': 'All notifications',
    'Alle Benachrichtigungen sind als gelesen markiert.': 'All notifications are marked as read.',
    'Anlass': 'What',
    'Antworten in Themen, die ich beobachte': 'Replies in topics I watch',
    'Aus': 'Off',
    'Bearbeitung meiner Meldungen': 'Outcome of my reports',
    'Benachrichtigungen': 'Notifications',
    'Bitte wählen Sie einen der angebotenen Wege.': 'Please choose one of the options offered.',
    'Diese Art von Benachrichtigung gibt es nicht.': 'This kind of notification does not exist.',
    'Direktnachrichten': 'Direct messages',
    'Erinnerungen an Veranstaltungen': 'Event reminders',
    'Erwähnungen (@Name)': 'Mentions (@Name)',
    'Freischaltung meiner Registrierung': 'Approval of my registration',
    'Gespeichert: {kind} – {channel}.': 'Saved: {kind} – {channel}.',
    'Ihre Antwort im Thema „{title}“ wurde als Lösung markiert.':
        'Your reply in the topic “{title}” was marked as the solution.',
    'Ihre Registrierung wurde freigeschaltet. Willkommen im Netzwerk!':
        'Your registration has been approved. Welcome to the network!',
    'Meine Antwort wurde als Lösung markiert': 'My reply was marked as the solution',
    'Nachgerückt von der Warteliste': 'Moved up from the waiting list',
    'Noch keine Benachrichtigungen. Hier erfahren Sie von Antworten, Erwähnungen, Veranstaltungen und mehr.':
        'No notifications yet. This is where you will hear about replies, mentions, events and more.',
    'Nur in der App': 'In the app only',
    'Reaktionen auf meine Beiträge': 'Reactions to my posts',
    'Sofort per E-Mail': 'Immediately by e-mail',
    'Tägliche Zusammenfassung': 'Daily digest',
    'Wie': 'How',
    'Wie und wann Sie benachrichtigt werden, stellen Sie in Ihrem Konto ein.':
        'You can choose how and when you are notified in your account.',
    'Worüber und wie wir Sie benachrichtigen. In der App sehen Sie jede Benachrichtigung (außer bei „Aus“); E-Mails '
    'gibt es nur, wenn die Verwaltung den Versand eingerichtet hat.':
        'What we notify you about, and how. You see every notification in the app (except with “Off”); e-mails are '
        'only sent if the administrators have set up mail delivery.',
    'Wöchentliche Zusammenfassung': 'Weekly digest',
    'neu': 'new',
    'und {n} ältere dazu': 'and {n} older ones',
    '{label}: {n} ungelesen': '{label}: {n} unread',
    '{name} hat Sie im Thema „{title}“ erwähnt.': '{name} mentioned you in the topic “{title}”.',
    '{name} hat auf Ihren Beitrag im Thema „{title}“ reagiert.': '{name} reacted to your post in the topic “{title}”.',
    '{name} hat im Thema „{title}“ geantwortet.': '{name} replied in the topic “{title}”.',
    'Änderungen an Veranstaltungen': 'Changes to events',
    # E-mail and mail settings
    'Dieser Link ist ungültig. Bitte verwenden Sie den vollständigen Link aus einer E-Mail des Netzwerks oder ändern '
    'Sie Ihre Einstellungen nach der Anmeldung unter „Konto“.':
        'This link is invalid. Please use the complete link from an e-mail sent by the network, or sign in and change '
        'your settings under “Account”.',
    'E-Mail endgültig nicht zugestellt': 'E-mail could not be delivered after all retries',
    'E-Mail-Einstellungen': 'E-mail settings',
    'E-Mail-Einstellungen von {name}': 'E-mail settings for {name}',
    'Einzeln einstellen': 'Individual settings',
    'Keine E-Mails mehr': 'Stop all e-mails',
    'Sie erhalten derzeit E-Mails aus dem Netzwerk.': 'You currently receive e-mails from the network.',
    'Sie erhalten keine E-Mails aus dem Netzwerk; Benachrichtigungen sehen Sie in der App.':
        'You receive no e-mails from the network; you see your notifications in the app.',
    'Sie erhalten keine E-Mails mehr.': 'You will no longer receive e-mails.',
    # Direct messages
    'An (eine Person oder eine Gruppe bis {n} Personen mit Ihnen):':
        'To (one person, or a group of up to {n} people including you):',
    'Bitte schreiben Sie eine Nachricht.': 'Please write a message.',
    'Bitte wählen Sie mindestens ein anderes Mitglied.': 'Please choose at least one other member.',
    'Blockieren': 'Block',
    'Blockierte Mitglieder': 'Blocked members',
    'Blockierte Mitglieder können Ihnen nicht schreiben. Sie erfahren nichts davon.':
        'Blocked members cannot write to you. They are not told about it.',
    'Blockierung aufheben': 'Unblock',
    'Blockierung aufheben: {name}': 'Unblock {name}',
    'Der Titel darf höchstens {n} Zeichen haben.': 'The title may have at most {n} characters.',
    'Die Moderation sieht nur diese eine Nachricht, nicht die übrige Unterhaltung.':
        'The moderators see only this one message, not the rest of the conversation.',
    'Diese Nachricht gibt es nicht.': 'This message does not exist.',
    'Diese Nachricht wurde schon entfernt.': 'This message has already been removed.',
    'Diese Nachricht wurde von der Moderation entfernt.': 'This message was removed by the moderators.',
    'Diese Unterhaltung gibt es nicht.': 'This conversation does not exist.',
    'Diese Unterhaltung verlassen? Sie erhalten danach keine neuen Nachrichten daraus.':
        'Leave this conversation? You will no longer receive new messages from it.',
    'Eigene Nachrichten können Sie nicht melden.': 'You cannot report your own messages.',
    'Eine Nachricht darf höchstens {n} Zeichen haben (jetzt: {length}).':
        'A message may have at most {n} characters (now: {length}).',
    'Eine Unterhaltung hat höchstens {n} Mitglieder (mit Ihnen).':
        'A conversation has at most {n} members (including you).',
    'Eine Unterhaltung zu zweit kann man nicht verlassen. Sie können das Mitglied aber blockieren.':
        'You cannot leave a conversation between two people. You can block the member, though.',
    'Empfängerinnen und Empfänger': 'Recipients',
    'Entfernen: {name}': 'Remove {name}',
    'Es gibt neue Nachrichten.': 'There are new messages.',
    'Gefundene Mitglieder': 'Members found',
    'Gelesen': 'Read',
    'Gelesen von {names}': 'Read by {names}',
    'Ihre Nachricht (Markdown)': 'Your message (Markdown)',
    'In dieser Unterhaltung ist niemand mehr, der Ihre Nachricht lesen könnte.':
        'There is no one left in this conversation who could read your message.',
    'Mit: {names}': 'With: {names}',
    'Mitglied suchen (Name, Verwaltung, Thema)': 'Find a member (name, administration, topic)',
    'Nachricht (Markdown)': 'Message (Markdown)',
    'Nachricht melden': 'Report message',
    'Nachricht schreiben': 'Write a message',
    'Nachricht von {name} melden': 'Report message from {name}',
    'Neue Nachricht': 'New message',
    'Neue Nachricht von {name}': 'New message from {name}',
    'Neue Nachricht von {name} in „{title}“': 'New message from {name} in “{title}”',
    'Neue Nachricht von {name}.': 'New message from {name}.',
    'Niemand gefunden.': 'No one found.',
    'Noch keine Nachrichten. Schreiben Sie einer Kollegin oder einem Kollegen.':
        'No messages yet. Write to one of your colleagues.',
    'Noch niemand ausgewählt.': 'No one selected yet.',
    'Senden': 'Send',
    'Sich selbst kann man nicht blockieren.': 'You cannot block yourself.',
    'Sie': 'You',
    'Sie haben diese Nachricht schon gemeldet; die Moderation kümmert sich darum.':
        'You have already reported this message; the moderators are looking into it.',
    'Sie haben diese Unterhaltung verlassen.': 'You have left this conversation.',
    'Sie haben niemanden blockiert.': 'You have not blocked anyone.',
    'Sie haben {name} blockiert. Heben Sie die Blockierung auf, um wieder zu schreiben.':
        'You have blocked {name}. Unblock them to write again.',
    'Strg+Enter sendet. Markdown: **fett**, *kursiv*, - Liste, > Zitat.':
        'Ctrl+Enter sends. Markdown: **bold**, *italic*, - list, > quote.',
    'Titel der Gruppe (freiwillig)': 'Group title (optional)',
    'Unterhaltung verlassen': 'Leave conversation',
    'Unterhaltungen': 'Conversations',
    'Verlassen': 'Leave',
    'Zu den Nachrichten': 'To the messages',
    'Zu den neuesten Nachrichten': 'To the newest messages',
    'niemand mehr': 'no one left',
    '{name} ({n} ungelesen)': '{name} ({n} unread)',
    '{name} blockieren': 'Block {name}',
    '{name} blockieren? {name} kann Ihnen dann nicht mehr schreiben und erfährt davon nichts.':
        'Block {name}? {name} will no longer be able to write to you and will not be told.',
    '{name} kann Ihnen wieder schreiben.': '{name} can write to you again.',
    '{name} kann derzeit keine Nachrichten empfangen.': '{name} cannot receive messages at the moment.',
    '{name}: {excerpt}': '{name}: {excerpt}',
    'Ältere Nachrichten': 'Older messages',
    # Moderation of messages (and the buttons of a reported post)
    'Beitrag ausblenden': 'Hide post',
    'Beitrag löschen': 'Delete post',
    'Die Nachricht wurde entfernt.': 'The message has been removed.',
    'Diese Nachricht entfernen?': 'Remove this message?',
    'Entfernen': 'Remove',
    'Gemeldete Nachrichten': 'Reported messages',
    'Gemeldete Nachrichten ({n})': 'Reported messages ({n})',
    'Keine offenen Meldungen zu Nachrichten.': 'No open reports on messages.',
    'Meldung verwerfen': 'Dismiss report',
    'Meldung zu Nachricht verworfen': 'Message report dismissed',
    'Meldung: Nachricht entfernt': 'Report: message removed',
    'Nachricht entfernen': 'Remove message',
    'Nachricht entfernt': 'Message removed',
    'Nachricht gemeldet': 'Message reported',
    'Nachricht von {name}': 'Message from {name}',
    'Noch keine bearbeiteten Meldungen zu Nachrichten.': 'No handled reports on messages yet.',
    'Sie sehen nur die gemeldete Nachricht, nicht die übrige Unterhaltung.':
        'You see only the reported message, not the rest of the conversation.',
    'Thema schließen': 'Close topic',
    'entfernt': 'removed',
    '{action}: Nachricht von {name}': '{action}: message from {name}',
    # Mail server errors and report outcomes
    'Das Zertifikat des Mailservers {host} ist nicht gültig.':
        'The certificate of the mail server {host} is not valid.',
    'Der Mailserver hat die Absenderadresse {sender} abgelehnt: {reply}':
        'The mail server refused the sender address {sender}: {reply}',
    'Der Mailserver hat die Anmeldung abgelehnt. Bitte prüfen Sie Benutzername und Passwort.':
        'The mail server refused the sign-in. Please check the user name and password.',
    'Der Mailserver hat die Empfängeradresse {to} abgelehnt: {reply}':
        'The mail server refused the recipient address {to}: {reply}',
    'Der Mailserver hat die Nachricht abgelehnt: {reply}': 'The mail server refused the message: {reply}',
    ('Der Mailserver {host} unterstützt die Anmeldung nicht. '
     'Lassen Sie den Benutzernamen leer oder wählen Sie eine Verschlüsselung.'):
        'The mail server {host} does not support signing in. Leave the user name empty or choose an encryption.',
    'Der Mailserver {host}:{port} antwortet nicht (keine Antwort nach {seconds} Sekunden).':
        'The mail server {host}:{port} does not answer (no answer after {seconds} seconds).',
    ('Der Mailserver {host}:{port} bietet keine verschlüsselte Verbindung (STARTTLS) an. '
     'Wählen Sie eine andere Verschlüsselung.'):
        'The mail server {host}:{port} offers no encrypted connection (STARTTLS). Choose another encryption.',
    'Der Mailserver {host}:{port} hat die Verbindung unerwartet beendet.':
        'The mail server {host}:{port} closed the connection unexpectedly.',
    'Der Mailserver {host}:{port} nimmt keine Verbindung an. Bitte prüfen Sie Server und Port.':
        'The mail server {host}:{port} accepts no connection. Please check the server and port.',
    'Der Mailserver „{host}“ ist unbekannt. Bitte prüfen Sie den Servernamen.':
        'The mail server “{host}” is unknown. Please check the server name.',
    'Die Verbindung zum Mailserver {host}:{port} ist fehlgeschlagen: {reason}':
        'The connection to the mail server {host}:{port} failed: {reason}',
    ('Die verschlüsselte Verbindung zu {host}:{port} ist fehlgeschlagen. '
     'Bitte prüfen Sie die Verschlüsselung und den Port.'):
        'The encrypted connection to {host}:{port} failed. Please check the encryption and the port.',
    'Es ist noch kein Mailserver eingerichtet (Server und Absenderadresse fehlen).':
        'No mail server is set up yet (server and sender address are missing).',
    'Ihre Meldung zu einer Nachricht wurde bearbeitet: Die Nachricht wurde entfernt.':
        'Your report of a message was handled: the message was removed.',
    'Ihre Meldung zu einer Nachricht wurde geprüft: Die Moderation hat keinen Verstoß festgestellt.':
        'Your report of a message was reviewed: the moderators found no violation.',
    'Ihre Meldung zu „{title}“ wurde bearbeitet: Beitrag ausgeblendet.':
        'Your report on “{title}” was handled: post hidden.',
    'Ihre Meldung zu „{title}“ wurde bearbeitet: Beitrag gelöscht.':
        'Your report on “{title}” was handled: post deleted.',
    'Ihre Meldung zu „{title}“ wurde bearbeitet: Thema geschlossen.':
        'Your report on “{title}” was handled: topic locked.',
    'Ihre Meldung zu „{title}“ wurde geprüft: Die Moderation hat keinen Verstoß festgestellt.':
        'Your report on “{title}” was reviewed: the moderators found no violation.',
}
