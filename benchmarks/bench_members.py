"""Member directory figures on a large network: 200 administrations, 100,000 active members with profiles, tags and
the FTS5 index; in-process timings of search_members and member_facets, and the server time of /members.

    .venv/bin/python benchmarks/bench_members.py            # needs Debian's chromium for the sign-in

Seeds with its own bulk SQL (the per-member services would take hours), runs ANALYZE and PRAGMA optimize after
seeding, then measures. Prints figures; asserts nothing (the suite has the tests). About 5–10 minutes on 2 cores.
"""

import itertools
import os
import random
import sqlite3
import statistics
import tempfile
import time
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from running import PASSWORD, clean_up, launch_chromium, percentiles, server_times, sign_in_cookies, start_server, stop

from models.organization import ORGANIZATION_KINDS, ORGANIZATION_LEVELS  # noqa: E402
from services import search  # noqa: E402
from services.demo import DEPARTMENTS, FIRST_NAMES, LAST_NAMES, POSITIONS, TOPICS  # noqa: E402

SEED = 2026
ORG_COUNT = 200
MEMBER_COUNT = int(os.environ.get('BENCH_MEMBERS', '100000'))  # smaller for a quick try
CHUNK = 10_000  # members per transaction
RUNS = int(os.environ.get('BENCH_RUNS', '200'))  # in-process calls per figure
HTTP_RUNS = int(os.environ.get('BENCH_HTTP_RUNS', '100'))  # requests per figure

# ---------------------------------------------------------------- vocabulary

CITIES = (
    'Essen', 'Dortmund', 'Duisburg', 'Bochum', 'Gelsenkirchen', 'Oberhausen', 'Mülheim an der Ruhr', 'Bottrop',
    'Herne', 'Hagen', 'Hamm', 'Recklinghausen', 'Gladbeck', 'Marl', 'Castrop-Rauxel', 'Dorsten', 'Herten', 'Witten',
    'Lünen', 'Unna', 'Bergkamen', 'Kamen', 'Schwerte', 'Iserlohn', 'Lüdenscheid', 'Arnsberg', 'Soest', 'Lippstadt',
    'Paderborn', 'Bielefeld', 'Gütersloh', 'Detmold', 'Minden', 'Herford', 'Münster', 'Rheine', 'Bocholt', 'Borken',
    'Coesfeld', 'Ahlen', 'Köln', 'Bonn', 'Düsseldorf', 'Leverkusen', 'Solingen', 'Remscheid', 'Wuppertal', 'Krefeld',
    'Mönchengladbach', 'Neuss', 'Viersen', 'Kleve', 'Moers', 'Dinslaken', 'Wesel', 'Aachen', 'Düren', 'Euskirchen',
    'Bergisch Gladbach', 'Siegburg', 'Troisdorf', 'Siegen', 'Olpe', 'Gummersbach', 'Ratingen', 'Velbert', 'Hilden',
    'Langenfeld', 'Mettmann', 'Grevenbroich', 'Dormagen', 'Kerpen', 'Frechen', 'Hürth', 'Brühl', 'Pulheim',
    'Bergheim', 'Sankt Augustin', 'Königswinter', 'Emmerich am Rhein', 'Goch', 'Geldern', 'Kempen', 'Xanten',
    'Haltern am See', 'Datteln', 'Waltrop', 'Selm', 'Werne', 'Hattingen', 'Sprockhövel', 'Ennepetal', 'Gevelsberg',
    'Schwelm', 'Berlin', 'Hamburg', 'München', 'Frankfurt am Main', 'Stuttgart', 'Leipzig', 'Dresden', 'Hannover',
    'Nürnberg', 'Bremen', 'Mainz', 'Wiesbaden', 'Kassel', 'Erfurt', 'Magdeburg', 'Potsdam', 'Kiel', 'Lübeck',
    'Rostock', 'Schwerin', 'Saarbrücken', 'Trier', 'Koblenz', 'Freiburg im Breisgau', 'Karlsruhe', 'Mannheim',
    'Heidelberg', 'Ulm', 'Augsburg', 'Regensburg', 'Würzburg', 'Osnabrück', 'Oldenburg', 'Braunschweig',
    'Göttingen', 'Halle (Saale)', 'Jena', 'Chemnitz', 'Cottbus', 'Flensburg',
)
GEMEINDEN = ('Nordkirchen', 'Hünxe', 'Schermbeck', 'Senden', 'Ascheberg', 'Rosendahl', 'Kalletal', 'Kirchlengern')
KREISE = (  # name, seat
    ('Kreis Wesel', 'Wesel'), ('Kreis Recklinghausen', 'Recklinghausen'), ('Kreis Unna', 'Unna'),
    ('Ennepe-Ruhr-Kreis', 'Schwelm'), ('Märkischer Kreis', 'Lüdenscheid'), ('Kreis Soest', 'Soest'),
    ('Hochsauerlandkreis', 'Meschede'), ('Kreis Paderborn', 'Paderborn'), ('Kreis Gütersloh', 'Gütersloh'),
    ('Kreis Lippe', 'Detmold'), ('Kreis Minden-Lübbecke', 'Minden'), ('Kreis Herford', 'Herford'),
    ('Kreis Borken', 'Borken'), ('Kreis Coesfeld', 'Coesfeld'), ('Kreis Steinfurt', 'Steinfurt'),
    ('Kreis Warendorf', 'Warendorf'), ('Kreis Kleve', 'Kleve'), ('Kreis Viersen', 'Viersen'),
    ('Rhein-Kreis Neuss', 'Neuss'), ('Kreis Mettmann', 'Mettmann'), ('Rhein-Sieg-Kreis', 'Siegburg'),
    ('Rhein-Erft-Kreis', 'Bergheim'), ('Rheinisch-Bergischer Kreis', 'Bergisch Gladbach'),
    ('Oberbergischer Kreis', 'Gummersbach'), ('Kreis Düren', 'Düren'), ('Kreis Euskirchen', 'Euskirchen'),
    ('Kreis Heinsberg', 'Heinsberg'), ('Städteregion Aachen', 'Aachen'), ('Kreis Siegen-Wittgenstein', 'Siegen'),
    ('Kreis Olpe', 'Olpe'), ('Region Hannover', 'Hannover'),
)
OTHER_ORGANIZATIONS = (  # name, kind, level, city
    ('Bundesministerium des Innern und für Heimat', 'Bund', 'Bund', 'Berlin'),
    ('Bundesverwaltungsamt', 'Bund', 'Bund', 'Köln'),
    ('Informationstechnikzentrum Bund', 'Bund', 'Bund', 'Bonn'),
    ('Bundesamt für Migration und Flüchtlinge', 'Bund', 'Bund', 'Nürnberg'),
    ('Statistisches Bundesamt', 'Bund', 'Bund', 'Wiesbaden'),
    ('Bundesagentur für Arbeit', 'Bund', 'Bund', 'Nürnberg'),
    ('Bundesamt für Sicherheit in der Informationstechnik', 'Bund', 'Bund', 'Bonn'),
    ('Bundeszentralamt für Steuern', 'Bund', 'Bund', 'Bonn'),
    ('Bundesministerium für Digitales und Verkehr', 'Bund', 'Bund', 'Berlin'),
    ('Bundesamt für Bevölkerungsschutz und Katastrophenhilfe', 'Bund', 'Bund', 'Bonn'),
    ('Ministerium des Innern NRW', 'Land', 'Land', 'Düsseldorf'),
    ('Ministerium für Heimat, Kommunales, Bau und Digitalisierung NRW', 'Land', 'Land', 'Düsseldorf'),
    ('Ministerium der Finanzen NRW', 'Land', 'Land', 'Düsseldorf'),
    ('Ministerium für Umwelt, Naturschutz und Verkehr NRW', 'Land', 'Land', 'Düsseldorf'),
    ('Bezirksregierung Düsseldorf', 'Land', 'Land', 'Düsseldorf'),
    ('Bezirksregierung Köln', 'Land', 'Land', 'Köln'),
    ('Bezirksregierung Münster', 'Land', 'Land', 'Münster'),
    ('Bezirksregierung Arnsberg', 'Land', 'Land', 'Arnsberg'),
    ('Bezirksregierung Detmold', 'Land', 'Land', 'Detmold'),
    ('IT.NRW', 'Land', 'Land', 'Düsseldorf'),
    ('Landesamt für Natur, Umwelt und Verbraucherschutz NRW', 'Land', 'Land', 'Recklinghausen'),
    ('Staatskanzlei des Landes Nordrhein-Westfalen', 'Land', 'Land', 'Düsseldorf'),
    ('Senatsverwaltung für Inneres Berlin', 'Land', 'Land', 'Berlin'),
    ('Finanzbehörde Hamburg', 'Land', 'Land', 'Hamburg'),
    ('Bayerisches Staatsministerium für Digitales', 'Land', 'Land', 'München'),
    ('Regionalverband Ruhr', 'Verband', 'regional', 'Essen'),
    ('Landschaftsverband Rheinland', 'Verband', 'regional', 'Köln'),
    ('Landschaftsverband Westfalen-Lippe', 'Verband', 'regional', 'Münster'),
    ('Städtetag NRW', 'Verband', 'regional', 'Köln'),
    ('Landkreistag NRW', 'Verband', 'regional', 'Düsseldorf'),
    ('Städte- und Gemeindebund NRW', 'Verband', 'regional', 'Düsseldorf'),
    ('Deutscher Städtetag', 'Verband', 'Bund', 'Berlin'),
    ('Emschergenossenschaft', 'Verband', 'regional', 'Essen'),
    ('Zweckverband Verkehrsverbund Rhein-Ruhr', 'Verband', 'regional', 'Gelsenkirchen'),
    ('KDN – Dachverband kommunaler IT-Dienstleister', 'Verband', 'regional', 'Köln'),
    ('Hochschule für Polizei und öffentliche Verwaltung NRW', 'Hochschule', 'Land', 'Gelsenkirchen'),
    ('Hochschule des Bundes für öffentliche Verwaltung', 'Hochschule', 'Bund', 'Brühl'),
    ('Studieninstitut Ruhr', 'Hochschule', 'regional', 'Dortmund'),
    ('Studieninstitut Rheinland', 'Hochschule', 'regional', 'Köln'),
    ('Universität Duisburg-Essen', 'Hochschule', 'Land', 'Duisburg'),
    ('Deutsche Universität für Verwaltungswissenschaften Speyer', 'Hochschule', 'Land', 'Speyer'),
    ('Fachhochschule für Finanzen NRW', 'Hochschule', 'Land', 'Nordkirchen'),
    ('Hochschule Harz', 'Hochschule', 'Land', 'Halberstadt'),
    ('Stadtwerke Essen', 'Sonstige', 'sonstige', 'Essen'),
    ('Jobcenter Dortmund', 'Sonstige', 'sonstige', 'Dortmund'),
    ('Jobcenter Duisburg', 'Sonstige', 'sonstige', 'Duisburg'),
    ('Südwestfalen-IT', 'Sonstige', 'sonstige', 'Hemer'),
    ('ITK Rheinland', 'Sonstige', 'sonstige', 'Neuss'),
    ('Kommunales Rechenzentrum Niederrhein', 'Sonstige', 'sonstige', 'Kamp-Lintfort'),
    ('Dataport', 'Sonstige', 'sonstige', 'Altenholz'),
    ('Gemeindeprüfungsanstalt NRW', 'Sonstige', 'sonstige', 'Herne'),
    ('Wirtschaftsförderung metropoleruhr', 'Sonstige', 'sonstige', 'Essen'),
    ('Kommunale Gemeinschaftsstelle für Verwaltungsmanagement', 'Sonstige', 'sonstige', 'Köln'),
)
EXTRA_FIRST = ('Hannah', 'Leon', 'Emily', 'Felix', 'Mia', 'Jonas', 'Lea', 'Paul', 'Laura', 'Finn', 'Sarah', 'Jan',
               'Lisa', 'Tim', 'Katrin', 'Emre', 'Ahmet', 'Olga', 'Dmitri', 'Agnieszka', 'Piotr', 'Giulia', 'Luca',
               'Ingrid', 'Wolfgang', 'Renate', 'Günter', 'Ursula', 'Hans-Peter', 'Anne-Marie')
EXTRA_LAST = ('Schulte', 'Brinkmann', 'Hülsmann', 'Terhorst', 'Overbeck', 'Kowalski', 'Nowak', 'Öztürk', 'Şahin',
              'Arslan', 'Popescu', 'Rossi', 'Ivanova', 'Janssen', 'Dreßler', 'Große-Brömmelhaus', 'von der Heide',
              'Bäumer', 'Kötter', 'Wübbeling', 'Niehues', 'Tenbrink', 'Lüttgen', 'Steinbach', 'Ernst')
TAG_FIELDS = ('Bauleitplanung', 'Jugendhilfe', 'Schulträgerschaft', 'Friedhofswesen', 'Abfallwirtschaft',
              'Gewerbeanmeldung', 'Wohngeld', 'Elterngeld', 'Kita-Planung', 'Straßenbau', 'Denkmalschutz',
              'Katastrophenschutz', 'Feuerwehr', 'Ausländerbehörde', 'Standesamt', 'Kfz-Zulassung', 'Bauaufsicht',
              'Liegenschaften', 'Haushalt', 'Steuern', 'Grünflächen', 'Wirtschaftsförderung', 'Tourismus', 'Kultur',
              'Sport')
TAG_ASPECTS = ('Digitalisierung', 'Prozesse', 'Recht', 'Controlling', 'Förderprogramme', 'Personal',
               'Onlinedienste', 'Statistik', 'Bürgerkommunikation', 'Qualitätsmanagement', 'Software',
               'Schnittstellen')
OPENINGS = (  # (weight, template); "Verwaltung" is the common word (~30 % of bios with the closing below)
    (20, 'Seit {years} Jahren in der Verwaltung, aktuell als {position} im Bereich {department}.'),
    (25, 'Ich bin {position} und kümmere mich vor allem um {topic}.'),
    (15, 'Quereinstieg aus der Privatwirtschaft, jetzt mit Herz und Verstand im öffentlichen Dienst.'),
    (20, 'Mein Schwerpunkt liegt auf {topic} und {topic2}.'),
    (20, 'Im Team {department} arbeite ich an {topic}.'),
)
CLOSINGS = (
    (25, 'Ich freue mich über Austausch zu **{offer}** – gern auch kurz per Telefon.'),
    (20, 'Wir haben gerade ein Pilotprojekt zu {offer} abgeschlossen; die Unterlagen teile ich gern.'),
    (20, 'Fragen zu {offer}? Schreiben Sie mir einfach.'),
    (20, 'Ich suche Kolleg:innen, die Erfahrung mit {need} haben.'),
    (15, 'Offen für Hospitationen bei anderen Verwaltungen.'),
)
COMMON_WORD = 'verwaltung'

ONE_WORD = ('digital', 'digi', 'beteiligung', 'buergerbeteiligung', 'vergabe', 'verg', 'e-akte', 'klima', 'kli',
            'datenschutz', 'personal', 'mobil', 'ozg', 'ausbildung', 'barrierefrei', 'fördermittel', 'smart',
            'wärmeplanung', 'radverkehr', 'integration', 'ehrenamt', 'jugendhilfe', 'haushalt', 'schmidt', 'müller',
            'özdemir', 'dortmund', 'essen', 'teamleitung', 'kämmerei', 'pilotprojekt', 'low-code', 'prozess')
TWO_WORDS = ('agile personal', 'klima mobil', 'open data', 'digital verwaltung', 'smart city', 'ki verwaltung',
             'essen digital', 'müller kreis', 'prozess digital', 'wärme planung', 'vergabe recht',
             'datenschutz schule', 'anna schmidt', 'teamleitung jugend', 'nachhaltige beschaffung',
             'bürgerservice termin')


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize('NFKD', search.fold(text)).encode('ascii', 'ignore').decode()
    return '-'.join(''.join(ch if ch.isalnum() else ' ' for ch in folded).split())


def db_time(dt: datetime) -> str:
    """As SQLAlchemy's UTCDateTime stores it in SQLite: naive UTC with microseconds, no offset."""
    return dt.astimezone(UTC).strftime('%Y-%m-%d %H:%M:%S.%f')


def weighted(rng: random.Random, templates: tuple[tuple[int, str], ...]) -> str:
    return rng.choices([t for _, t in templates], weights=[w for w, _ in templates])[0]


# ---------------------------------------------------------------- seeding


def organizations() -> list[tuple[str, str, str, str]]:
    """200 (name, kind, level, city), kinds and levels from the model's lists."""
    level_of = dict(zip(('Kommune', 'Kreis', 'Land', 'Bund', 'Verband', 'Hochschule', 'Sonstige'),
                        ('kommunal', 'kommunal', 'Land', 'Bund', 'regional', 'Land', 'sonstige'), strict=True))
    result = [(name, kind, level, city) for name, kind, level, city in OTHER_ORGANIZATIONS]
    result += [(name, 'Kreis', level_of['Kreis'], seat) for name, seat in KREISE]
    result += [(f'Gemeinde {g}', 'Kommune', level_of['Kommune'], g) for g in GEMEINDEN]
    for city in CITIES:
        if len(result) >= ORG_COUNT:
            break
        result.append((f'Stadt {city}', 'Kommune', level_of['Kommune'], city))
    assert all(k in ORGANIZATION_KINDS and lv in ORGANIZATION_LEVELS for _, k, lv, _ in result)
    assert len({n.casefold() for n, *_ in result}) == len(result) == ORG_COUNT
    return result


def tag_names() -> list[str]:
    generated = [f'{aspect} {field}' for field in TAG_FIELDS for aspect in TAG_ASPECTS]
    return list(TOPICS) + generated  # 28 + 300


def seed(path: Path) -> dict[str, Any]:
    """Bulk-insert everything; returns what the measurements need (ids, keys, timings)."""
    from services import passwords

    rng = random.Random(SEED)
    now = datetime.now(UTC)
    fold = lru_cache(maxsize=None)(search.fold)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute('PRAGMA synchronous=OFF')  # seeding only; the app runs with NORMAL
    conn.execute('PRAGMA cache_size=-200000')
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    orgs = organizations()
    org_rows = [(i, name, ' '.join(name.split()).casefold(), kind, level, city, '', '',
                 db_time(now - timedelta(days=800 + i)))
                for i, (name, kind, level, city) in enumerate(orgs, start=1)]
    names = tag_names()
    tags = [(i, name, fold(name)) for i, name in enumerate(names, start=1)]
    conn.execute('BEGIN')
    conn.executemany('INSERT INTO organization (id, name, name_key, kind, level, city, website, logo, created_at) '
                     'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', org_rows)
    conn.executemany('INSERT INTO tag (id, name, key) VALUES (?, ?, ?)', tags)
    conn.execute('COMMIT')

    # Skewed sizes: a few big administrations, a long tail of small ones; popular and rare topics likewise.
    org_order = list(range(1, ORG_COUNT + 1))
    rng.shuffle(org_order)
    org_weights = [0.0] * ORG_COUNT
    for rank, org_id in enumerate(org_order, start=1):
        org_weights[org_id - 1] = 1 / rank ** 0.8
    org_ids = list(range(1, ORG_COUNT + 1))
    org_cum = list(itertools.accumulate(org_weights))
    core = list(range(1, len(TOPICS) + 1))
    rng.shuffle(core)
    rest = list(range(len(TOPICS) + 1, len(tags) + 1))
    rng.shuffle(rest)
    tag_order = core + rest
    tag_cum = list(itertools.accumulate(1 / rank ** 0.7 for rank in range(1, len(tag_order) + 1)))
    tag_name = {i: n for i, n, _ in tags}
    tag_key = {i: k for i, _, k in tags}
    first_names = FIRST_NAMES + EXTRA_FIRST
    last_names = LAST_NAMES + EXTRA_LAST
    password_hash = passwords.hash_password(PASSWORD)  # one hash for all: only the benchmark account signs in
    span = 730 * 86400

    def pick_tags(k: int, exclude: set[int]) -> list[int]:
        chosen: list[int] = []
        while len(chosen) < k:
            t = rng.choices(tag_order, cum_weights=tag_cum)[0]
            if t not in exclude and t not in chosen:
                chosen.append(t)
        return chosen

    fts_rows: list[tuple[Any, ...]] = []
    gen_time = insert_time = 0.0
    user_id = 0
    for start in range(0, MEMBER_COUNT, CHUNK):
        g0 = time.perf_counter()
        users, profiles, member_tags = [], [], []
        for _ in range(min(CHUNK, MEMBER_COUNT - start)):
            user_id += 1
            first, last = rng.choice(first_names), rng.choice(last_names)
            name = f'{first} {last}'
            org_id = rng.choices(org_ids, cum_weights=org_cum)[0]
            org_name, _kind, _level, city = orgs[org_id - 1]
            email = f'{ascii_slug(first)}.{ascii_slug(last)}.{user_id}@{ascii_slug(org_name)}.example'
            created = now - timedelta(seconds=rng.uniform(3600, span))
            seen = created + (now - created) * rng.random() ** 0.3
            users.append((user_id, email, email, name, fold(name), password_hash, 'member', 'active', org_id, 'de',
                          db_time(created), db_time(seen)))

            topics = pick_tags(rng.randint(2, 4), set())
            offers = rng.sample(topics, min(len(topics), rng.randint(1, 3)))
            if len(offers) < 3 and rng.random() < 0.3:
                offers += pick_tags(1, set(offers))
            needs = pick_tags(rng.randint(1, 2), set(topics))
            for kind, ids in (('topic', topics), ('offer', offers), ('need', needs)):
                member_tags.extend((user_id, kind, t) for t in ids)

            department, position = rng.choice(DEPARTMENTS), rng.choice(POSITIONS)
            bio = weighted(rng, OPENINGS).format(
                years=rng.randint(3, 35), position=position, department=department, topic=tag_name[topics[0]],
                topic2=tag_name[topics[1]])
            if rng.random() < 0.8:
                bio += ' ' + weighted(rng, CLOSINGS).format(offer=tag_name[offers[0]], need=tag_name[needs[0]])
            profiles.append((user_id, '', department, position, city, bio, '', '', 'org', 'none', 'all', '',
                             db_time(seen)))
            # The index as members.index_text builds it: tags by kind (topic, offer, need), each sorted by key.
            tag_text = ' '.join(tag_name[t] for ids in (topics, offers, needs)
                                for t in sorted(ids, key=lambda t: tag_key[t]))
            fts_rows.append((user_id, name, f'{org_name} {city}', position, department, tag_text, bio, city))
        i0 = time.perf_counter()
        gen_time += i0 - g0
        conn.execute('BEGIN')
        conn.executemany('INSERT INTO "user" (id, email, email_key, name, sort_name, password_hash, role, status, '
                         'organization_id, language, created_at, last_seen_at) '
                         'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', users)
        conn.executemany('INSERT INTO member_profile (user_id, pronouns, department, position, location, bio, phone, '
                         'other_contact, email_visibility, phone_visibility, location_visibility, avatar, updated_at) '
                         'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', profiles)
        conn.executemany('INSERT INTO member_tag (user_id, kind, tag_id) VALUES (?, ?, ?)', member_tags)
        conn.execute('COMMIT')
        insert_time += time.perf_counter() - i0
    timings['tables'] = time.perf_counter() - t0
    timings['generate'] = gen_time
    timings['insert'] = insert_time

    t0 = time.perf_counter()
    fold_fts = lru_cache(maxsize=100_000)(search.fold)  # names, administrations, tags repeat; bios mostly not
    for start in range(0, len(fts_rows), CHUNK):
        chunk = [(r[0], *(fold_fts(v) for v in r[1:])) for r in fts_rows[start:start + CHUNK]]
        conn.execute('BEGIN')
        conn.executemany('INSERT INTO member_fts (rowid, name, organization, position, department, tags, bio, '
                         'location) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', chunk)
        conn.execute('COMMIT')
    timings['fts'] = time.perf_counter() - t0

    t0 = time.perf_counter()
    conn.execute('ANALYZE')
    conn.execute('PRAGMA optimize')
    timings['analyze'] = time.perf_counter() - t0
    conn.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608 - fixed names
              for t in ('organization', 'user', 'member_profile', 'tag', 'member_tag', 'member_fts')}
    bios_with_common = conn.execute("SELECT count(*) FROM member_fts WHERE member_fts MATCH ?",
                                    (f'bio : "{COMMON_WORD}"*',)).fetchone()[0]
    org_city = conn.execute('SELECT kind, city, count(*) FROM "user" u JOIN organization o ON o.id = u.organization_id '
                            'GROUP BY kind, city').fetchall()
    conn.close()
    return {'timings': timings, 'counts': counts, 'bios_with_common': bios_with_common, 'org_city': org_city,
            'tag_keys': [k for _, _, k in tags], 'org_ids': org_ids}


def file_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f'{path}-wal'), Path(f'{path}-shm')) if p.exists())


# ---------------------------------------------------------------- in-process


def measure(fn: Callable[[], Any], n: int) -> tuple[float, float, list[Any]]:
    times, results = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        results.append(fn())
        times.append((time.perf_counter() - t0) * 1000)
    med, p95 = percentiles(times)
    return med, p95, results


def in_process(seeded: dict[str, Any], viewer: Any) -> None:
    from services import db, members
    from services.members import Filters

    rng = random.Random(SEED + 1)
    org_ids, tag_keys = seeded['org_ids'], seeded['tag_keys']
    kind_city = [(k, c) for k, c, _ in seeded['org_city']]
    print(f'   one-word queries: {", ".join(ONE_WORD)}')
    print(f'   two-word queries: {", ".join(TWO_WORDS)}')
    print('   facet-only: a random organisation id; a random topic key (uniform over all tags); a random existing '
          'kind+city pair')
    cases: list[tuple[str, Callable[[], Filters]]] = [
        ('one word (q)', lambda: Filters(q=rng.choice(ONE_WORD))),
        ('two words (q)', lambda: Filters(q=rng.choice(TWO_WORDS))),
        ('facet only: org', lambda: Filters(org=rng.choice(org_ids))),
        ('facet only: topic', lambda: Filters(topic=rng.choice(tag_keys))),
        ('facet only: kind+city', lambda: Filters(**dict(zip(('kind', 'city'), rng.choice(kind_city), strict=True)))),
        (f'common word "{COMMON_WORD}"', lambda: Filters(q=COMMON_WORD)),
        ('no filter (directory start)', lambda: Filters()),
    ]
    for label, fn in (('search_members', members.search_members), ('member_facets', members.member_facets)):
        print(f'== {label}: {RUNS} calls each, median / p95 (ms) [mean total hits]')
        for case, make in cases:
            hits: list[int] = []
            # Where the service caches the whole-network facets, clear it before each call: the first visitor after
            # a change pays the full count (the cached figure follows on its own line).
            cold = (fn is members.member_facets and case.startswith('no filter') and
                    hasattr(members, 'forget_cached_facets'))

            def call(make: Callable[[], Filters] = make, fn: Any = fn, hits: list[int] = hits,
                     cold: bool = cold) -> Any:
                if cold:
                    members.forget_cached_facets()
                filters = make()
                result = db.call(fn, viewer=viewer, filters=filters)
                if hasattr(result, 'total'):
                    hits.append(result.total)
                return result

            call()  # warm-up
            hits.clear()
            # The unfiltered facets take seconds each at this size: fewer runs keep the whole run near 10 minutes.
            runs = RUNS // 10 if fn is members.member_facets and case.startswith('no filter') else RUNS
            med, p95, _ = measure(call, runs)
            extra = f'  [{statistics.mean(hits):,.0f} hits]' if hits else ''
            note = f'  ({runs} calls)' if runs != RUNS else ''
            print(f'   {case:<32} {med:8.1f} / {p95:8.1f}{extra}{note}' + ('  cold: cache cleared each call' if cold
                                                                           else ''))
            if cold:
                med, p95, _ = measure(lambda: db.call(members.member_facets, viewer=viewer, filters=Filters()), RUNS)
                print(f'   {"no filter, cached":<32} {med:8.1f} / {p95:8.1f}')

    print('== hits per one-word query (search_members total)')
    line = []
    for word in ONE_WORD:
        total = db.call(members.search_members, viewer=viewer, filters=Filters(q=word)).total
        line.append(f'{word}={total}')
    for i in range(0, len(line), 8):
        print('   ' + ', '.join(line[i:i + 8]))


# ---------------------------------------------------------------- over HTTP


def over_http(data_dir: Path, email: str, seeded: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    proc, base, seconds = start_server(data_dir)
    try:
        print(f'== Server started in {seconds:.2f} s on {MEMBER_COUNT:,} members')
        with sync_playwright() as p:
            browser = launch_chromium(p)
            cookies, seconds = sign_in_cookies(browser, base, email)
            print(f'   signed in; start page shown {seconds:.2f} s after the click')
            browser.close()

        rng = random.Random(SEED + 2)
        print(f'== GET /members, {HTTP_RUNS} sequential requests each: server time (Server-Timing) median / p95, '
              'round trip median')
        print('   (the HTML response only: what a page loads afterwards over its websocket is not in these figures)')
        with httpx.Client(cookies=cookies, timeout=60) as client:
            client.get(f'{base}/members?q=digital')  # warm-up
            cases = (
                ('/members?q=<one word>', [f'/members?{urlencode({"q": rng.choice(ONE_WORD)})}'
                                           for _ in range(HTTP_RUNS)]),
                ('/members?org=<id>', [f'/members?org={rng.choice(seeded["org_ids"])}' for _ in range(HTTP_RUNS)]),
                (f'/members?q={COMMON_WORD}', [f'/members?q={COMMON_WORD}'] * HTTP_RUNS),
                ('/members (no filter)', ['/members'] * max(1, HTTP_RUNS // 10)),
            )
            for label, urls in cases:
                med, p95, rtt = server_times(client, [base + u for u in urls])
                note = f'  ({len(urls)} requests)' if len(urls) != HTTP_RUNS else ''
                print(f'   {label:<26} {med:8.1f} ms / {p95:8.1f} ms   (round trip {rtt:.1f} ms){note}')
    finally:
        stop(proc)


# ---------------------------------------------------------------- main


def main() -> None:
    from services import accounts, db

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix='vn-bench-members-'))
    data_dir = tmp / 'data'
    data_dir.mkdir()
    path = data_dir / 'verwaltungsnetz.db'  # where main.py looks (VN_DATA_DIR)
    url = f'sqlite:///{path}'
    try:
        print(f'== Seeding {ORG_COUNT} administrations and {MEMBER_COUNT:,} active members (bulk SQL, '
              f'{CHUNK:,} members per transaction)')
        db.configure(url)
        db.upgrade(url)
        db.get_engine().dispose()
        seeded = seed(path)
        t = seeded['timings']
        c = seeded['counts']
        print(f'   tables: {t["tables"]:.1f} s (generating rows {t["generate"]:.1f} s, inserting {t["insert"]:.1f} s)')
        print(f'   FTS5 index: {t["fts"]:.1f} s (fold + insert of {c["member_fts"]:,} rows)')
        print(f'   ran ANALYZE and PRAGMA optimize afterwards: {t["analyze"]:.1f} s')
        print('   rows: ' + ', '.join(f'{k} {v:,}' for k, v in c.items()))
        print(f'   database file after PRAGMA wal_checkpoint(TRUNCATE): {file_size(path) / 1e6:.1f} MB '
              '(including -wal/-shm)')
        print(f'   common word "{COMMON_WORD}" occurs in {seeded["bios_with_common"]:,} bios '
              f'({seeded["bios_with_common"] / MEMBER_COUNT:.0%})')

        db.configure(url)  # fresh connections: they read the new statistics
        viewer_id = min(4242, MEMBER_COUNT // 2)
        viewer = db.call(accounts.get_user, viewer_id)
        print(f'   viewer: member #{viewer.id} {viewer.name} <{viewer.email}>, organisation #{viewer.organization_id}')
        in_process(seeded, viewer)

        # Promote the viewer and give them a known password; the server is not running yet.
        db.call(accounts.create_admin, email=viewer.email, name=viewer.name, password=PASSWORD)
        db.get_engine().dispose()
        over_http(data_dir, viewer.email, seeded)
    finally:
        clean_up(tmp, data_dir, started)


if __name__ == '__main__':
    main()
